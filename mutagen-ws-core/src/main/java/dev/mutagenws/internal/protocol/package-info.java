/**
 * Internal plumbing: the gateway's wire protocol (docs/protocol.md) independent of transport: request and reply
 * envelopes, actions, error codes and the mapping of every failure to them, shared by WebSocket, REST and SSE. Not part
 * of the API: it may change in any release.
 */
package dev.mutagenws.internal.protocol;


/**
 * Internal plumbing: the descriptor-driven codec between the daemon's protobuf messages and the JSON the gateway speaks
 * (field names, enum texts and number forms as Mutagen writes them). Not part of the API: it may change in any release.
 */
package dev.mutagenws.internal.json;


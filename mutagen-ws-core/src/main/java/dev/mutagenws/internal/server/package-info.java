/**
 * The transports of the gateway, thin adapters around the action layer: the WebSocket connection (frames, prompts,
 * subscriptions), the REST and status routes, the event streams (SSE, NDJSON), the dashboard's static files, and the
 * outbound pacing that conflates slow readers.
 *
 * <p>Internal: not part of the API, it may change at any time.
 */
package dev.mutagenws.internal.server;


/**
 * An example application that embeds the gateway: {@link EmbeddingExample} mounts mutagen-ws's routes in its own
 * Reactor Netty server, next to a route of its own, using only the public API.
 */
package dev.mutagenws.examples;


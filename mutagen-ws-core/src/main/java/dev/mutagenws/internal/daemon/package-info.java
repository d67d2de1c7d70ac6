/**
 * The gRPC implementation of {@code MutagenDaemon}: the channel on the native Unix socket, connection epochs,
 * the availability monitor, and the one place where a gRPC failure becomes a typed exception ({@code DaemonErrors}).
 *
 * <p>Internal: not part of the API, it may change at any time.
 */
package dev.mutagenws.internal.daemon;


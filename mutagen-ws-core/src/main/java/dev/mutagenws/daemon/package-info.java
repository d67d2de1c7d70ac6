/**
 * The reactive client of the Mutagen daemon, part of the public API: {@link MutagenDaemon} (configured with its
 * {@link MutagenDaemon.Builder Builder}) talks to the daemon's gRPC socket, found by {@link DaemonSocket} the way the
 * Mutagen CLI finds it; a {@link SessionSelection} says which sessions a call applies to; {@link DaemonAvailability}
 * and {@link DaemonVersion} describe the daemon; every failure is a {@link MutagenDaemonException}, whose subclass says
 * whether retrying can help.
 */
package dev.mutagenws.daemon;


/**
 * Live session state, shared, part of the public API: a {@link StateHub} turns the daemon's {@code List} long-poll into
 * streams of {@link SessionStates} snapshots and {@link StateSignal}s (with {@link StateEvent} change events and the
 * daemon's outages), one loop per selection however many subscribe; {@link StateOptions} sets how gently it polls and
 * how it recovers.
 */
package dev.mutagenws.state;


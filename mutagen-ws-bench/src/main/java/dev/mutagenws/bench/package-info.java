/**
 * Benchmarks of the gateway (request overhead, fan-out, codec, start-up, soak), run by {@link Bench}; results and
 * baselines are in docs/benchmarks.md. Not a library: everything here is internal and may change at any time.
 */
package dev.mutagenws.bench;


package dev.mutagenws.internal.server;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * What one socket is sent (WebSocket frames, chunks of an event stream), emitted from any thread, each
 * counted by the socket's {@link OutboundPressure} until written. Replies, pushes, keep-alives and the end
 * come from different threads: one emitter at a time.
 *
 * @param <T> what is sent
 */
final class PacedSink<T> {
    private final Sinks.Many<T> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final OutboundPressure pressure;

    PacedSink(OutboundPressure pressure) {
        this.pressure = pressure;
    }

    void emit(T value) {
        synchronized (sink) {
            if (sink.tryEmitNext(value).isSuccess()) {
                pressure.emitted();
            }
        }
    }

    void complete() {
        synchronized (sink) {
            sink.tryEmitComplete();
        }
    }

    Flux<T> asFlux() {
        return sink.asFlux();
    }

    OutboundPressure pressure() {
        return pressure;
    }
}

package dev.mutagenws.internal.server;

import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * Takes one live-state signal at a time: writes it, then asks for the next only when few frames wait for
 * the socket ({@link OutboundPressure#whenDrained}). A slow reader is so conflated to the latest state by
 * the hub instead of queueing old ones here. Used by WebSocket subscriptions and event streams alike.
 *
 * @param <T> the signal
 */
abstract class PacedSubscriber<T> extends BaseSubscriber<T> {
    private final OutboundPressure pressure;

    PacedSubscriber(OutboundPressure pressure) {
        this.pressure = pressure;
    }

    /** Writes one signal (emits its frames to the socket's {@link PacedSink}). */
    protected abstract void write(T signal);

    @Override
    protected final void hookOnSubscribe(Subscription subscription) {
        request(1);
    }

    @Override
    protected final void hookOnNext(T signal) {
        write(signal);
        pressure.whenDrained(() -> {
            if (!isDisposed()) {
                request(1);
            }
        });
    }
}

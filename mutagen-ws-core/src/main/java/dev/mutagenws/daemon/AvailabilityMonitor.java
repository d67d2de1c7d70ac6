package dev.mutagenws.daemon;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Watches whether the daemon answers. While connected it costs nothing: it waits for the channel to
 * leave READY (the connection broke) and then asks {@code Version}. While disconnected it asks
 * again every {@code retryInterval}. Only changes are published; the latest is replayed.
 */
final class AvailabilityMonitor {
    private static final Logger log = LoggerFactory.getLogger(AvailabilityMonitor.class);

    private final ManagedChannel channel;
    private final Supplier<Mono<DaemonVersion>> probe;
    private final Duration retryInterval;
    private final Sinks.Many<DaemonAvailability> changes = Sinks.many().replay().latest();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile DaemonAvailability current;
    private volatile Disposable pending;

    AvailabilityMonitor(ManagedChannel channel, Supplier<Mono<DaemonVersion>> probe, Duration retryInterval) {
        this.channel = channel;
        this.probe = probe;
        this.retryInterval = retryInterval;
    }

    Flux<DaemonAvailability> availability() {
        if (started.compareAndSet(false, true)) {
            probeNow();
        }
        return changes.asFlux();
    }

    void close() {
        closed = true;
        Disposable p = pending;
        if (p != null) {
            p.dispose();
        }
        changes.tryEmitComplete();
    }

    private void probeNow() {
        if (closed) {
            return;
        }
        pending = probe.get().subscribe(
                version -> {
                    publish(DaemonAvailability.connected(version));
                    watchConnection();
                },
                error -> {
                    publish(DaemonAvailability.disconnected(error.getMessage()));
                    pending = Mono.delay(retryInterval).subscribe(tick -> probeNow());
                });
    }

    /** Sleeps until the live connection changes state, then checks the daemon again. */
    private void watchConnection() {
        if (closed) {
            return;
        }
        ConnectivityState state = channel.getState(false);
        if (state != ConnectivityState.READY) {
            probeNow();
            return;
        }
        channel.notifyWhenStateChanged(state, this::probeNow);
    }

    private synchronized void publish(DaemonAvailability next) {
        DaemonAvailability previous = current;
        if (previous != null && previous.isConnected() == next.isConnected()
                && (next.isConnected() ? next.version().equals(previous.version()) : true)) {
            return;
        }
        current = next;
        if (next.isConnected() && previous == null) {
            log.info("Mutagen daemon available (version {})", next.version());
        } else if (next.isConnected()) {
            // A recovery is a warning like the loss, so that the two pair up in the log.
            log.warn("Mutagen daemon available again (version {})", next.version());
        } else {
            log.warn("Mutagen daemon unavailable: {}", next.problem());
        }
        changes.tryEmitNext(next);
    }
}

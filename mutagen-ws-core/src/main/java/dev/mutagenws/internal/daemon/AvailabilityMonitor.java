package dev.mutagenws.internal.daemon;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.daemon.DaemonVersion;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Watches whether the daemon answers. While connected it costs nothing: it waits for the connection to
 * close ({@link DaemonConnections}), says so at once, and then asks {@code Version}, so that even a
 * daemon restarted faster than anyone noticed shows as a loss followed by a recovery. While disconnected
 * it asks again every {@code retryInterval}. Changes are published, including a new reason while down
 * ("lost the connection" becoming "no socket"); the latest is replayed.
 */
final class AvailabilityMonitor {
    private static final Logger log = LoggerFactory.getLogger(AvailabilityMonitor.class);

    private final DaemonSocket socket;
    private final Supplier<Mono<DaemonVersion>> probe;
    private final Duration retryInterval;
    private final Sinks.Many<DaemonAvailability> changes = Sinks.many().replay().latest();
    private final AtomicBoolean started = new AtomicBoolean();
    /** The probe or the retry timer in progress; replaced when a loss asks for a fresh probe. */
    private final Disposable.Swap pending = Disposables.swap();
    private volatile boolean closed;
    // Guarded by this.
    private DaemonAvailability current;

    AvailabilityMonitor(DaemonSocket socket, DaemonConnections connections, Supplier<Mono<DaemonVersion>> probe,
            Duration retryInterval) {
        this.socket = socket;
        this.probe = probe;
        this.retryInterval = retryInterval;
        // The listener runs on the connection's event loop: logging and publishing happen elsewhere.
        connections.onLoss(() -> {
            if (started.get() && !closed) {
                Schedulers.boundedElastic().schedule(this::connectionLost);
            }
        });
    }

    Flux<DaemonAvailability> availability() {
        if (started.compareAndSet(false, true)) {
            probeNow();
        }
        return changes.asFlux();
    }

    void close() {
        closed = true;
        pending.dispose();
        changes.tryEmitComplete();
    }

    private void connectionLost() {
        if (closed) {
            return;
        }
        publish(DaemonAvailability.disconnected(DaemonUnavailableException.connectionClosed(socket.path())
                .getMessage()));
        probeNow();
    }

    private void probeNow() {
        if (closed) {
            return;
        }
        // Registered before it starts, so that a probe answering at once cannot have its retry timer replaced.
        BaseSubscriber<DaemonVersion> attempt = new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(DaemonVersion version) {
                publish(DaemonAvailability.connected(version));
            }

            @Override
            protected void hookOnError(Throwable error) {
                publish(DaemonAvailability.disconnected(String.valueOf(error.getMessage())));
                if (!closed) {
                    pending.update(Schedulers.parallel().schedule(AvailabilityMonitor.this::probeNow,
                            retryInterval.toNanos(), TimeUnit.NANOSECONDS));
                }
            }
        };
        pending.update(attempt);
        probe.get().subscribe(attempt);
    }

    private synchronized void publish(DaemonAvailability next) {
        DaemonAvailability previous = current;
        if (closed || next.equals(previous)) {
            return;
        }
        current = next;
        if (next.isConnected() && previous == null) {
            log.info("Mutagen daemon available (version {})", next.version());
        } else if (next.isConnected()) {
            // A recovery is a warning like the loss, so that the two pair up in the log.
            log.warn("Mutagen daemon available again (version {})", next.version());
        } else if (previous != null && !previous.isConnected()) {
            log.warn("Mutagen daemon still unavailable: {}", next.problem());
        } else {
            log.warn("Mutagen daemon unavailable: {}", next.problem());
        }
        changes.tryEmitNext(next);
    }
}

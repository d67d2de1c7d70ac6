package dev.mutagenws.internal.state;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The long-poll loop of one selection: {@code List(selection, lastIndex)}, at most one call per
 * {@link StateOptions#minInterval()}, fanned out to the subscribers' mailboxes. Exactly one daemon
 * call or timer is outstanding at any time, held in {@link #step} so that stopping cancels it.
 *
 * <p>Restarts are told apart from changes by facts that cannot race: the daemon client's
 * {@link MutagenDaemon#connectionEpoch() connection epoch} (read before and after every call; an answer
 * during which a connection opened or closed is not trusted and asked again, and a trusted answer over
 * another connection than the last one is another daemon run) and, as a second line, an index lower than
 * the last one. A restart is published like an outage, {@code daemon} false then true, before the new
 * run's first snapshot, even when no call failed because the new daemon was up before the loop noticed.
 */
public final class Upstream {
    private static final Logger log = LoggerFactory.getLogger(Upstream.class);

    public final SessionSelection selection;
    /** Told when the loop meets an error that retrying cannot fix (the hub ends its subscriptions). */
    private final BiConsumer<Upstream, Throwable> onFailure;
    private final MutagenDaemon daemon;
    private final StateOptions options;
    private final Disposable.Swap step = Disposables.swap();
    public final List<Mailbox> boxes = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private SessionStates current;
    /** The daemon's index of the last answer; the states were those of {@link #current}. */
    private long lastIndex;
    private boolean down;
    /** Why the daemon is unreachable while {@link #down}, replayed to late subscribers. */
    private DaemonAvailability outage;
    private boolean stopped;
    /** The first answer after an outage is sent even if unchanged: indices from before a restart mean nothing. */
    private boolean forceNext;
    /** Ends the back-off after a failure early: a subscriber joining while the daemon is down wants the state now. */
    private Sinks.One<Long> wake;
    public Disposable linger;

    // Touched only by the loop (one step at a time).
    private long requestIndex;
    private long callStarted;
    private int failures;
    /** The daemon client's connection epoch when the call in progress started. */
    private long callEpoch;
    /** The connection epoch of the last trusted answer; -1 before the first. */
    private long knownEpoch = -1;
    /** Restarts seen as a falling index over one connection (never with a real daemon; kept apart in runs). */
    private long indexRestarts;
    /** Poll requests not yet run by {@link #poll()}: only the thread that raised it from 0 runs them. */
    private final AtomicInteger pollWip = new AtomicInteger();

    public Upstream(BiConsumer<Upstream, Throwable> onFailure, MutagenDaemon daemon, SessionSelection selection,
            StateOptions options) {
        this.onFailure = onFailure;
        this.daemon = daemon;
        this.selection = selection;
        this.options = options;
    }

    /** Adds a subscriber and gives it what a late subscriber needs: the current snapshot, and the outage if any. */
    /**
     * Adds a subscriber: it gets the current state, and while the daemon is down, the reason too. A loop that is down
     * (or back, before its first answer is published) cannot tell whether a resume point is up to date (the daemon may be back already, another run with other
     * indices), so a subscriber resuming from an index then gets the reason only, and its resume is decided by the
     * loop's next answer; a joiner also wakes a loop waiting out its back-off, as it wants the state now.
     */
    public void attach(Mailbox box) {
        Sinks.One<Long> retryNow = null;
        synchronized (this) {
            // Down, or back but before the new run's first state: the last state may be of a run that is over.
            boolean stale = down || forceNext;
            if (current != null && !(stale && box.resumes())) {
                box.offerSnapshot(current, lastIndex);
            }
            if (down) {
                box.offerDaemon(outage);
                retryNow = wake;
            }
            boxes.add(box);
        }
        if (retryNow != null) {
            retryNow.tryEmitValue(0L);
        }
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    public synchronized SessionStates current() {
        return current;
    }

    public void start() {
        poll();
    }

    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        step.dispose();
    }

    /**
     * Starts the next call. Trampolined: a daemon (or a zero interval) that answers synchronously asks
     * for the next poll from inside this one; that request is run by this loop, not by recursing.
     */
    private void poll() {
        if (pollWip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (!isStopped()) {
                callEpoch = daemon.connectionEpoch();
                if (knownEpoch >= 0 && callEpoch != knownEpoch) {
                    // Another connection, maybe another daemon: our index may be of the old run, ask for the state now.
                    requestIndex = 0;
                }
                callStarted = now();
                run(daemon.list(selection, requestIndex), this::answered);
            }
            missed = pollWip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void answered(ListResponse response) {
        long epoch = daemon.connectionEpoch();
        if (epoch != callEpoch && knownEpoch >= 0) {
            // A connection opened or closed while the call ran: the answer may be the old daemon's or the new one's.
            requestIndex = 0;
            poll();
            return;
        }
        String restart = null;
        boolean wasDown;
        List<Mailbox> targets = List.of();
        synchronized (this) {
            if (knownEpoch >= 0 && epoch != knownEpoch) {
                restart = DaemonUnavailableException.connectionClosed(daemon.socket().path()).getMessage();
            } else if (current != null && Long.compareUnsigned(response.getStateIndex(), lastIndex) < 0) {
                indexRestarts++;
                restart = "the Mutagen daemon at " + daemon.socket().path() + " restarted: its state index went back"
                        + " from " + Long.toUnsignedString(lastIndex) + " to "
                        + Long.toUnsignedString(response.getStateIndex());
            }
            if (restart != null && !down && !stopped) {
                // No call failed, yet this is another daemon run: subscribers see the outage it was.
                down = true;
                outage = DaemonAvailability.disconnected(restart);
                targets = boxes;
                for (Mailbox box : targets) {
                    box.offerDaemon(outage);
                }
            }
            wasDown = down;
        }
        knownEpoch = epoch;
        if (restart != null) {
            log.info("state of {}: the daemon restarted ({})", selection, restart);
        }
        targets.forEach(Mailbox::drain);
        if (wasDown) {
            // List works again; tell subscribers with the version (one cheap call) before the fresh state.
            run(daemon.version(), version -> {
                DaemonAvailability back = DaemonAvailability.connected(version);
                List<Mailbox> all;
                synchronized (this) {
                    down = false;
                    forceNext = true;
                    all = boxes;
                    for (Mailbox box : all) {
                        box.offerDaemon(back);
                    }
                }
                log.info("state of {}: daemon available again", selection);
                all.forEach(Mailbox::drain);
                accept(response);
            });
            return;
        }
        accept(response);
    }

    private void accept(ListResponse response) {
        failures = 0;
        requestIndex = response.getStateIndex();
        // The run: the connection it came over, kept apart from runs told by a falling index alone.
        long run = knownEpoch + (indexRestarts << 40);
        publish(new SessionStates(response.getStateIndex(), response.getSessionStatesList(),
                Instant.ofEpochMilli(options.scheduler().now(TimeUnit.MILLISECONDS)), run));
        long wait = callStarted + options.minInterval().toNanos() - now();
        if (wait <= 0) {
            poll();
        } else {
            run(Mono.delay(Duration.ofNanos(wait), options.scheduler()), tick -> poll());
        }
    }

    private void publish(SessionStates snapshot) {
        List<Mailbox> targets;
        synchronized (this) {
            lastIndex = snapshot.stateIndex();
            // The daemon wakes every long-poll on any session's change: most answers repeat our states.
            if (stopped || (!forceNext && snapshot.sameStates(current))) {
                return;
            }
            forceNext = false;
            current = snapshot;
            targets = boxes;
            for (Mailbox box : targets) {
                box.offerSnapshot(snapshot, lastIndex);
            }
        }
        targets.forEach(Mailbox::drain);
    }

    private void failed(Throwable error) {
        if (endedByDaemon(error)) {
            // The daemon ended this long-poll on its side (its context, not an outage): ask again after a
            // pause, from the same index, telling no one: the daemon is up and the states are unchanged.
            failures++;
            log.debug("state of {}: long-poll ended by the daemon ({}); retrying", selection, error.toString());
            run(Mono.delay(backoff(failures), options.scheduler()), tick -> poll());
            return;
        }
        if (!(error instanceof DaemonUnavailableException)) {
            log.debug("state of {}: {}", selection, error.toString());
            onFailure.accept(this, error);
            return;
        }
        failures++;
        // After an outage the daemon may have restarted (index back to 1): ask for the current state at once.
        requestIndex = 0;
        List<Mailbox> targets = List.of();
        DaemonAvailability outage = DaemonAvailability.disconnected(String.valueOf(error.getMessage()));
        // The connection the last answer came over closed (this call found no daemon, or a dying one): that loss is
        // said first, as every other watcher of the daemon hears it, then this reason. The epoch is read again now: a
        // call placed just before the close went out on a new attempt, so only this reading shows the close.
        long failedEpoch = daemon.connectionEpoch();
        boolean closedBetweenCalls = knownEpoch >= 0 && (callEpoch != knownEpoch || failedEpoch != knownEpoch)
                && ((DaemonUnavailableException) error).reason() != DaemonUnavailableException.Reason.CONNECTION_LOST;
        boolean news = false;
        synchronized (this) {
            if (!stopped && !down && closedBetweenCalls) {
                DaemonAvailability lost = DaemonAvailability.disconnected(
                        DaemonUnavailableException.connectionClosed(daemon.socket().path()).getMessage());
                for (Mailbox box : boxes) {
                    box.offerDaemon(lost);
                }
                down = true;
                this.outage = lost;
            }
            // A new reason is news too ("lost the connection" becoming "no socket at ...").
            if (!stopped && (!down || !outage.equals(this.outage))) {
                down = true;
                this.outage = outage;
                news = true;
                for (Mailbox box : boxes) {
                    box.offerDaemon(outage);
                }
            }
            targets = boxes;
        }
        if (closedBetweenCalls) {
            // Announced; an answer over a later connection still differs from it, so the next run gets its own epoch.
            knownEpoch = failedEpoch;
        }
        if (news || failures == 1) {
            log.info("state of {}: daemon unavailable ({}); retrying", selection, error.getMessage());
        }
        targets.forEach(Mailbox::drain);
        Sinks.One<Long> early = Sinks.one();
        synchronized (this) {
            wake = early;
        }
        run(Mono.firstWithSignal(Mono.delay(backoff(failures), options.scheduler()), early.asMono()), tick -> poll());
    }

    /** Exponential, capped, with a random share taken off so that many loops do not retry in step. */
    public Duration backoff(int failure) {
        long min = options.backoffMin().toNanos();
        long max = options.backoffMax().toNanos();
        long base = failure >= 40 ? max : Math.min(max, min << Math.min(failure - 1, 40));
        if (base <= 0 || base > max) {
            base = max;
        }
        double off = options.jitter() == 0 ? 0 : ThreadLocalRandom.current().nextDouble() * options.jitter();
        return Duration.ofNanos((long) (base * (1 - off)));
    }

    /** A long-poll the daemon ended itself on its side's context (not ours: a cancel of ours never arrives here). */
    private static boolean endedByDaemon(Throwable error) {
        return error instanceof DaemonOperationException e && e.reason() == DaemonOperationException.Reason.ENDED;
    }

    private long now() {
        return options.scheduler().now(TimeUnit.NANOSECONDS);
    }

    /** Subscribes the loop's next step, registered before it starts so that a stop always cancels it. */
    private <T> void run(Mono<T> mono, Consumer<T> next) {
        BaseSubscriber<T> subscriber = new BaseSubscriber<>() {
            private boolean got;

            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            protected void hookOnNext(T value) {
                got = true;
                try {
                    next.accept(value);
                } catch (RuntimeException e) {
                    onFailure.accept(Upstream.this, e);
                }
            }

            @Override
            protected void hookOnError(Throwable error) {
                failed(error);
            }

            @Override
            protected void hookOnComplete() {
                if (!got) {
                    failed(new IllegalStateException("the daemon answered nothing"));
                }
            }
        };
        step.replace(subscriber); // the previous step has finished (we run from its callback)
        if (isStopped()) {
            subscriber.dispose();
            return;
        }
        mono.subscribe(subscriber);
    }

    @Override
    public String toString() {
        return "Upstream{" + selection + "}";
    }
}

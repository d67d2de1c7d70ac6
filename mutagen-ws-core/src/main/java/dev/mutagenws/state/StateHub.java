package dev.mutagenws.state;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.state.Mailbox;
import dev.mutagenws.internal.state.Upstream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Live session state from the daemon's {@code List} long-poll, shared: one loop per distinct
 * selection however many subscribe, started by the first subscriber and stopped (its blocked
 * {@code List} cancelled) {@link StateOptions#linger()} after the last one left.
 *
 * <p>Each subscriber gets the current snapshot at once, then every snapshot whose session states
 * differ from the previous one (the daemon wakes long-polls on any session's change, and several
 * times per visible change); a subscriber that reads slowly gets the latest snapshot, never a
 * growing backlog. When the daemon goes away the loop retries with backoff and subscribers get a
 * {@link StateSignal.Kind#DAEMON} signal each way; they need not subscribe again. A daemon error
 * for the selection (a named session no longer exists) ends the subscription with that error.
 *
 * <pre>{@code
 * StateHub hub = StateHub.create(daemon);
 * hub.watch(SessionSelection.labels("team=web"))
 *    .subscribe(s -> System.out.println(s.stateIndex() + ": " + s.states().size() + " sessions"));
 * }</pre>
 */
public final class StateHub implements AutoCloseable {
    private final MutagenDaemon daemon;
    private final StateOptions options;
    // Guarded by this (attach, detach, expiry and failure are rare and brief).
    private final Map<SessionSelection, Upstream> upstreams = new HashMap<>();
    private boolean closed;

    private StateHub(MutagenDaemon daemon, StateOptions options) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * A hub with {@link StateOptions#defaults()}. The hub does not own the daemon client: closing the hub leaves it
     * open. Hubs are thread-safe; one per daemon client is enough, since loops are shared per selection.
     */
    public static StateHub create(MutagenDaemon daemon) {
        return new StateHub(daemon, StateOptions.defaults());
    }

    /**
     * A hub with the given polling, backoff and buffering options. The hub does not own the daemon client: closing the
     * hub leaves it open.
     */
    public static StateHub create(MutagenDaemon daemon, StateOptions options) {
        return new StateHub(daemon, options);
    }

    /** The options this hub was created with. */
    public StateOptions options() {
        return options;
    }

    /** The snapshots of a selection: the current one at once, then each one that differs. */
    public Flux<SessionStates> watch(SessionSelection selection) {
        return signals(selection, 0)
                .filter(s -> s.kind() == StateSignal.Kind.SNAPSHOT)
                .map(StateSignal::snapshot);
    }

    /**
     * Everything a live view needs: snapshots, change events (on each snapshot signal) and daemon
     * outages, in order.
     *
     * @param resumeAfter 0 for the current snapshot at once; else a state index the subscriber has
     *     seen: the first snapshot is then the next one with another index, at once if the daemon has
     *     moved on (or restarted), and an {@link StateSignal.Kind#UNCHANGED} signal says it has not
     */
    public Flux<StateSignal> signals(SessionSelection selection, long resumeAfter) {
        return signals(selection, resumeAfter, null);
    }

    /**
     * As {@link #signals(SessionSelection, long)}, with the daemon run that {@code resumeAfter} belongs to
     * ({@link SessionStates#epoch()} of the snapshot it came from): an index of another run, even one equal
     * to the current index, gets the current snapshot at once. Null when unknown (the index alone decides).
     */
    public Flux<StateSignal> signals(SessionSelection selection, long resumeAfter, String resumeEpoch) {
        Objects.requireNonNull(selection, "selection");
        return Flux.create(sink -> {
            Mailbox box = new Mailbox(sink, options.maxPending(), resumeAfter, resumeEpoch);
            Upstream upstream = attach(selection, box);
            if (upstream == null) {
                sink.complete();
                return;
            }
            sink.onRequest(n -> box.drain());
            sink.onDispose(box.detach::run);
            box.drain();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private Upstream attach(SessionSelection selection, Mailbox box) {
        Upstream upstream;
        boolean fresh = false;
        synchronized (this) {
            if (closed) {
                return null;
            }
            upstream = upstreams.get(selection);
            if (upstream == null) {
                upstream = new Upstream(this::failed, daemon, selection, options);
                upstreams.put(selection, upstream);
                fresh = true;
            }
            if (upstream.linger != null) {
                upstream.linger.dispose();
                upstream.linger = null;
            }
            Upstream joined = upstream;
            AtomicBoolean left = new AtomicBoolean();
            // Before the box is visible to the loop, which may end it (a throwing subscriber) at once.
            box.detach = () -> {
                if (left.compareAndSet(false, true)) {
                    box.cancel();
                    detach(joined, box);
                }
            };
            upstream.attach(box);
        }
        if (fresh) {
            upstream.start();
        }
        return upstream;
    }

    private void detach(Upstream upstream, Mailbox box) {
        synchronized (this) {
            upstream.boxes.remove(box);
            if (!upstream.boxes.isEmpty() || upstream.isStopped() || upstreams.get(upstream.selection) != upstream) {
                return;
            }
            if (!options.linger().isZero()) {
                upstream.linger = options.scheduler().schedule(() -> expire(upstream),
                        options.linger().toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        expire(upstream);
    }

    private void expire(Upstream upstream) {
        synchronized (this) {
            if (!upstream.boxes.isEmpty() || upstreams.get(upstream.selection) != upstream) {
                return;
            }
            upstreams.remove(upstream.selection);
        }
        upstream.stop();
    }

    /** The loop met an error that retrying cannot fix: it ends, and so do its subscriptions. */
    private void failed(Upstream upstream, Throwable error) {
        synchronized (this) {
            if (upstreams.get(upstream.selection) == upstream) {
                upstreams.remove(upstream.selection);
            }
        }
        upstream.stop();
        for (Mailbox box : upstream.boxes) {
            box.error(error);
            box.drain();
        }
    }

    /** Selections with a running loop (for metrics and tests). */
    public synchronized int activeSelections() {
        return upstreams.size();
    }

    /** Signals waiting for slow subscribers, over all selections (bounded by design; for metrics and tests). */
    public int pendingSignals() {
        List<Upstream> all;
        synchronized (this) {
            all = new ArrayList<>(upstreams.values());
        }
        int n = 0;
        for (Upstream u : all) {
            for (Mailbox box : u.boxes) {
                n += box.pending();
            }
        }
        return n;
    }

    /** The latest snapshot of a selection with a running loop, else null. */
    public SessionStates current(SessionSelection selection) {
        Upstream u;
        synchronized (this) {
            u = upstreams.get(selection);
        }
        return u == null ? null : u.current();
    }

    /** Stops every loop; subscriptions complete. */
    @Override
    public void close() {
        List<Upstream> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(upstreams.values());
            upstreams.clear();
        }
        for (Upstream u : all) {
            u.stop();
            for (Mailbox box : u.boxes) {
                box.complete();
                box.drain();
            }
        }
    }
}

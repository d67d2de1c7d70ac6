package dev.mutagenws.state;

import dev.mutagenws.daemon.DaemonAvailability;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.FluxSink;

/**
 * One subscriber's pending signals. Bounded: a new snapshot replaces a snapshot still waiting at the
 * tail (conflation to the latest), a new daemon signal replaces one waiting at the tail, and beyond
 * {@code max} entries the oldest go. The newest snapshot is therefore never lost. Delivery follows
 * the subscriber's demand (a lock-free drain loop, so no thread ever waits for another here).
 */
final class Mailbox {
    private enum Kind { SNAPSHOT, UNCHANGED, DAEMON }

    private static final class Entry {
        final Kind kind;
        final SessionStates snapshot;
        final long stateIndex;
        final DaemonAvailability daemon;

        Entry(Kind kind, SessionStates snapshot, long stateIndex, DaemonAvailability daemon) {
            this.kind = kind;
            this.snapshot = snapshot;
            this.stateIndex = stateIndex;
            this.daemon = daemon;
        }
    }

    private final FluxSink<StateSignal> sink;
    private final int max;
    private final AtomicInteger wip = new AtomicInteger();

    // Guarded by this.
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** The index the subscriber resumes after, until its first snapshot decision; 0 = no resume. */
    private long resumeIndex;
    private boolean resumeDecided;
    /** The snapshot the subscriber last got (or resumed at): the base of its events. */
    private SessionStates delivered;
    private Throwable error;
    private boolean completed;
    private boolean finished;

    Mailbox(FluxSink<StateSignal> sink, int max, long resumeIndex) {
        this.sink = sink;
        this.max = max;
        this.resumeIndex = resumeIndex;
        this.resumeDecided = resumeIndex == 0;
    }

    /**
     * Queues a snapshot. {@code sameAsIndex} is the daemon's latest index, at which the states were
     * still the same as {@code snapshot}'s: a subscriber resuming at either index is up to date.
     */
    synchronized void offerSnapshot(SessionStates snapshot, long sameAsIndex) {
        if (!resumeDecided) {
            resumeDecided = true;
            if (snapshot.stateIndex() == resumeIndex || sameAsIndex == resumeIndex) {
                add(new Entry(Kind.UNCHANGED, snapshot, resumeIndex, null));
                return;
            }
        }
        Entry last = queue.peekLast();
        if (last != null && last.kind == Kind.SNAPSHOT) {
            queue.pollLast();
        }
        add(new Entry(Kind.SNAPSHOT, snapshot, snapshot.stateIndex(), null));
    }

    synchronized void offerDaemon(DaemonAvailability availability) {
        Entry last = queue.peekLast();
        if (last != null && last.kind == Kind.DAEMON) {
            queue.pollLast();
        }
        add(new Entry(Kind.DAEMON, null, 0, availability));
    }

    synchronized void error(Throwable e) {
        if (error == null && !completed) {
            error = e;
        }
    }

    synchronized void complete() {
        if (error == null) {
            completed = true;
        }
    }

    /** Signals waiting for demand (for tests and metrics). */
    synchronized int pending() {
        return queue.size();
    }

    private void add(Entry entry) {
        queue.addLast(entry);
        while (queue.size() > max) {
            queue.pollFirst();
        }
    }

    /** Delivers what the subscriber asked for; callable from any thread, any number of times. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            while (true) {
                StateSignal next = null;
                Throwable failed = null;
                boolean done = false;
                synchronized (this) {
                    if (finished) {
                        queue.clear();
                        break;
                    }
                    if (queue.isEmpty()) {
                        failed = error;
                        done = completed;
                        if (failed != null || done) {
                            finished = true;
                        }
                    } else if (sink.requestedFromDownstream() > 0) {
                        next = take(queue.pollFirst());
                    }
                }
                if (next != null) {
                    sink.next(next);
                } else {
                    if (failed != null) {
                        sink.error(failed);
                    } else if (done) {
                        sink.complete();
                    }
                    break;
                }
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Turns a queued entry into the subscriber's signal; guarded by this. */
    private StateSignal take(Entry entry) {
        switch (entry.kind) {
            case SNAPSHOT: {
                StateSignal s = StateSignal.snapshot(entry.snapshot, delivered);
                delivered = entry.snapshot;
                return s;
            }
            case UNCHANGED:
                delivered = entry.snapshot;
                return StateSignal.unchanged(entry.stateIndex);
            default:
                return StateSignal.daemon(entry.daemon);
        }
    }

    /** The subscriber left: nothing more is delivered. */
    synchronized void cancel() {
        finished = true;
        queue.clear();
    }
}

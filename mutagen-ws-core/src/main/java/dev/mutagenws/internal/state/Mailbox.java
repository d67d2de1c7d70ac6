package dev.mutagenws.internal.state;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateSignal;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Exceptions;
import reactor.core.publisher.FluxSink;

/**
 * One subscriber's pending signals, bounded by conflation: whatever arrives while the subscriber does
 * not read, the queue holds at most [resume answer] [latest snapshot] [daemon false] [daemon true, or
 * false with a newer reason] [latest snapshot], in the order they happened. The newest snapshot is never
 * lost, and an outage is never hidden: a {@code true} still waiting always has the {@code false} before
 * it. Delivery follows the subscriber's demand (a lock-free drain loop, so no thread ever waits for
 * another here). A subscriber that throws from {@code onNext} is ended alone, with that error.
 */
public final class Mailbox {
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
    /** The daemon run the resume index belongs to ({@link SessionStates#epoch()}), or null when the client did not say. */
    private final String resumeEpoch;
    private boolean resumeDecided;
    /** The snapshot the subscriber last got (or resumed at): the base of its events. */
    private SessionStates delivered;
    private Throwable error;
    private boolean completed;
    private boolean finished;

    public Mailbox(FluxSink<StateSignal> sink, int max, long resumeIndex, String resumeEpoch) {
        this.sink = sink;
        this.max = max;
        this.resumeIndex = resumeIndex;
        this.resumeEpoch = resumeEpoch;
        this.resumeDecided = resumeIndex == 0;
    }

    /**
     * Queues a snapshot. {@code sameAsIndex} is the daemon's latest index, at which the states were
     * still the same as {@code snapshot}'s: a subscriber resuming at either index is up to date, unless its
     * index is of another daemon run (indices start again at 1 with every run, so equal ones mean nothing).
     */
    synchronized void offerSnapshot(SessionStates snapshot, long sameAsIndex) {
        if (!resumeDecided) {
            resumeDecided = true;
            boolean sameRun = resumeEpoch == null || resumeEpoch.equals(snapshot.epoch());
            if (sameRun && (snapshot.stateIndex() == resumeIndex || sameAsIndex == resumeIndex)) {
                add(new Entry(Kind.UNCHANGED, snapshot, resumeIndex, null));
                return;
            }
        }
        add(new Entry(Kind.SNAPSHOT, snapshot, snapshot.stateIndex(), null));
    }

    /** Whether the subscriber resumes from a state index (rather than asking for whatever is current). */
    synchronized boolean resumes() {
        return resumeIndex != 0;
    }

    synchronized void offerDaemon(DaemonAvailability availability) {
        add(new Entry(Kind.DAEMON, null, 0, availability));
    }

    public synchronized void error(Throwable e) {
        if (error == null && !completed) {
            error = e;
        }
    }

    public synchronized void complete() {
        if (error == null) {
            completed = true;
        }
    }

    /** Signals waiting for demand (for tests and metrics). */
    public synchronized int pending() {
        return queue.size();
    }

    private void add(Entry entry) {
        queue.addLast(entry);
        if (queue.size() > 1) {
            compact();
        }
    }

    /**
     * Reduces the queue to what a subscriber that reads now needs, in order: the resume answer, the
     * newest snapshot, and the outage as one false followed by one true if the daemon is back. An outage
     * still going on keeps its first reason and its newest one ("lost the connection", then "no socket").
     * Snapshots between dropped transitions move before the false: they are older than the true, after
     * which the loop always sends a fresh one. Guarded by this.
     */
    private void compact() {
        Entry unchanged = null;
        Entry snapshot = null;
        Entry firstDown = null;
        Entry outageStart = null;
        Entry lastDown = null;
        Entry lastDaemon = null;
        boolean snapshotAfterDaemon = false;
        for (Entry e : queue) {
            switch (e.kind) {
                case UNCHANGED:
                    unchanged = e;
                    break;
                case SNAPSHOT:
                    snapshot = e;
                    snapshotAfterDaemon = true;
                    break;
                default:
                    if (!e.daemon.isConnected()) {
                        if (firstDown == null) {
                            firstDown = e;
                        }
                        if (outageStart == null) {
                            outageStart = e;
                        }
                        lastDown = e;
                    } else {
                        outageStart = null;
                    }
                    lastDaemon = e;
                    snapshotAfterDaemon = false;
                    break;
            }
        }
        queue.clear();
        if (unchanged != null) {
            queue.addLast(unchanged);
        }
        if (snapshot != null && !snapshotAfterDaemon) {
            queue.addLast(snapshot);
        }
        if (lastDaemon != null) {
            if (lastDaemon.daemon.isConnected()) {
                if (firstDown != null) {
                    queue.addLast(firstDown);
                }
                queue.addLast(lastDaemon);
            } else {
                queue.addLast(outageStart);
                if (lastDown != outageStart && !lastDown.daemon.equals(outageStart.daemon)) {
                    queue.addLast(lastDown);
                }
            }
        }
        if (snapshot != null && snapshotAfterDaemon) {
            queue.addLast(snapshot);
        }
        // Only for a maxPending below the compact form's size: the oldest snapshot goes first.
        while (queue.size() > max) {
            Entry oldest = queue.stream().filter(e -> e.kind == Kind.SNAPSHOT).findFirst().orElse(queue.peekFirst());
            queue.remove(oldest);
        }
    }

    /** Delivers what the subscriber asked for; callable from any thread, any number of times. */
    public void drain() {
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
                    try {
                        sink.next(next);
                    } catch (Throwable e) {
                        // Delivery runs on the loop's thread: a subscriber's exception must not reach the loop.
                        Exceptions.throwIfJvmFatal(e);
                        synchronized (this) {
                            finished = true;
                            queue.clear();
                        }
                        failSubscriber(e);
                        break;
                    }
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

    /** Set once attached: takes this box off its loop. */
    public volatile Runnable detach;

    private void failSubscriber(Throwable e) {
        Runnable leave = detach;
        if (leave != null) {
            leave.run();
        }
        try {
            sink.error(e); // may be lost if the subscriber's own operator broke; we already left
        } catch (Throwable again) {
            Exceptions.throwIfJvmFatal(again);
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
                return StateSignal.unchanged(entry.stateIndex, entry.snapshot.epoch());
            default:
                return StateSignal.daemon(entry.daemon);
        }
    }

    /** The subscriber left: nothing more is delivered. */
    public synchronized void cancel() {
        finished = true;
        queue.clear();
    }
}

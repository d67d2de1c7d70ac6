package dev.mutagenws.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a connection's frames queued for the socket but not yet taken by it, so that live-state
 * subscriptions ask for their next snapshot only when the client keeps up: a slow client then
 * gets the latest state (conflated upstream), not an ever-growing queue of old ones. Lock-free.
 */
final class OutboundPressure {
    /** Frames that may wait before subscriptions hold back. */
    static final int LOW_WATER = 8;

    private final AtomicLong queued = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    void emitted() {
        queued.incrementAndGet();
    }

    void taken() {
        if (queued.decrementAndGet() <= LOW_WATER) {
            release();
        }
    }

    /** Runs {@code action} now if few frames wait, else once the socket has taken enough. */
    void whenDrained(Runnable action) {
        if (queued.get() <= LOW_WATER) {
            action.run();
            return;
        }
        waiters.add(action);
        // The socket may have drained between the check and the add.
        if (queued.get() <= LOW_WATER) {
            release();
        }
    }

    int queued() {
        return (int) queued.get();
    }

    private void release() {
        Runnable next;
        while ((next = waiters.poll()) != null) {
            next.run();
        }
    }

    void clear() {
        waiters.clear();
    }
}

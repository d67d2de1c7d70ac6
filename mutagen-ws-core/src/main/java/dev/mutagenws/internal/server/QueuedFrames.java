package dev.mutagenws.internal.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A gauge: the frames of all of a gateway's WebSockets and event streams queued for their sockets and not yet
 * written. Each connection holds back at a few ({@link OutboundPressure#LOW_WATER}), so a high value means
 * many slow clients, never one client's backlog.
 */
public final class QueuedFrames {
    private final AtomicLong count = new AtomicLong();

    void add(long delta) {
        count.addAndGet(delta);
    }

    /** Frames queued and not yet written, over every connection. */
    public long count() {
        return count.get();
    }
}

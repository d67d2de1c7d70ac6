package dev.mutagenws.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import reactor.netty.Connection;

/**
 * Counts a connection's frames that are queued but not yet written to its socket, so that
 * live-state subscriptions ask for their next signal only when the client keeps up: a slow client
 * then gets the latest state (conflated upstream, in the hub), not a queue of old ones.
 *
 * <p>A frame counts as done when Netty has written it to the socket (its write promise completed),
 * not when Reactor Netty's send loop takes it: that loop prefetches up to 128 frames and then
 * holds them while the socket is full. {@link #install} puts the counting handler on the channel.
 * Lock-free.
 */
public final class OutboundPressure {
    /** Frames that may wait for the socket before subscriptions hold back. */
    public static final int LOW_WATER = 4;
    static final String HANDLER = "mutagenws.outboundPressure";

    private final AtomicLong queued = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final QueuedFrames total;

    /** Counts one connection's frames, and adds them to {@code total}, the gateway's gauge. */
    OutboundPressure(QueuedFrames total) {
        this.total = total;
    }

    /** A frame was queued for the socket. */
    void emitted() {
        queued.incrementAndGet();
        total.add(1);
    }

    /** A frame left (written to the socket, or dropped with a failed write). */
    void written() {
        total.add(-1);
        if (queued.decrementAndGet() <= LOW_WATER) {
            release();
        }
    }

    /** Runs {@code action} now if few frames wait, else once the socket has written enough. */
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

    /** Frames queued and not yet written. */
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

    /** WebSocket: our replies and pushes are text frames; pings, pongs and close are not ours. */
    static boolean isTextFrame(Object message) {
        return message instanceof TextWebSocketFrame;
    }

    /** HTTP streaming: each chunk of the body (headers and the empty last chunk are not counted). */
    static boolean isBodyChunk(Object message) {
        if (message instanceof ByteBuf) {
            return ((ByteBuf) message).isReadable();
        }
        return message instanceof HttpContent && ((HttpContent) message).content().isReadable();
    }

    /** Adds the handler that calls {@link #written()} when a message {@code counted} matches has been written. */
    void install(Connection connection, Predicate<Object> counted) {
        connection.removeHandler(HANDLER);
        connection.addHandlerLast(HANDLER, new WriteTracker(this, counted));
    }

    static void uninstall(Connection connection) {
        connection.removeHandler(HANDLER);
    }

    /**
     * Sees each outbound message before the encoders; for counted ones it writes with a promise of its
     * own and passes the outcome on to the original (Reactor Netty's send loop counts its own writes).
     */
    private static final class WriteTracker extends ChannelDuplexHandler {
        private final OutboundPressure pressure;
        private final Predicate<Object> counted;

        WriteTracker(OutboundPressure pressure, Predicate<Object> counted) {
            this.pressure = pressure;
            this.counted = counted;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!counted.test(msg)) {
                ctx.write(msg, promise);
                return;
            }
            ChannelPromise own = ctx.newPromise();
            own.addListener(f -> {
                pressure.written();
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            ctx.write(msg, own);
        }
    }
}

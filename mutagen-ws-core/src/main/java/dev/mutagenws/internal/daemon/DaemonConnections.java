package dev.mutagenws.internal.daemon;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ReflectiveChannelFactory;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes gRPC's socket channels and watches them: the only place that sees a connection to the daemon
 * open and close, including a close that no call noticed (a daemon that halted its sessions, answered a
 * blocked {@code List} and exited between two calls). The close listener runs on the channel's event
 * loop before gRPC hears of the close, so {@link #epoch()} has moved before any call can be placed on
 * a new connection.
 */
final class DaemonConnections implements ChannelFactory<Channel> {
    private final ChannelFactory<? extends Channel> delegate;
    private final AtomicLong epoch = new AtomicLong();
    private final CopyOnWriteArrayList<Runnable> lossListeners = new CopyOnWriteArrayList<>();

    DaemonConnections(Class<? extends Channel> channelType) {
        this.delegate = new ReflectiveChannelFactory<>(channelType);
    }

    @Override
    public Channel newChannel() {
        Channel channel = delegate.newChannel();
        epoch.incrementAndGet();
        Established established = new Established();
        // First in the pipeline: gRPC adds its handlers after this one when it registers the channel.
        channel.pipeline().addFirst(established);
        channel.closeFuture().addListener(f -> {
            epoch.incrementAndGet();
            if (established.active) {
                lossListeners.forEach(Runnable::run);
            }
        });
        return channel;
    }

    /** Moves on every connection opened or closed (attempts included): equal readings saw one connection throughout. */
    long epoch() {
        return epoch.get();
    }

    /** Runs {@code listener} (on the event loop: keep it short) whenever an established connection closes. */
    void onLoss(Runnable listener) {
        lossListeners.add(listener);
    }

    /** Remembers whether the socket ever connected, so that failed attempts are not reported as losses. */
    private static final class Established extends ChannelInboundHandlerAdapter {
        volatile boolean active;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
            ctx.fireChannelActive();
        }
    }
}

package dev.mutagenws.testkit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerDomainSocketChannel;

/**
 * The native Netty transport that serves the {@link FakeDaemon}'s Unix domain socket: epoll, else kqueue. The event
 * loop group and the server channel class must come from the same transport, so they are picked together.
 */
record UnixServerTransport(IoHandlerFactory ioHandlers, Class<? extends ServerChannel> channelType) {

    /** This platform's transport; fails when neither epoll nor kqueue is available. */
    static UnixServerTransport detect() {
        if (Epoll.isAvailable()) {
            return new UnixServerTransport(EpollIoHandler.newFactory(), EpollServerDomainSocketChannel.class);
        } else if (KQueue.isAvailable()) {
            return new UnixServerTransport(KQueueIoHandler.newFactory(), KQueueServerDomainSocketChannel.class);
        }
        throw new IllegalStateException("no native Unix socket transport", Epoll.unavailabilityCause());
    }

    /** A new single-threaded event loop group (boss and worker); the caller shuts it down. */
    EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, ioHandlers);
    }
}

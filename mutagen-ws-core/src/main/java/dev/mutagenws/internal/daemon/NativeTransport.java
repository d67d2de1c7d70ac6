package dev.mutagenws.internal.daemon;

import dev.mutagenws.daemon.DaemonTransportException;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueDomainSocketChannel;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/**
 * The native Netty transport that can open Unix domain sockets on this platform: epoll on Linux,
 * kqueue on macOS. The event loop group and the channel class must come from the same transport,
 * or calls fail at run time, so they are only ever handed out together.
 */
public final class NativeTransport {
    private final String name;
    private final Class<? extends Channel> channelType;
    private final IoHandlerFactory ioHandlerFactory;

    private NativeTransport(String name, Class<? extends Channel> channelType, IoHandlerFactory factory) {
        this.name = name;
        this.channelType = channelType;
        this.ioHandlerFactory = factory;
    }

    /**
     * Picks the transport for this operating system.
     *
     * @throws DaemonTransportException when no native Unix socket transport is available here
     */
    public static NativeTransport detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (!Epoll.isAvailable()) {
                throw new DaemonTransportException(
                        "the native epoll transport needed for the daemon's Unix socket is not available: "
                                + Epoll.unavailabilityCause(),
                        Epoll.unavailabilityCause());
            }
            return new NativeTransport("epoll", EpollDomainSocketChannel.class, EpollIoHandler.newFactory());
        }
        if (os.contains("mac") || os.contains("darwin") || os.contains("bsd")) {
            if (!KQueue.isAvailable()) {
                throw new DaemonTransportException(
                        "the native kqueue transport needed for the daemon's Unix socket is not available: "
                                + KQueue.unavailabilityCause(),
                        KQueue.unavailabilityCause());
            }
            return new NativeTransport("kqueue", KQueueDomainSocketChannel.class, KQueueIoHandler.newFactory());
        }
        if (os.contains("windows")) {
            throw new DaemonTransportException("Windows is not supported: the Mutagen daemon listens on a named"
                    + " pipe there, and mutagen-ws only speaks to Unix domain sockets (Linux, macOS)", null);
        }
        throw new DaemonTransportException("unsupported operating system '" + System.getProperty("os.name")
                + "': mutagen-ws needs epoll (Linux) or kqueue (macOS) for Unix domain sockets", null);
    }

    /** A new event loop group of this transport; the caller owns and shuts it down. */
    public EventLoopGroup newEventLoopGroup(int threads, String threadNamePrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix, true),
                ioHandlerFactory);
    }

    public Class<? extends Channel> channelType() {
        return channelType;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.mutagenws.testkit;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link FakeDaemon}'s gRPC server on its Unix domain socket, from binding to the removal of the socket file.
 * The stop's steps are separate because the fake daemon interleaves them with its engine's.
 */
final class SocketServer {
    private static final int MAX_MESSAGE = 25 * 1024 * 1024;

    private final Path socketPath;
    private final Server server;
    private final EventLoopGroup group;

    private SocketServer(Path socketPath, Server server, EventLoopGroup group) {
        this.socketPath = socketPath;
        this.server = server;
        this.group = group;
    }

    /** Binds the socket (removing a stale file, then chmod 0600) and serves {@code services} on {@code executor}. */
    static SocketServer start(Path socketPath, Executor executor, ServerInterceptor interceptor,
            List<BindableService> services) throws IOException {
        Files.createDirectories(socketPath.getParent());
        Files.deleteIfExists(socketPath);
        UnixServerTransport transport = UnixServerTransport.detect();
        EventLoopGroup group = transport.newGroup();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socketPath.toString()))
                .channelType(transport.channelType())
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .executor(executor)
                .maxInboundMessageSize(MAX_MESSAGE)
                .intercept(interceptor);
        services.forEach(builder::addService);
        Server server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        try {
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Non-POSIX file system.
        }
        return new SocketServer(socketPath, server, group);
    }

    /** Drops every connection; calls in flight are cancelled. */
    void shutdownNow() {
        server.shutdownNow();
    }

    /** Waits for the server to end (5 s at most), then for its event loop. */
    void awaitTermination() {
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    void removeSocket() {
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // Best effort, like the daemon's deferred clean-up.
        }
    }
}

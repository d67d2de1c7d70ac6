package dev.mutagenws.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * A {@link MutagenGateway} serving on its own, as {@link MutagenGateway#bind} started it; {@link #close()} stops
 * both. Stopping runs, in this order: new requests are answered 503; WebSockets are sent close status 1001 (going
 * away) and given a grace period to close; every request in flight, long-poll, event stream and prompt is cancelled,
 * which cancels its daemon call; the server stops listening; the gateway's live state and, when the gateway created
 * it, its daemon client are closed.
 *
 * <pre>{@code
 * try (GatewayServer server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block()) {
 *     System.out.println("listening on port " + server.port());
 *     ...
 * } // stopped here
 * }</pre>
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** How long the listening socket may take to close; it normally takes a moment. */
    private static final Duration UNBIND_TIMEOUT = Duration.ofSeconds(1);

    private final MutagenGateway gateway;
    private final DisposableServer server;

    GatewayServer(MutagenGateway gateway, DisposableServer server) {
        this.gateway = gateway;
        this.server = server;
    }

    /**
     * The address the server listens on.
     *
     * @return the bound address, with the port chosen when port 0 was asked for
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /**
     * The port the server listens on.
     *
     * @return the bound port, the one chosen when port 0 was asked for
     */
    public int port() {
        return server.port();
    }

    /**
     * Stops the server and its gateway, giving WebSockets the gateway's
     * {@link GatewayOptions#shutdownGrace() shutdownGrace} to close. Non-blocking: nothing happens until the result
     * is subscribed to. Once begun, stopping runs to its end even if that subscriber cancels; every call completes
     * when it has ended.
     *
     * @return completes when stopped; never fails
     */
    public Mono<Void> shutdown() {
        return shutdown(gateway.options().shutdownGrace());
    }

    /**
     * Stops the server and its gateway, giving WebSockets up to {@code grace} to close, and waits until stopped (if
     * stopping had already begun, waits for that). Blocks the calling thread: never call it on an event loop; use
     * {@link #shutdown()} there.
     *
     * @param grace how long WebSockets may take to close after being sent 1001
     */
    public void disposeNow(Duration grace) {
        // Each step is bounded (grace, then UNBIND_TIMEOUT, then closing that does not wait), so this ends.
        shutdown(grace).block();
    }

    /**
     * Stops the server and its gateway with the gateway's {@link GatewayOptions#shutdownGrace() shutdownGrace}, as
     * {@link #disposeNow(Duration)}; blocks the calling thread until stopped.
     */
    @Override
    public void close() {
        disposeNow(gateway.options().shutdownGrace());
    }

    /**
     * Completes when the server and its gateway have stopped, however stopping was started. Useful to keep a
     * program's main thread alive: {@code server.onDispose().block()}.
     *
     * @return completes when stopped
     */
    public Mono<Void> onDispose() {
        return Mono.when(gateway.terminated(), server.onDispose());
    }

    private Mono<Void> shutdown(Duration grace) {
        // Also after the gateway's own stop: a gateway stopped with MutagenGateway.shutdown() leaves the server bound.
        Mono<Void> unbind = Mono.defer(() -> {
            server.dispose();
            return server.onDispose().timeout(UNBIND_TIMEOUT, Mono.fromRunnable(
                    () -> log.warn("the server did not stop listening within {}", UNBIND_TIMEOUT)));
        });
        return gateway.stop(grace, unbind).then(unbind);
    }

    @Override
    public String toString() {
        return "GatewayServer[" + address() + "]";
    }
}

package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.server.security.SecurityPolicy;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Stopping as an embedder does it, with one call: {@link GatewayServer#close()} for a gateway started with
 * {@code bind}, {@link MutagenGateway#shutdown()} for one mounted in the embedder's own server. Either way the
 * embedder's WebSocket clients get 1001, the daemon calls are cancelled and what the gateway owns is closed.
 */
class GatewayStopTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    FakeDaemon fake;

    @BeforeEach
    void start() {
        fake = FakeDaemon.builder().build().start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void closingTheBoundServerSendsGoingAwayCancelsDaemonCallsUnbindsAndClosesTheDaemonClientItCreated()
            throws Exception {
        // The gateway creates its daemon client, so it closes it.
        MutagenGateway gateway = MutagenGateway.builder().socket(DaemonSocket.of(fake.socketPath()))
                .security(SecurityPolicy.builder().token(GatewayHarness.TOKEN).build()).build();
        GatewayServer server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(WAIT);
        assertThat(server.address().getPort()).isEqualTo(server.port()).isPositive();
        Client client = Client.longPolling(server.port(), fake);
        try {
            long started = System.nanoTime();
            server.close();
            // The client answered the close at once: no waiting out the grace period.
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(GatewayOptions.DEFAULT_SHUTDOWN_GRACE);
            assertThat(client.closeStatus().code()).isEqualTo(1001);
            assertThat(fake.awaitCancelled("List", WAIT)).as("the long-poll cancelled at the daemon").isTrue();
            assertThat(server.onDispose().block(WAIT)).isNull();
            assertThatThrownBy(() -> status(server.port(), "/api/daemon")).as("no longer listening")
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> gateway.daemon().version().block(WAIT)).as("the daemon client is closed")
                    .isInstanceOf(RuntimeException.class);
            // Stopping again is harmless, by either call.
            server.close();
            assertThat(gateway.shutdown().block(WAIT)).isNull();
        } finally {
            client.connection.dispose();
        }
    }

    @Test
    void shuttingDownAMountedGatewaySendsGoingAwayCancelsDaemonCallsAndLeavesTheApplicationAndItsDaemonAlone()
            throws Exception {
        // The embedder's daemon client: the gateway must not close it.
        MutagenDaemon daemon = MutagenDaemon.builder().socket(fake.socketPath()).build();
        MutagenGateway gateway = MutagenGateway.builder().daemon(daemon)
                .security(SecurityPolicy.builder().token(GatewayHarness.TOKEN).build()).build();
        DisposableServer app = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> {
                    routes.get("/hello", (request, response) -> response.sendString(Mono.just("hello")));
                    gateway.register(routes);
                })
                .bindNow(WAIT);
        Client client = Client.longPolling(app.port(), fake);
        try {
            assertThat(gateway.shutdown().block(WAIT)).isNull();
            assertThat(client.closeStatus().code()).isEqualTo(1001);
            assertThat(fake.awaitCancelled("List", WAIT)).as("the long-poll cancelled at the daemon").isTrue();
            // The application's server still runs until the application disposes it; the gateway's routes refuse.
            assertThat(status(app.port(), "/api/daemon")).isEqualTo(503);
            assertThat(status(app.port(), "/hello")).isEqualTo(200);
            assertThat(daemon.version().block(WAIT)).as("the embedder's daemon client still works").isNotNull();
            assertThat(gateway.shutdown().block(WAIT)).isNull();
        } finally {
            client.connection.dispose();
            app.disposeNow(WAIT);
            daemon.close();
        }
    }

    @Test
    void aGatewayStoppedWhileMountedLeavesItsBoundServerToClose() {
        MutagenGateway gateway = MutagenGateway.builder().socket(DaemonSocket.of(fake.socketPath()))
                .security(SecurityPolicy.unauthenticatedLocalOnly()).build();
        GatewayServer server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(WAIT);
        gateway.shutdown().block(WAIT);
        assertThat(status(server.port(), "/api/daemon")).isEqualTo(503);
        server.disposeNow(Duration.ZERO);
        assertThatThrownBy(() -> status(server.port(), "/api/daemon")).isInstanceOf(RuntimeException.class);
    }

    private static int status(int port, String path) {
        return HttpClient.create().headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, GatewayHarness.AUTHORIZATION))
                .get().uri("http://127.0.0.1:" + port + path)
                .responseSingle((response, body) -> Mono.just(response.status().code()))
                .block(WAIT);
    }

    /** An embedder's WebSocket client with a long-polling {@code list} running at the daemon. */
    record Client(Disposable connection, Sinks.One<WebSocketCloseStatus> status) {
        static Client longPolling(int port, FakeDaemon fake) throws InterruptedException {
            Sinks.One<WebSocketCloseStatus> status = Sinks.one();
            long index = fake.stateIndex();
            Disposable connection = HttpClient.create()
                    .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, GatewayHarness.AUTHORIZATION)).websocket()
                    .uri("ws://127.0.0.1:" + port + MutagenGateway.WEBSOCKET_PATH)
                    .handle((in, out) -> {
                        in.receiveCloseStatus().subscribe(status::tryEmitValue);
                        in.receive().subscribe();
                        return out.sendString(Mono.just("{\"action\":\"list\",\"id\":1,\"data\":{\"stateIndex\":"
                                + index + "}}")).neverComplete();
                    })
                    .subscribe();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (fake.blockedListCalls() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(fake.blockedListCalls()).as("the long-poll reached the daemon").isEqualTo(1);
            return new Client(connection, status);
        }

        WebSocketCloseStatus closeStatus() {
            return status.asMono().block(WAIT);
        }
    }
}

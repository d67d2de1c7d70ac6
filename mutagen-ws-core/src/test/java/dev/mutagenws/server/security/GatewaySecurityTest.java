package dev.mutagenws.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.server.MutagenGateway;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;

/** The policy as an embedder gets it, on a real server (BlockHound watches the event loops). */
class GatewaySecurityTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TOKEN = Tokens.generate();
    FakeDaemon fake;
    MutagenDaemon daemon;
    MutagenGateway gateway;
    DisposableServer server;

    @BeforeEach
    void start() {
        fake = FakeDaemon.builder().build().start();
        daemon = MutagenDaemon.builder().socket(fake.socketPath()).build();
        gateway = MutagenGateway.builder().daemon(daemon)
                .security(SecurityPolicy.builder().token(TOKEN).build()).build();
        server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(WAIT);
    }

    @AfterEach
    void stop() {
        server.disposeNow(WAIT);
        gateway.close();
        daemon.close();
        fake.close();
    }

    /** 101 when upgraded (then the handler's outcome), else the refusal's status. */
    int upgrade(Consumer<HttpHeaders> headers) {
        return HttpClient.create().headers(headers).websocket()
                .uri("ws://127.0.0.1:" + server.port() + MutagenGateway.WEBSOCKET_PATH)
                .handle((in, out) -> out.sendClose())
                .then(Mono.just(101))
                .onErrorResume(WebSocketClientHandshakeException.class,
                        e -> Mono.just(e.response().status().code()))
                .block(WAIT);
    }

    @Test
    void upgradesAreCheckedBeforeTheyHappen() {
        Consumer<HttpHeaders> auth = h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN);
        assertThat(upgrade(auth)).isEqualTo(101);
        assertThat(upgrade(h -> { })).isEqualTo(401);
        assertThat(upgrade(auth.andThen(h -> h.set(HttpHeaderNames.ORIGIN, "http://evil.example")))).isEqualTo(403);
        assertThat(upgrade(auth.andThen(h -> h.set(HttpHeaderNames.HOST, "evil.example")))).isEqualTo(403);
    }

    @Test
    void shutdownClosesWebSocketsWithGoingAwayAndCancelsTheirDaemonCalls() throws Exception {
        Sinks.One<WebSocketCloseStatus> status = Sinks.one();
        long index = fake.stateIndex();
        var connection = HttpClient.create()
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN)).websocket()
                .uri("ws://127.0.0.1:" + server.port() + MutagenGateway.WEBSOCKET_PATH)
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status::tryEmitValue);
                    in.receive().subscribe();
                    return out.sendString(Mono.just("{\"action\":\"list\",\"id\":1,\"data\":{\"stateIndex\":"
                            + index + "}}")).neverComplete();
                })
                .subscribe();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (fake.blockedListCalls() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(fake.blockedListCalls()).isEqualTo(1);
            gateway.shutdown(Duration.ofSeconds(3)).block(WAIT);
            assertThat(status.asMono().block(WAIT).code()).isEqualTo(1001);
            assertThat(fake.awaitCancelled("List", WAIT)).isTrue();
            // New requests are turned away while the server is stopping.
            int code = HttpClient.create().headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + TOKEN))
                    .get().uri("http://127.0.0.1:" + server.port() + "/api/daemon")
                    .responseSingle((res, body) -> Mono.just(res.status().code())).block(WAIT);
            assertThat(code).isEqualTo(503);
        } finally {
            connection.dispose();
        }
    }
}

package dev.mutagenws.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.internal.server.security.Tokens;
import dev.mutagenws.server.GatewayServer;
import dev.mutagenws.server.MutagenGateway;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** The policy as an embedder gets it, on a real server (BlockHound watches the event loops). */
class GatewaySecurityTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TOKEN = Tokens.generate();
    FakeDaemon fake;
    MutagenDaemon daemon;
    MutagenGateway gateway;
    GatewayServer server;

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
        server.close();
        daemon.close();
        fake.close();
    }

    /** One answer of a real HTTP client. */
    record Answer(int status, HttpHeaders headers, String body) {
        /** The error envelope a refusal is, as every failure of the gateway: code and message, nothing else. */
        JsonNode refusal(int code) {
            assertThat(headers.get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
            JsonNode envelope;
            try {
                envelope = new ObjectMapper().readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
            assertThat(envelope.fieldNames()).toIterable().containsExactly("action", "id", "code", "message", "data");
            assertThat(envelope.get("action").asText()).isEqualTo("error");
            assertThat(envelope.get("code").asInt()).isEqualTo(code);
            assertThat(envelope.get("data").isNull()).isTrue();
            return envelope;
        }
    }

    /**
     * One request on a connection of its own: these tests are about what the server answers, and a pooled connection
     * reused right after a quick answer can stall under load (reactor/reactor-netty#4361; the launcher's tests do
     * the same, see its {@code Http}).
     */
    static Answer send(GatewayServer server, HttpMethod method, String uri, Consumer<HttpHeaders> headers) {
        return HttpClient.newConnection().headers(headers).request(method).uri("http://127.0.0.1:" + server.port() + uri)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Answer(res.status().code(), res.responseHeaders(), text)))
                .block(WAIT);
    }

    /** What Chromium sends when it navigates, and what curl and fetch send. */
    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    static final String CURL = "*/*";

    static Consumer<HttpHeaders> accept(String accept) {
        return h -> h.set(HttpHeaderNames.ACCEPT, accept);
    }

    static Consumer<HttpHeaders> bearer(String token) {
        return h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    }

    /** 101 when upgraded (then the handler's outcome), else the refusal's status. */
    int upgrade(Consumer<HttpHeaders> headers) {
        return upgrade(server, "", headers);
    }

    static int upgrade(GatewayServer server, String query, Consumer<HttpHeaders> headers) {
        return HttpClient.create().headers(headers).websocket()
                .uri("ws://127.0.0.1:" + server.port() + MutagenGateway.WEBSOCKET_PATH + query)
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
    void aTokenInTheQueryServesScriptsDirectlyAndTurnsIntoACookieOnlyForBrowserNavigations() {
        for (String accept : List.of(CURL, "application/json")) {
            Answer list = send(server, HttpMethod.GET, "/api/synchronization/sessions?token=" + TOKEN, accept(accept));
            assertThat(list.status()).as(accept).isEqualTo(200);
            assertThat(list.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
            assertThat(list.body()).contains("\"action\": \"list\"").contains("\"sessionStates\": [");
            assertThat(list.headers().get(HttpHeaderNames.SET_COOKIE)).isNull();
        }
        Answer flush = send(server, HttpMethod.POST, "/api/synchronization/sessions/flush?token=" + TOKEN,
                accept(CURL));
        assertThat(flush.status()).as(flush.body()).isEqualTo(200);
        Answer events = HttpClient.create().headers(accept("text/event-stream")).get()
                .uri("http://127.0.0.1:" + server.port() + "/api/synchronization/events?token=" + TOKEN)
                .response().map(res -> new Answer(res.status().code(), res.responseHeaders(), "")).block(WAIT);
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/event-stream");
        assertThat(upgrade(server, "?token=" + TOKEN, accept(BROWSER))).isEqualTo(101);

        // The printed dashboard link, opened in a browser: the token becomes a cookie and leaves the address.
        Answer page = send(server, HttpMethod.GET, "/?token=" + TOKEN, accept(BROWSER));
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/");
        assertThat(page.headers().get(HttpHeaderNames.SET_COOKIE))
                .isEqualTo("mutagen_ws_token=" + TOKEN + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(page.body()).isEmpty();
        Answer deep = send(server, HttpMethod.GET, "/api/synchronization/sessions?name=web&token=" + TOKEN
                + "&label=a%3Db", accept(BROWSER));
        assertThat(deep.status()).isEqualTo(303);
        assertThat(deep.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/api/synchronization/sessions?name=web&label=a%3Db");

        for (String accept : List.of(CURL, BROWSER)) {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
                Answer wrong = send(server, method, "/api/synchronization/sessions/flush?token=" + TOKEN.substring(1),
                        accept(accept));
                assertThat(wrong.status()).as("%s %s", method, accept).isEqualTo(401);
                assertThat(wrong.headers().get(HttpHeaderNames.SET_COOKIE)).isNull();
                assertThat(wrong.refusal(2010).get("message").asText()).isEqualTo("invalid token");
            }
        }
        assertThat(send(server, HttpMethod.GET, "/?token=not-the-token-at-all", accept(BROWSER)).status())
                .isEqualTo(401);
        assertThat(upgrade(server, "?token=" + TOKEN + "x", h -> { })).isEqualTo(401);
    }

    @Test
    void theLibrarysDefaultRequiresATokenGeneratedForTheGatewayAndReadableFromIt() {
        MutagenGateway byDefault = MutagenGateway.builder().daemon(daemon).build();
        MutagenGateway another = MutagenGateway.builder().daemon(daemon).build();
        GatewayServer defaultServer = byDefault.bind(new InetSocketAddress("127.0.0.1", 0)).block(WAIT);
        try {
            String token = byDefault.token().orElseThrow();
            assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 256 random bits, as the launcher's
            assertThat(byDefault.security().token()).contains(token);
            assertThat(another.token().orElseThrow()).isNotEqualTo(token);
            assertThat(byDefault.security().toString()).doesNotContain(token);

            Answer refused = send(defaultServer, HttpMethod.GET, "/api/synchronization/sessions", h -> { });
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Bearer");
            assertThat(refused.refusal(2010).get("message").asText()).startsWith("missing token; ");
            assertThat(refused.body()).doesNotContain(token);
            assertThat(upgrade(defaultServer, "", h -> { })).isEqualTo(401);
            assertThat(send(defaultServer, HttpMethod.GET, "/api/synchronization/sessions",
                    bearer(another.token().orElseThrow())).status()).isEqualTo(401);

            assertThat(send(defaultServer, HttpMethod.GET, "/api/synchronization/sessions", bearer(token)).status())
                    .isEqualTo(200);
            assertThat(send(defaultServer, HttpMethod.GET, "/api/synchronization/sessions?token=" + token,
                    accept(CURL)).status()).isEqualTo(200);
            assertThat(upgrade(defaultServer, "", bearer(token))).isEqualTo(101);
            // What needs no token still needs none.
            assertThat(send(defaultServer, HttpMethod.GET, "/healthz", h -> { }).status()).isEqualTo(200);
            assertThat(send(defaultServer, HttpMethod.GET, "/favicon.ico", h -> { }).status()).isEqualTo(200);
        } finally {
            defaultServer.close();
            another.shutdown().block(WAIT);
        }
    }

    @Test
    void theExplicitOptOutNeedsNoTokenButStillChecksHostAndOrigin() {
        MutagenGateway open = MutagenGateway.builder().daemon(daemon)
                .security(SecurityPolicy.unauthenticatedLocalOnly()).build();
        GatewayServer openServer = open.bind(new InetSocketAddress("127.0.0.1", 0)).block(WAIT);
        try {
            assertThat(open.token()).isEmpty();
            assertThat(send(openServer, HttpMethod.GET, "/api/synchronization/sessions", h -> { }).status())
                    .isEqualTo(200);
            assertThat(upgrade(openServer, "", h -> { })).isEqualTo(101);
            Answer rebound = send(openServer, HttpMethod.GET, "/api/synchronization/sessions",
                    h -> h.set(HttpHeaderNames.HOST, "evil.example"));
            assertThat(rebound.status()).isEqualTo(403);
            assertThat(rebound.refusal(2010).get("message").asText())
                    .isEqualTo("host \"evil.example\" is not allowed (DNS rebinding protection)");
            assertThat(send(openServer, HttpMethod.POST, "/api/synchronization/sessions/flush?all=true",
                    h -> h.set(HttpHeaderNames.ORIGIN, "http://evil.example")).status()).isEqualTo(403);
            assertThat(upgrade(openServer, "", h -> h.set(HttpHeaderNames.ORIGIN, "http://evil.example")))
                    .isEqualTo(403);
        } finally {
            openServer.close();
        }
    }
}

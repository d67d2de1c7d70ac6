package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The launcher as a real process in front of a FakeDaemon (reference-server flags {@code -listen}/{@code -sock}),
 * at trace level: Host, Origin and token checks over HTTP and WebSocket, the cookie exchange, CORS, headers, and
 * that a prompt answer never reaches the output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
    static final String GUI = "http://localhost:3000";
    Path dir;
    FakeDaemon fake;
    LauncherProcess launcher;
    String base;
    String ws;
    String token;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("security-it");
        fake = FakeDaemon.builder().socketPath(dir.resolve("daemon.sock")).build().start();
        launcher = LauncherProcess.start(dir.resolve("run"), "-listen", "127.0.0.1:0", "-sock",
                fake.socketPath().toString(), "--log-level", "trace", "--allow-origin", GUI);
        List<String> lines = launcher.awaitStarted();
        base = "http://127.0.0.1:" + launcher.port();
        ws = "ws://127.0.0.1:" + launcher.port() + "/synchronization";
        token = launcher.token();
        assertThat(lines.get(1)).isEqualTo("token file: " + dir.resolve("run").resolve("mutagen-ws").resolve("token"));
        assertThat(lines.get(2)).isEqualTo("daemon socket: " + fake.socketPath());
        assertThat(lines.get(3)).isEqualTo("daemon: Mutagen 0.18.1");
    }

    @AfterAll
    void stop() throws Exception {
        if (launcher != null) {
            assertThat(launcher.terminate()).isZero();
        }
        if (fake != null) {
            fake.close();
        }
    }

    Consumer<HttpHeaders> bearer(String value) {
        return h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + value);
    }

    /** What Chromium sends when it navigates to an address. */
    static final Consumer<HttpHeaders> BROWSER = h -> h.set(HttpHeaderNames.ACCEPT,
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
    /** What curl sends. */
    static final Consumer<HttpHeaders> CURL = h -> h.set(HttpHeaderNames.ACCEPT, "*/*")
            .set(HttpHeaderNames.USER_AGENT, "curl/8.5.0");

    @Test
    void theGeneratedTokenIsLongAndItsFileOnlyReadableByTheUser() throws Exception {
        assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 256 bits
        Path file = dir.resolve("run").resolve("mutagen-ws").resolve("token");
        assertThat(Files.readString(file).strip()).isEqualTo(token);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(file.getParent()))
                .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aWebSocketUpgradeFromAForeignOriginIsRefusedWithoutUpgrade() {
        try (Ws client = Ws.connect(ws + "?token=" + token, h -> h.set(HttpHeaderNames.ORIGIN, "http://evil.example"))) {
            assertThat(client.handshakeStatus()).isEqualTo(403);
        }
        try (Ws client = Ws.connect(ws, bearer(token).andThen(h -> h.set(HttpHeaderNames.ORIGIN, "null")))) {
            assertThat(client.handshakeStatus()).isEqualTo(403);
        }
    }

    @Test
    void aForeignHostIsRefusedOnHttpAndWebSocket() {
        Consumer<HttpHeaders> evilHost = h -> h.set(HttpHeaderNames.HOST, "evil.example:" + port());
        Http.Answer health = Http.get(base + "/healthz", evilHost);
        assertThat(health.status()).isEqualTo(403);
        // Refused as every failure is answered: the error envelope (2010), the reason as its message.
        assertThat(health.json().get("code").asInt()).isEqualTo(2010);
        assertThat(health.json().get("message").asText())
                .isEqualTo("host \"evil.example\" is not allowed (DNS rebinding protection)");
        assertThat(Http.get(base + "/api/synchronization/sessions", evilHost.andThen(bearer(token))).status())
                .isEqualTo(403);
        assertThat(Http.get(base + "/no/such/path", evilHost).status()).isEqualTo(403);
        try (Ws client = Ws.connect(ws, evilHost.andThen(bearer(token)))) {
            assertThat(client.handshakeStatus()).isEqualTo(403);
        }
        // Loopback names are fine.
        assertThat(Http.get(base + "/healthz", h -> h.set(HttpHeaderNames.HOST, "localhost:" + port())).status())
                .isEqualTo(200);
    }

    int port() {
        try {
            return launcher.port();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingWrongAndNearMissTokensAreRefused() {
        String sessions = base + "/api/synchronization/sessions";
        Http.Answer missing = Http.get(sessions, h -> { });
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(missing.body()).doesNotContain(token);
        assertThat(missing.json().get("code").asInt()).isEqualTo(2010);
        assertThat(missing.json().get("message").asText()).startsWith("missing token; ");
        char last = token.charAt(token.length() - 1);
        List<String> nearMisses = List.of(UUID.randomUUID().toString().replace("-", ""),
                token.substring(0, token.length() - 1),
                token + "x",
                token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
                token.toUpperCase().equals(token) ? token.toLowerCase() : token.toUpperCase(),
                token.substring(0, 20) + "-" + token.substring(20));
        for (String candidate : nearMisses) {
            assertThat(Http.get(sessions, bearer(candidate)).status()).as("Bearer %s", candidate).isEqualTo(401);
            assertThat(Http.get(sessions, h -> h.set(HttpHeaderNames.COOKIE, "mutagen_ws_token=" + candidate))
                    .status()).isEqualTo(401);
            try (Ws client = Ws.connect(ws, bearer(candidate))) {
                assertThat(client.handshakeStatus()).isEqualTo(401);
            }
        }
        assertThat(Http.get(sessions + "?token=" + token.substring(1), h -> { }).status()).isEqualTo(401);
        assertThat(Http.get(sessions, h -> h.set(HttpHeaderNames.AUTHORIZATION, "Basic " + token)).status())
                .isEqualTo(401);
        try (Ws client = Ws.connect(ws, h -> { })) {
            assertThat(client.handshakeStatus()).isEqualTo(401);
        }
        // What needs no token.
        assertThat(Http.get(base + "/healthz", h -> { }).status()).isEqualTo(200);
        assertThat(Http.get(base + "/", h -> { }).body()).contains("\"service\":\"mutagen-ws\"");
    }

    @Test
    void theRightTokenWorksThroughEachCarrier() throws Exception {
        String sessions = base + "/api/synchronization/sessions";
        assertThat(Http.get(sessions, bearer(token)).status()).isEqualTo(200);
        assertThat(Http.get(sessions, h -> h.set(HttpHeaderNames.COOKIE, "other=1; mutagen_ws_token=" + token))
                .status()).isEqualTo(200);
        Http.Answer viaQuery = Http.request(HttpMethod.POST, sessions + "/flush?token=" + token, h -> { }, null, null);
        assertThat(viaQuery.status()).as(viaQuery.body()).isEqualTo(200);

        for (Consumer<HttpHeaders> carrier : List.of(bearer(token),
                (Consumer<HttpHeaders>) h -> h.set(HttpHeaderNames.COOKIE, "mutagen_ws_token=" + token))) {
            try (Ws client = Ws.connect(ws, carrier.andThen(h -> h.set(HttpHeaderNames.ORIGIN, base)))) {
                assertThat(client.handshakeStatus()).isEqualTo(101);
                assertThat(client.call(1, "version", null).get("data").get("minor").asInt()).isEqualTo(18);
            }
        }
        try (Ws client = Ws.connect(ws + "?token=" + token, h -> h.set(HttpHeaderNames.ORIGIN, GUI))) {
            assertThat(client.handshakeStatus()).isEqualTo(101);
            assertThat(client.call(1, "version", null).get("code").asInt()).isZero();
        }
    }

    @Test
    void theDashboardLinkSwapsTheTokenForACookieAndDropsItFromTheAddress() {
        Http.Answer exchange = Http.get(base + "/?token=" + token, BROWSER);
        assertThat(exchange.status()).isEqualTo(303);
        assertThat(exchange.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/");
        String cookie = exchange.headers().get(HttpHeaderNames.SET_COOKIE);
        assertThat(cookie).isEqualTo("mutagen_ws_token=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(Http.get(base + "/api/daemon", h -> h.set(HttpHeaderNames.COOKIE, pair)).status()).isEqualTo(200);

        Http.Answer deep = Http.get(base + "/api/synchronization/sessions?name=web&token=" + token + "&label=a%3Db",
                BROWSER);
        assertThat(deep.status()).isEqualTo(303);
        assertThat(deep.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/api/synchronization/sessions?name=web&label=a%3Db");
        assertThat(Http.get(base + "/?token=wrong-token-value-123", BROWSER).status()).isEqualTo(401);
        assertThat(Http.get(base + "/?token=wrong-token-value-123", CURL).status()).isEqualTo(401);
    }

    @Test
    void scriptsUseTheTokenInTheQueryDirectly() {
        String sessions = base + "/api/synchronization/sessions";
        Http.Answer list = Http.get(sessions + "?token=" + token, CURL);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(list.body()).contains("\"action\": \"list\"");
        assertThat(list.headers().get(HttpHeaderNames.SET_COOKIE)).isNull();
        Http.Answer json = Http.get(base + "/api/daemon?token=" + token, h -> h.set(HttpHeaderNames.ACCEPT,
                "application/json"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.body()).contains("\"connected\":true");
        Http.Answer flush = Http.request(HttpMethod.POST, sessions + "/flush?token=" + token, CURL, null, null);
        assertThat(flush.status()).as(flush.body()).isEqualTo(200);
        Http.Answer wrong = Http.get(sessions + "?token=" + token.substring(1), CURL);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("message").asText()).isEqualTo("invalid token");
    }

    /**
     * At {@code --log-level debug}, with Reactor Netty's access log switched on too, tokens sent in the query (right
     * and wrong ones) reach neither stdout nor stderr, though every request is logged.
     */
    @Test
    void aTokenInTheQueryNeverReachesTheLogAtDebugLevel() throws Exception {
        try (LauncherProcess debug = LauncherProcess.start(dir.resolve("debug"),
                Map.of("JAVA_TOOL_OPTIONS", "-Dreactor.netty.http.server.accessLogEnabled=true"),
                "--listen", "127.0.0.1:0", "--sock", fake.socketPath().toString(), "--log-level", "debug")) {
            debug.awaitStarted();
            String own = debug.token();
            String at = "http://127.0.0.1:" + debug.port();
            String wrong = own.substring(0, own.length() - 1) + (own.endsWith("A") ? "B" : "A");
            // The upgrade first, on a connection of its own rather than one pooled from the requests below.
            try (Ws client = Ws.connect("ws://127.0.0.1:" + debug.port() + "/synchronization?token=" + own, h -> { })) {
                assertThat(client.handshakeStatus()).isEqualTo(101);
                assertThat(client.call(1, "list", null).get("code").asInt()).isZero();
            }
            assertThat(Http.get(at + "/api/synchronization/sessions?token=" + own, CURL).status()).isEqualTo(200);
            assertThat(Http.request(HttpMethod.POST, at + "/api/synchronization/sessions/flush?token=" + own, CURL,
                    null, null).status()).isEqualTo(200);
            assertThat(Http.get(at + "/api/synchronization/sessions/nothing-by-this-name?token=" + own, CURL)
                    .status()).isEqualTo(404);
            assertThat(Http.get(at + "/?token=" + own, BROWSER).status()).isEqualTo(303);
            assertThat(Http.get(at + "/api/daemon?token=" + wrong, CURL).status()).isEqualTo(401);
            awaitLog(debug, "\"GET /api/daemon?token=<redacted> HTTP/1.1\" 401");
            assertThat(debug.terminate()).isZero();
            String stderr = debug.stderr();
            assertThat(stderr).as("debug lines are on").contains(" DEBUG ")
                    .contains("GET /api/synchronization/sessions list code=0")
                    .contains("refused GET /api/daemon: 401 invalid token");
            assertThat(stderr).as("the access log is on")
                    .contains("\"GET /api/synchronization/sessions?token=<redacted> HTTP/1.1\" 200")
                    .contains("\"POST /api/synchronization/sessions/flush?token=<redacted> HTTP/1.1\" 200")
                    .contains("\"GET /?token=<redacted> HTTP/1.1\" 303");
            assertThat(stderr + debug.stdout().lines().skip(1).toList()).doesNotContain(own).doesNotContain(wrong);
        }
    }

    private static void awaitLog(LauncherProcess launcher, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Http.WAIT.toNanos();
        while (!launcher.stderr().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(launcher.stderr()).contains(text);
    }

    @Test
    void foreignOriginsCannotChangeStateAndAllowedOnesGetCors() {
        String flush = base + "/api/synchronization/sessions/flush";
        assertThat(Http.request(HttpMethod.POST, flush, bearer(token).andThen(
                h -> h.set(HttpHeaderNames.ORIGIN, "http://evil.example")), null, null).status()).isEqualTo(403);

        Http.Answer preflight = Http.request(HttpMethod.OPTIONS, flush, h -> h.set(HttpHeaderNames.ORIGIN, GUI)
                .set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "authorization"), null, null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(GUI);
        assertThat(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).contains("POST");
        assertThat(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS))
                .contains("Authorization").contains("Content-Type");
        assertThat(preflight.headers().get(HttpHeaderNames.VARY)).isEqualTo("Origin");
        assertThat(Http.request(HttpMethod.OPTIONS, flush, h -> h.set(HttpHeaderNames.ORIGIN, "http://evil.example")
                .set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST"), null, null).status()).isEqualTo(403);

        Http.Answer fromGui = Http.request(HttpMethod.POST, flush, bearer(token).andThen(
                h -> h.set(HttpHeaderNames.ORIGIN, GUI)), null, null);
        assertThat(fromGui.status()).isEqualTo(200);
        assertThat(fromGui.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(GUI);
        // A same-origin request gets no CORS header at all, and nothing ever gets "*".
        Http.Answer same = Http.get(base + "/api/daemon", bearer(token).andThen(h -> h.set(HttpHeaderNames.ORIGIN, base)));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (Http.Answer answer : List.of(Http.get(base + "/", h -> { }),
                Http.get(base + "/api/daemon", bearer(token)),
                Http.get(base + "/api/daemon", h -> { }),
                Http.get(base + "/healthz", h -> h.set(HttpHeaderNames.HOST, "evil.example")),
                Http.get(base + "/nothing-here", bearer(token)),
                Http.get(base + "/?token=" + token, BROWSER),
                Http.get(base + "/api/daemon?token=" + token, CURL),
                Http.get(base + "/favicon.ico", BROWSER),
                Http.get(base + "/favicon.ico", h -> { }))) {
            assertThat(answer.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.headers().get("X-Frame-Options")).isEqualTo("DENY");
            assertThat(answer.headers().get("Content-Security-Policy")).contains("default-src 'self'");
        }
        assertThat(Http.get(base + "/nothing-here", bearer(token)).status()).isEqualTo(404);
        Http.Answer icon = Http.get(base + "/favicon.ico", h -> { });
        assertThat(icon.status()).as("the icon needs no token").isEqualTo(200);
        assertThat(icon.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("image/svg+xml");
    }

    @Test
    void aPasswordAnsweredInAPromptNeverReachesTheOutputEvenAtTraceLevel() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        fake.ssh().host("vault.example").password(password);
        try (Ws client = Ws.connect(ws, bearer(token))) {
            assertThat(client.handshakeStatus()).isEqualTo(101);
            client.send("{\"action\":\"creation\",\"id\":7,\"data\":{\"name\":\"vault\",\"alpha\":{\"path\":\"/tmp/a\"},"
                    + "\"beta\":{\"protocol\":\"ssh\",\"user\":\"alice\",\"host\":\"vault.example\",\"path\":\"~/b\"}}}");
            JsonNode prompt = client.await(f -> f.path("action").asText().equals("prompt"));
            assertThat(prompt.get("message").asText()).contains("password");
            JsonNode answered = client.call(8, "answer", "\"" + password + "\"");
            assertThat(answered.get("code").asInt()).isZero();
            JsonNode created = client.reply(7);
            assertThat(created.get("code").asInt()).as(created.toString()).isZero();
            // A wrong answer and a failed request, for good measure: the error must not echo it either.
            client.call(9, "answer", "\"" + password + "\"");
        }
        Http.get(base + "/api/synchronization/sessions?name=vault", bearer(token));
        Thread.sleep(300); // let the process write its last log lines
        String stderr = launcher.stderr();
        String stdout = launcher.stdout();
        assertThat(stderr).as("trace logging is on").contains("DEBUG").contains("creation id=7 code=0");
        assertThat(stderr + stdout).doesNotContain(password);
        assertThat(stderr).doesNotContain(token);
    }
}

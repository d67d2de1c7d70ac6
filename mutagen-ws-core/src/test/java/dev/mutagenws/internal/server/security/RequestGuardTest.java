package dev.mutagenws.internal.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mutagenws.internal.server.security.RequestGuard.Verdict;
import dev.mutagenws.server.security.SecurityPolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's decisions, request by request (no server: the guard only reads method, URI and headers). */
class RequestGuardTest {
    static final String TOKEN = Tokens.generate();
    final RequestGuard guard = new RequestGuard(SecurityPolicy.builder().token(TOKEN)
            .allowHost("nas.lan").allowOrigin("http://localhost:3000").build());

    static HttpHeaders headers(String... pairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set("Host", "127.0.0.1:8081");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals("Host")) {
                h.set(pairs[i], pairs[i + 1]);
            } else {
                h.add(pairs[i], pairs[i + 1]);
            }
        }
        return h;
    }

    Verdict get(String uri, String... pairs) {
        return guard.check(HttpMethod.GET, uri, headers(pairs));
    }

    @Test
    void hostMustBeLoopbackOrAllowed() {
        for (String host : List.of("127.0.0.1:8081", "localhost:8081", "LOCALHOST", "[::1]:8081", "127.1.2.3",
                "app.localhost:80", "localhost.", "nas.lan:8081")) {
            assertThat(get("/healthz", "Host", host).kind()).as(host).isEqualTo(Verdict.Kind.PASS);
        }
        for (String host : List.of("evil.example", "evil.example:8081", "127.0.0.1.evil.example", "10.0.0.1",
                "[::2]", "", "a b", "localhost:x", "999.0.0.1", "[::1")) {
            Verdict v = get("/healthz", "Host", host);
            assertThat(v.kind()).as(host).isEqualTo(Verdict.Kind.REFUSE);
            assertThat(v.status()).isEqualTo(403);
        }
        HttpHeaders none = new DefaultHttpHeaders();
        assertThat(guard.check(HttpMethod.GET, "/healthz", none).status()).isEqualTo(403);
    }

    @Test
    void originIsCheckedOnUpgradesAndStateChangesOnly() {
        String auth = "Bearer " + TOKEN;
        assertThat(get("/synchronization", "Upgrade", "websocket", "Origin", "http://evil.example",
                "Authorization", auth).status()).isEqualTo(403);
        Verdict evil = guard.check(HttpMethod.POST, "/api/x", headers("Origin", "http://evil.example",
                "Authorization", auth));
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.reason())
                .isEqualTo("origin \"http://evil.example\" is not allowed (neither this server's own nor an allowed one)");
        Verdict opaque = guard.check(HttpMethod.DELETE, "/api/x", headers("Origin", "null", "Authorization", auth));
        assertThat(opaque.status()).isEqualTo(403);
        assertThat(opaque.reason()).as("an origin that is not one is not echoed").isEqualTo("origin not allowed");
        assertThat(guard.check(HttpMethod.POST, "/api/x", headers("Origin", "http://x.example/<script>",
                "Authorization", auth)).reason()).isEqualTo("origin not allowed");
        // Own origin, an allowed one, or none at all (not a browser).
        assertThat(get("/synchronization", "Upgrade", "websocket", "Origin", "http://127.0.0.1:8081",
                "Authorization", auth).kind()).isEqualTo(Verdict.Kind.PASS);
        Verdict gui = guard.check(HttpMethod.POST, "/api/x", headers("Origin", "http://localhost:3000",
                "Authorization", auth));
        assertThat(gui.kind()).isEqualTo(Verdict.Kind.PASS);
        assertThat(gui.corsOrigin()).isEqualTo("http://localhost:3000");
        assertThat(guard.check(HttpMethod.POST, "/api/x", headers("Authorization", auth)).kind())
                .isEqualTo(Verdict.Kind.PASS);
        // A plain GET from elsewhere is harmless (no CORS headers, so the page cannot read it) but needs the token.
        assertThat(get("/api/x", "Origin", "http://evil.example", "Authorization", auth).corsOrigin()).isNull();
    }

    @Test
    void preflightsAreAnsweredForAllowedOriginsOnly() {
        Verdict ok = guard.check(HttpMethod.OPTIONS, "/api/x", headers("Origin", "http://localhost:3000",
                "Access-Control-Request-Method", "POST"));
        assertThat(ok.kind()).isEqualTo(Verdict.Kind.PREFLIGHT);
        assertThat(ok.corsOrigin()).isEqualTo("http://localhost:3000");
        assertThat(guard.check(HttpMethod.OPTIONS, "/api/x", headers("Origin", "http://evil.example")).status())
                .isEqualTo(403);
    }

    @Test
    void tokenCarriersAndRefusals() {
        assertThat(get("/api/x").status()).isEqualTo(401);
        assertThat(get("/api/x").reason()).startsWith("missing token");
        assertThat(get("/api/x", "Authorization", "Bearer " + TOKEN).kind()).isEqualTo(Verdict.Kind.PASS);
        assertThat(get("/api/x", "Authorization", "bearer " + TOKEN).kind()).isEqualTo(Verdict.Kind.PASS);
        assertThat(get("/api/x", "Cookie", "a=b; mutagen_ws_token=" + TOKEN).kind()).isEqualTo(Verdict.Kind.PASS);
        // A stale cookie does not spoil a right header.
        assertThat(get("/api/x", "Cookie", "mutagen_ws_token=old-token-value-xyz", "Authorization", "Bearer " + TOKEN)
                .kind()).isEqualTo(Verdict.Kind.PASS);
        for (String wrong : List.of(TOKEN.substring(1), TOKEN + "A", TOKEN.toLowerCase(), "", "x")) {
            Verdict v = get("/api/x", "Authorization", "Bearer " + wrong);
            assertThat(v.status()).as(wrong).isEqualTo(401);
            assertThat(v.reason()).doesNotContain(TOKEN);
        }
        assertThat(get("/api/x", "Authorization", "Basic " + TOKEN).status()).isEqualTo(401);
        assertThat(get("/api/x?token=" + TOKEN + "&token=" + TOKEN).status()).isEqualTo(401);
        // Public paths.
        for (String path : List.of("/", "/healthz", "/index.html", "/assets/app.js")) {
            assertThat(get(path).kind()).as(path).isEqualTo(Verdict.Kind.PASS);
        }
        for (String path : List.of("/readyz", "/metrics", "/assets/../api/x", "/assets/", "/api/daemon")) {
            assertThat(get(path).status()).as(path).isEqualTo(401);
        }
        assertThat(guard.check(HttpMethod.POST, "/", headers()).status()).isEqualTo(401);
    }

    /** What Chromium sends when it navigates. */
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    @Test
    void aTokenInTheQueryOfABrowserNavigationBecomesACookieAndLeavesTheUrl() {
        Verdict v = get("/api/synchronization/sessions?name=a&token=" + TOKEN + "&label=x%3Dy", "Accept", BROWSER_ACCEPT);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.REDIRECT);
        assertThat(v.status()).isEqualTo(303);
        assertThat(v.location()).isEqualTo("/api/synchronization/sessions?name=a&label=x%3Dy");
        assertThat(v.cookie()).isEqualTo("mutagen_ws_token=" + TOKEN + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(v.toString()).doesNotContain(TOKEN);
        assertThat(get("/?token=" + TOKEN, "Accept", BROWSER_ACCEPT).location()).isEqualTo("/");
        assertThat(get("/?token=" + TOKEN, "Accept", "TEXT/HTML").kind()).isEqualTo(Verdict.Kind.REDIRECT);
        RequestGuard tls = new RequestGuard(SecurityPolicy.builder().token(TOKEN).tls(true).build());
        assertThat(tls.check(HttpMethod.GET, "/?token=" + TOKEN, headers("Accept", "text/html")).cookie())
                .endsWith("; Secure");
        // A wrong one is refused whoever asks.
        for (String accept : List.of(BROWSER_ACCEPT, "*/*")) {
            Verdict wrong = get("/?token=" + TOKEN.substring(1), "Accept", accept);
            assertThat(wrong.status()).as(accept).isEqualTo(401);
            assertThat(wrong.cookie()).isNull();
        }
    }

    @Test
    void aTokenInTheQueryOfAnythingButABrowserNavigationIsJustUsed() {
        // curl (Accept: */*), fetch, EventSource, an API client, no Accept at all: no cookie jar to follow a redirect.
        for (String accept : List.of("*/*", "application/json", "text/event-stream", "application/x-ndjson", "")) {
            Verdict v = get("/api/synchronization/sessions?name=a&token=" + TOKEN, "Accept", accept);
            assertThat(v.kind()).as(accept).isEqualTo(Verdict.Kind.PASS);
            assertThat(v.cookie()).isNull();
        }
        assertThat(get("/api/x?token=" + TOKEN).kind()).isEqualTo(Verdict.Kind.PASS);
        // Upgrades and POSTs too, even from a browser.
        assertThat(get("/synchronization?token=" + TOKEN, "Upgrade", "websocket", "Accept", BROWSER_ACCEPT).kind())
                .isEqualTo(Verdict.Kind.PASS);
        assertThat(guard.check(HttpMethod.POST, "/api/x?token=" + TOKEN, headers()).kind()).isEqualTo(Verdict.Kind.PASS);
        assertThat(guard.check(HttpMethod.POST, "/api/x?token=" + TOKEN, headers("Accept", BROWSER_ACCEPT)).kind())
                .isEqualTo(Verdict.Kind.PASS);
        // Still exactly one, and the right one, and the Origin rules still apply.
        assertThat(get("/api/x?token=" + TOKEN + "&token=" + TOKEN, "Accept", "*/*").status()).isEqualTo(401);
        assertThat(get("/api/x?token=" + TOKEN + "x", "Accept", "*/*").status()).isEqualTo(401);
        assertThat(guard.check(HttpMethod.POST, "/api/x?token=" + TOKEN, headers("Origin", "http://evil.example"))
                .status()).isEqualTo(403);
    }

    @Test
    void localOnlyRequiresATokenOfItsOwn() {
        SecurityPolicy policy = SecurityPolicy.localOnly();
        assertThat(policy.requiresToken()).isTrue();
        String token = policy.token().orElseThrow();
        assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 256 bits, base64url
        assertThat(SecurityPolicy.localOnly().token()).isNotEqualTo(policy.token());
        assertThat(policy.toString()).doesNotContain(token);
        RequestGuard local = new RequestGuard(policy);
        assertThat(local.check(HttpMethod.GET, "/api/x", headers()).status()).isEqualTo(401);
        assertThat(local.check(HttpMethod.GET, "/api/x", headers("Authorization", "Bearer " + token)).kind())
                .isEqualTo(Verdict.Kind.PASS);
        assertThat(local.check(HttpMethod.GET, "/api/x", headers("Host", "evil.example",
                "Authorization", "Bearer " + token)).status()).isEqualTo(403);
    }

    @Test
    void unauthenticatedLocalOnlyChecksHostAndOriginButNoToken() {
        RequestGuard local = new RequestGuard(SecurityPolicy.unauthenticatedLocalOnly());
        assertThat(local.policy().requiresToken()).isFalse();
        assertThat(local.policy().token()).isEmpty();
        assertThat(local.check(HttpMethod.GET, "/api/x", headers()).kind()).isEqualTo(Verdict.Kind.PASS);
        assertThat(local.check(HttpMethod.GET, "/api/x", headers("Host", "evil.example")).status()).isEqualTo(403);
        // Two Host headers: refused rather than guessing which one a proxy or the browser meant.
        HttpHeaders twice = headers();
        twice.add("Host", "evil.example");
        assertThat(local.check(HttpMethod.GET, "/api/x", twice).status()).isEqualTo(403);
        assertThat(local.check(HttpMethod.POST, "/api/x", headers("Origin", "http://evil.example")).status())
                .isEqualTo(403);
    }

    @Test
    void policyValidationAndSecretHygiene() {
        assertThatThrownBy(() -> SecurityPolicy.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SecurityPolicy.builder().token("short")).hasMessageNotContaining("short");
        assertThatThrownBy(() -> SecurityPolicy.builder().token("has spaces in it, 1234")).isInstanceOf(
                IllegalArgumentException.class);
        for (String origin : List.of("*", "null", "localhost:3000", "http://a/b", "ftp://a", "http://*.example")) {
            assertThatThrownBy(() -> SecurityPolicy.builder().allowOrigin(origin)).as(origin)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(SecurityPolicy.builder().noToken().allowOrigin("HTTP://LocalHost:3000/").build().allowedOrigins())
                .containsExactly("http://localhost:3000");
        SecurityPolicy policy = SecurityPolicy.builder().token(TOKEN).build();
        assertThat(policy.toString()).doesNotContain(TOKEN).contains(Tokens.fingerprint(TOKEN));
        assertThat(policy.matchesToken(TOKEN)).isTrue();
        assertThat(policy.matchesToken(null)).isFalse();
        assertThat(policy.token()).contains(TOKEN);
        SecurityPolicy generated = SecurityPolicy.builder().generatedToken().build();
        assertThat(generated.token().orElseThrow()).hasSize(43);
        assertThat(generated.matchesToken(generated.token().orElseThrow())).isTrue();
        assertThat(generated.toString()).doesNotContain(generated.token().orElseThrow())
                .contains(Tokens.fingerprint(generated.token().orElseThrow()));
        assertThat(Tokens.generate()).hasSize(43).isNotEqualTo(Tokens.generate());
    }
}

package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

class DashboardRoutesTest {
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.defaults());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** Without the token, as a browser fetches the dashboard's files before it has one. */
    private Tuple2<HttpClientResponse, String> get(String path, String accept) {
        return get(HttpClient.create().baseUrl("http://127.0.0.1:" + harness.port()), path, accept);
    }

    private Tuple2<HttpClientResponse, String> get(HttpClient client, String path,
            String accept) {
        return client
                .headers(h -> h.set("Accept", accept))
                .get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> Tuples.of(response, text)))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void browsersGetThePageAndOtherClientsTheServiceLine() {
        var page = get("/", "text/html,application/xhtml+xml");
        assertThat(page.getT1().status().code()).isEqualTo(200);
        assertThat(page.getT1().responseHeaders().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.getT2()).contains("<script type=\"module\" src=\"/assets/app.js\"></script>")
                .doesNotContain("<script>").doesNotContain("style=");
        assertThat(page.getT1().responseHeaders().get("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.getT1().responseHeaders().get("X-Frame-Options")).isEqualTo("DENY");

        var json = get("/", "application/json");
        assertThat(json.getT1().status().code()).isEqualTo(200);
        assertThat(json.getT2()).contains("\"service\":\"mutagen-ws\"");

        // REST envelopes are indented as the reference server's (Go's MarshalIndent) were.
        assertThat(get(harness.http(), "/api/synchronization/sessions?label=x%3Dy", "application/json").getT2())
                .startsWith("{\n    \"action\": \"list\",\n    \"id\": 0,\n    \"code\": 0,\n    \"message\": \"\",\n    \"data\": {\n        \"stateIndex\": ");
    }

    @Test
    void theIconIsAnSvgServedWithoutATokenWithTheSecurityHeadersAndLinkedFromThePage() {
        // What Chromium sends for an icon.
        var icon = get("/favicon.ico", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8");
        assertThat(icon.getT1().status().code()).isEqualTo(200);
        assertThat(icon.getT1().responseHeaders().get("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(icon.getT2()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n")
                .doesNotContainIgnoringCase("<script").doesNotContainPattern("(?i)\\son[a-z]+\\s*=")
                .doesNotContain("href");
        assertThat(icon.getT1().responseHeaders().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(icon.getT1().responseHeaders().get("X-Frame-Options")).isEqualTo("DENY");
        assertThat(icon.getT1().responseHeaders().get("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(get("/favicon.ico", "*/*").getT1().status().code()).isEqualTo(200);

        assertThat(get("/", "text/html").getT2()).contains("<link rel=\"icon\" href=\"/favicon.ico\" type=\"image/svg+xml\">");
    }

    @Test
    void assetsAreServedWithTheirTypesAndUnknownOnesAre404() {
        var script = get("/assets/app.js", "*/*");
        assertThat(script.getT1().status().code()).isEqualTo(200);
        assertThat(script.getT1().responseHeaders().get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.getT2()).contains("import { Connection } from './client.js';");
        assertThat(script.getT2()).doesNotContain("innerHTML");

        assertThat(get("/assets/app.css", "*/*").getT1().responseHeaders().get("Content-Type"))
                .isEqualTo("text/css; charset=utf-8");
        assertThat(get("/assets/nope.js", "*/*").getT1().status().code()).isEqualTo(404);
        // A path that climbs out is not a public file (so it needs the token), and with the token it is still none.
        assertThat(get("/assets/..%2Fpom.xml", "*/*").getT1().status().code()).isEqualTo(401);
        assertThat(get(harness.http(), "/assets/..%2Fpom.xml", "*/*").getT1().status().code()).isEqualTo(404);
    }

    @Test
    void everyScriptOfThePageIsServedAndNoneInsertsHtmlOrRunsInline() {
        var page = get("/", "text/html");
        String csp = page.getT1().responseHeaders().get("Content-Security-Policy");
        assertThat(csp).contains("default-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        // No inline handlers, styles or scripts: the CSP would block them.
        assertThat(page.getT2()).doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContain("<style")
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)");
        for (String asset : new String[] {"app.js", "client.js", "urls.js"}) {
            var script = get("/assets/" + asset, "*/*");
            assertThat(script.getT1().status().code()).as(asset).isEqualTo(200);
            assertThat(script.getT1().responseHeaders().get("Content-Type")).as(asset)
                    .isEqualTo("text/javascript; charset=utf-8");
            // Daemon text is inserted as text only: none of the HTML-parsing sinks, no eval.
            assertThat(script.getT2()).as(asset).doesNotContain("innerHTML").doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
                    .doesNotContain("eval(").doesNotContain("new Function");
        }
        // The modules app.js imports are the ones served.
        assertThat(get("/assets/app.js", "*/*").getT2()).contains("from './client.js'").contains("from './urls.js'");
    }
}

package dev.mutagenws.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** The example as a whole, in-process: its own route and the mounted gateway answer on one port. */
class EmbeddingExampleTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddingExample app;

    @BeforeAll
    static void start() {
        app = EmbeddingExample.start(new InetSocketAddress("127.0.0.1", 0), null, true);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theApplicationsOwnRouteAnswers() {
        String body = HttpClient.create().get().uri(app.url() + "/hello")
                .responseSingle((response, content) -> {
                    assertThat(response.status().code()).isEqualTo(200);
                    assertThat(response.responseHeaders().get("Content-Type")).startsWith("text/plain");
                    return content.asString();
                })
                .block(WAIT);
        assertThat(body).isEqualTo("hello from the embedding app\n");
    }

    @Test
    void theGatewaysRestRoutesShareThePort() {
        String body = HttpClient.create().get().uri(app.url() + "/healthz")
                .responseContent().aggregate().asString().block(WAIT);
        assertThat(body).contains("\"ok\"");
    }

    @Test
    void theWebSocketAnswersVersionFromTheDemoDaemon() {
        JsonNode reply = HttpClient.create().websocket()
                .uri(app.url().replace("http:", "ws:") + "/synchronization")
                // Send, then read until our reply: pushes (e.g. "daemon") may come first.
                .handle((in, out) -> out.sendString(Mono.just("{\"action\":\"version\",\"id\":1}")).then()
                        .thenMany(in.receive().asString().map(EmbeddingExampleTest::parse)
                                .filter(frame -> frame.path("action").asText().equals("version"))
                                .take(1)))
                .next()
                .block(WAIT);
        assertThat(reply).isNotNull();
        assertThat(reply.get("id").asLong()).isEqualTo(1);
        assertThat(reply.get("code").asInt()).isZero();
        assertThat(reply.get("data").toString()).isEqualTo("{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}");
    }

    @Test
    void argumentsAreParsedAndBadOnesExplained() {
        EmbeddingExample.Arguments defaults = EmbeddingExample.Arguments.parse();
        assertThat(defaults.listen.getPort()).isEqualTo(8090);
        assertThat(defaults.listen.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(defaults.demo).isFalse();

        EmbeddingExample.Arguments given = EmbeddingExample.Arguments.parse("--listen", "[::1]:0", "--sock", "/tmp/d.sock");
        assertThat(given.listen.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(given.socket.path().toString()).isEqualTo("/tmp/d.sock");

        assertThatThrownBy(() -> EmbeddingExample.Arguments.parse("--listen", "8090"))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> EmbeddingExample.Arguments.parse("--demo", "--sock", "/x"))
                .hasMessageContaining("exclude");
        assertThatThrownBy(() -> EmbeddingExample.Arguments.parse("--port")).hasMessageContaining("unknown");
        assertThatThrownBy(() -> EmbeddingExample.Arguments.parse("--listen")).hasMessageContaining("needs a value");
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * A real HTTP client for tests (Reactor Netty), returning status, headers and the body as JSON. It presents the
 * {@link GatewayHarness#TOKEN} ({@code Authorization: Bearer}) on every request.
 */
final class RestTestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Longest any test response may take (long-polls in tests answer well before). */
    static final Duration RESPONSE_LIMIT = Duration.ofSeconds(20);

    /** One HTTP response; {@code json} is null when the body is not JSON. */
    record Response(int status, HttpHeaders headers, String body, JsonNode json) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient client;

    RestTestClient(int port) {
        this.client = HttpClient.create().baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, GatewayHarness.AUTHORIZATION));
    }

    Response get(String uri) {
        return send(HttpMethod.GET, uri, null);
    }

    Response post(String uri, String body) {
        return send(HttpMethod.POST, uri, body);
    }

    Response delete(String uri) {
        return send(HttpMethod.DELETE, uri, null);
    }

    Response send(HttpMethod method, String uri, String body) {
        return sendAsync(method, uri, body).join();
    }

    /** Sends without waiting (for long-polls); the future fails if no response came within {@link #RESPONSE_LIMIT}. */
    CompletableFuture<Response> sendAsync(HttpMethod method, String uri, String body) {
        HttpClient.RequestSender request = client.request(method).uri(uri);
        HttpClient.ResponseReceiver<?> receiver = body == null ? request
                : request.send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8,
                        ByteBufAllocator.DEFAULT));
        return read(receiver).toFuture();
    }

    /** Sends the body in chunks without a Content-Length (chunked transfer encoding). */
    Response postChunked(String uri, String chunk, int times) {
        return read(client.headers(h -> h.set("Transfer-Encoding", "chunked")).post().uri(uri)
                .send(ByteBufFlux.fromString(Flux.just(chunk).repeat(times - 1L)))).block(WAIT.multipliedBy(2));
    }

    private static Mono<Response> read(HttpClient.ResponseReceiver<?> receiver) {
        return receiver.responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new Response(res.status().code(), res.responseHeaders(), text, parse(text))))
                .timeout(RESPONSE_LIMIT);
    }

    private static JsonNode parse(String text) {
        try {
            return text.isEmpty() ? null : JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}

package dev.mutagenws.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/** A WebSocket client for the process tests: explicit headers, JSON frames in a queue, the close status. */
final class Ws implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final LinkedTransferQueue<JsonNode> inbox = new LinkedTransferQueue<>();
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private final Sinks.One<Integer> handshake = Sinks.one();
    private final Sinks.One<WebSocketCloseStatus> closeStatus = Sinks.one();
    private final Disposable connection;

    private Ws(String url, Consumer<HttpHeaders> headers, File trustedCertificate) {
        connection = Http.client(trustedCertificate)
                .headers(headers)
                .websocket()
                .uri(url)
                .handle((in, out) -> {
                    handshake.tryEmitValue(101);
                    in.receiveCloseStatus().subscribe(closeStatus::tryEmitValue);
                    in.receive().asString().subscribe(text -> {
                        try {
                            JsonNode node = JSON.readTree(text);
                            seen.add(node);
                            inbox.add(node);
                        } catch (Exception e) {
                            throw new AssertionError("not JSON: " + text, e);
                        }
                    });
                    return out.sendString(outbound.asFlux()).then();
                })
                .subscribe(ignored -> { }, error -> {
                    if (error instanceof WebSocketClientHandshakeException) {
                        handshake.tryEmitValue(((WebSocketClientHandshakeException) error).response().status().code());
                    } else {
                        handshake.tryEmitError(error);
                    }
                });
    }

    /** Connects; check {@link #handshakeStatus()} (101 when upgraded). */
    static Ws connect(String url, Consumer<HttpHeaders> headers, File trustedCertificate) {
        return new Ws(url, headers, trustedCertificate);
    }

    static Ws connect(String url, Consumer<HttpHeaders> headers) {
        return connect(url, headers, null);
    }

    /** 101 when the upgrade happened, else the HTTP status of the refusal. */
    int handshakeStatus() {
        return handshake.asMono().block(WAIT);
    }

    WebSocketCloseStatus awaitCloseStatus() {
        return closeStatus.asMono().block(WAIT);
    }

    void send(String text) {
        outbound.emitNext(text, Sinks.EmitFailureHandler.busyLooping(WAIT));
    }

    JsonNode await(Predicate<JsonNode> predicate) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode next = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no matching frame within " + WAIT + "; received: " + seen);
                }
                if (predicate.test(next)) {
                    return next;
                }
                skipped.add(next);
            }
        } finally {
            inbox.addAll(skipped);
        }
    }

    JsonNode reply(long id) throws InterruptedException {
        return await(f -> f.path("id").asLong() == id && !isPush(f));
    }

    JsonNode call(long id, String action, String data) throws InterruptedException {
        send("{\"action\":\"" + action + "\",\"id\":" + id + (data == null ? "" : ",\"data\":" + data) + "}");
        return reply(id);
    }

    static boolean isPush(JsonNode frame) {
        String action = frame.path("action").asText();
        return action.equals("prompt") || action.equals("message") || action.equals("daemon")
                || action.equals("state") || action.equals("event");
    }

    @Override
    public void close() {
        outbound.tryEmitComplete();
        connection.dispose();
    }
}

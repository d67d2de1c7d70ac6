package dev.mutagenws.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.LoopResources;

/**
 * One WebSocket connection to {@code /synchronization}, driven without blocking: frames are
 * parsed on the connection's event loop and handed to a listener; {@link #send} may be called
 * from any thread.
 */
final class WsClient {
    static final int MAX_FRAME = 64 * 1024 * 1024;

    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<WsClient> ready = Sinks.one();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile Consumer<Frame> listener;
    private volatile boolean countSessions;
    private volatile Connection connection;
    private volatile Throwable failure;

    private WsClient(Consumer<Frame> listener) {
        this.listener = listener;
    }

    /** A client that does not pool connections (each WebSocket holds its own). */
    static HttpClient http(LoopResources loops, String token) {
        HttpClient client = HttpClient.newConnection().runOn(loops);
        if (token != null && !token.isEmpty()) {
            client = client.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
        }
        return client;
    }

    /** Opens a connection; the Mono emits once the handshake is done. */
    static Mono<WsClient> connect(HttpClient http, String uri, Consumer<Frame> listener) {
        WsClient c = new WsClient(listener);
        http.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME).build())
                .uri(uri)
                .handle((in, out) -> {
                    in.withConnection(conn -> c.connection = conn);
                    c.ready.tryEmitValue(c);
                    Mono<Void> receive = in.aggregateFrames(MAX_FRAME).receiveFrames()
                            .doOnNext(frame -> {
                                if (frame instanceof TextWebSocketFrame) {
                                    long now = System.nanoTime();
                                    Frame f = Frame.parse(frame.content(), now, c.countSessions);
                                    Consumer<Frame> l = c.listener;
                                    if (l != null) {
                                        l.accept(f);
                                    }
                                }
                            })
                            .then();
                    Mono<Void> send = out.sendString(c.outbound.asFlux(), StandardCharsets.UTF_8).then();
                    return Mono.when(receive, send);
                })
                .subscribe(null, e -> {
                    c.failure = e;
                    c.ready.tryEmitError(e);
                    c.closed.tryEmitEmpty();
                }, () -> {
                    c.ready.tryEmitError(new IllegalStateException("connection closed before the handshake"));
                    c.closed.tryEmitEmpty();
                });
        return c.ready.asMono();
    }

    void listener(Consumer<Frame> l) {
        this.listener = l;
    }

    /** Whether frames are walked completely to count sessionStates (slower; for verification). */
    void countSessions(boolean count) {
        this.countSessions = count;
    }

    void send(String text) {
        synchronized (outbound) {
            outbound.tryEmitNext(text);
        }
    }

    void send(String action, long id, String data) {
        send("{\"action\":\"" + action + "\",\"id\":" + id + (data == null ? "" : ",\"data\":" + data) + "}");
    }

    /** Completes when the connection is gone. */
    Mono<Void> onClose() {
        return closed.asMono();
    }

    Throwable failure() {
        return failure;
    }

    /** Closes the connection without waiting. */
    void close() {
        synchronized (outbound) {
            outbound.tryEmitComplete();
        }
        Connection conn = connection;
        if (conn != null) {
            conn.dispose();
        }
    }

    /** Closes and waits up to the timeout (from a non-event-loop thread). */
    void closeAndWait(Duration timeout) {
        close();
        onClose().block(timeout);
    }
}

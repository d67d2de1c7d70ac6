package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
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
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A real WebSocket client for tests: sends raw frames, collects every frame it receives as JSON. It presents the
 * {@link GatewayHarness#TOKEN} ({@code Authorization: Bearer}) on the upgrade.
 */
final class WsTestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
    // Lock-free: frames arrive on an event loop, which must never block (BlockHound checks).
    private final LinkedTransferQueue<JsonNode> inbox = new LinkedTransferQueue<>();
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    /** The text of each frame in {@link #seen}, at the same position, for byte-level comparisons. */
    private final List<String> seenTexts = new CopyOnWriteArrayList<>();
    private final Disposable connection;
    private final Sinks.One<Void> closed = Sinks.one();
    private volatile Connection wire;

    WsTestClient(int port) {
        this(port, "/synchronization");
    }

    WsTestClient(int port, String path) {
        this(port, path, 0, frame -> { });
    }

    /**
     * A client that also hands each frame to {@code listener} as it arrives (on the event loop: it must not block),
     * with a socket receive buffer of {@code receiveBuffer} bytes (0: the system's), small so that a {@link #pause()}
     * soon stops the server's writes.
     */
    WsTestClient(int port, String path, int receiveBuffer, Consumer<JsonNode> listener) {
        HttpClient client = HttpClient.create();
        if (receiveBuffer > 0) {
            client = client.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        connection = client
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, GatewayHarness.AUTHORIZATION))
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024).build())
                .uri("ws://127.0.0.1:" + port + path)
                .handle((in, out) -> {
                    in.withConnection(c -> wire = c);
                    in.receive().asString().subscribe(text -> {
                        JsonNode node;
                        try {
                            node = JSON.readTree(text);
                        } catch (Exception e) {
                            throw new AssertionError("server sent a frame that is not JSON: " + text, e);
                        }
                        seenTexts.add(text); // first: a frame in seen always has its text
                        seen.add(node);
                        inbox.add(node);
                        listener.accept(node);
                    });
                    return out.sendObject(outbound.asFlux()).then().doFinally(s -> closed.tryEmitEmpty());
                })
                .subscribe();
    }

    void send(String text) {
        outbound.emitNext(new TextWebSocketFrame(text), Sinks.EmitFailureHandler.busyLooping(WAIT));
    }

    void sendBinary(byte[] bytes) {
        outbound.emitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)),
                Sinks.EmitFailureHandler.busyLooping(WAIT));
    }

    /** The next frame matching the predicate (earlier non-matching frames stay visible in {@link #seen()}). */
    JsonNode await(Predicate<JsonNode> predicate) throws InterruptedException {
        return await(predicate, WAIT);
    }

    /** As {@link #await(Predicate)}, waiting up to {@code wait}. */
    JsonNode await(Predicate<JsonNode> predicate, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode next = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no matching frame within " + wait + "; received: " + seen);
                }
                if (predicate.test(next)) {
                    return next;
                }
                skipped.add(next);
            }
        } finally {
            if (!skipped.isEmpty()) {
                putBack(skipped);
            }
        }
    }

    /** Puts back skipped frames, in order, ahead of anything newer. */
    private synchronized void putBack(List<JsonNode> skipped) {
        List<JsonNode> rest = new ArrayList<>();
        inbox.drainTo(rest);
        inbox.addAll(skipped);
        inbox.addAll(rest);
    }

    /** The reply (success or failure, not a push) to request {@code id}. */
    JsonNode reply(long id) throws InterruptedException {
        return await(f -> f.path("id").asLong() == id && !isPush(f));
    }

    /** Sends a request and waits for its reply. */
    JsonNode call(long id, String action, String data) throws InterruptedException {
        send("{\"action\":\"" + action + "\",\"id\":" + id + (data == null ? "" : ",\"data\":" + data) + "}");
        return reply(id);
    }

    static boolean isPush(JsonNode frame) {
        String action = frame.path("action").asText();
        return action.equals("prompt") || action.equals("message") || action.equals("daemon")
                || action.equals("state") || action.equals("event");
    }

    List<JsonNode> seen() {
        return seen;
    }

    /** The frame's text exactly as the server sent it (the frame must be one this client returned). */
    String text(JsonNode frame) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i) == frame) {
                return seenTexts.get(i);
            }
        }
        throw new IllegalArgumentException("not a frame this client received: " + frame);
    }

    /** Stops reading from the socket: what the server writes then waits in the socket buffers, then on the server. */
    void pause() {
        wire.channel().config().setAutoRead(false);
    }

    /** Reads from the socket again after {@link #pause()}. */
    void resume() {
        wire.channel().config().setAutoRead(true);
    }

    /** Frames received but not yet consumed by an await. */
    int pending() {
        return inbox.size();
    }

    @Override
    public void close() {
        outbound.tryEmitComplete();
        closed.asMono().block(Duration.ofSeconds(5));
        connection.dispose();
    }
}

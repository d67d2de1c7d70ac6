package dev.mutagenws.server;

import dev.mutagenws.internal.server.EventRoutes;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;

/**
 * A real streaming GET of the events route, token presented: records are SSE events (split at blank lines) or,
 * with {@code Accept: application/x-ndjson}, NDJSON lines. A response other than 200 is one record, its whole body.
 */
final class EventStream implements AutoCloseable {
    static final String EVENTS = "/api/synchronization/events";
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Receives each record as it arrives, then the end; called on the connection's event loop: must not block. */
    interface Listener {
        /** The response's status and content type, before its records. */
        default void response(int status, String contentType) {
        }

        void record(String record);

        /** The response ended (not called after {@link #close()}). */
        void end();
    }

    final List<String> all = new CopyOnWriteArrayList<>();
    volatile int status;
    volatile String contentType;
    private final LinkedTransferQueue<String> records = new LinkedTransferQueue<>();
    private final Disposable connection;
    private volatile Connection wire;
    private volatile boolean closed;

    EventStream(GatewayHarness harness, String query, Map<String, String> headers) {
        this(harness.port(), query, headers, 0, null);
    }

    /**
     * A stream from the gateway on {@code port}, with a socket receive buffer of {@code receiveBuffer} bytes (0: the
     * system's), small so that a {@link #pause()} soon stops the server's writes; {@code listener} may be null.
     */
    EventStream(int port, String query, Map<String, String> headers, int receiveBuffer, Listener listener) {
        byte[] separator = "application/x-ndjson".equals(headers.get("Accept")) ? new byte[] {'\n'}
                : new byte[] {'\n', '\n'};
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(); // touched on the connection's event loop only
        HttpClient client = HttpClient.create();
        if (receiveBuffer > 0) {
            client = client.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        connection = client.baseUrl("http://127.0.0.1:" + port)
                .headers(h -> {
                    h.set(HttpHeaderNames.AUTHORIZATION, GatewayHarness.AUTHORIZATION);
                    headers.forEach(h::set);
                })
                .get().uri(EVENTS + query)
                .responseConnection((response, c) -> {
                    wire = c;
                    status = response.status().code();
                    contentType = response.responseHeaders().get("Content-Type");
                    if (listener != null) {
                        listener.response(status, contentType);
                    }
                    if (status != 200) {
                        return c.inbound().receive().aggregate().asString(StandardCharsets.UTF_8)
                                .map(text -> List.of(text));
                    }
                    // Split as bytes: a chunk may end inside a character.
                    return c.inbound().receive().asByteArray().map(bytes -> {
                        buffer.writeBytes(bytes);
                        return split(buffer, separator);
                    });
                })
                .doFinally(signal -> {
                    if (listener != null && !closed) {
                        listener.end();
                    }
                })
                .subscribe(complete -> complete.forEach(record -> {
                    all.add(record);
                    records.add(record);
                    if (listener != null) {
                        listener.record(record);
                    }
                }), error -> { });
    }

    /** Takes the complete records out of the buffer. */
    private static List<String> split(ByteArrayOutputStream buffer, byte[] separator) {
        byte[] bytes = buffer.toByteArray();
        List<String> complete = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + separator.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + separator.length, separator, 0, separator.length)) {
                complete.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                i += separator.length - 1;
                start = i + 1;
            }
        }
        buffer.reset();
        buffer.write(bytes, start, bytes.length - start);
        return complete;
    }

    /** The next record matching (earlier ones that do not match are consumed). */
    String next(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String r = records.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no matching record within " + WAIT + "; got " + all);
            }
            if (matching.test(r)) {
                return r;
            }
        }
    }

    /** Stops reading from the socket: what the server writes then waits in the socket buffers, then on the server. */
    void pause() {
        wire.channel().config().setAutoRead(false);
    }

    /** Reads from the socket again after {@link #pause()}. */
    void resume() {
        wire.channel().config().setAutoRead(true);
    }

    @Override
    public void close() {
        closed = true;
        connection.dispose();
    }
}

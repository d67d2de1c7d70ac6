package dev.mutagenws.server;

import dev.mutagenws.internal.server.EventRoutes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.Disposable;

/**
 * A real streaming GET of the events route through the harness's client (token presented): records are SSE events
 * (split at blank lines) or, with {@code Accept: application/x-ndjson}, NDJSON lines.
 */
final class EventStream implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final List<String> all = new CopyOnWriteArrayList<>();
    volatile int status;
    volatile String contentType;
    private final LinkedTransferQueue<String> records = new LinkedTransferQueue<>();
    private final Disposable connection;

    EventStream(GatewayHarness harness, String query, Map<String, String> headers) {
        boolean ndjson = "application/x-ndjson".equals(headers.get("Accept"));
        StringBuilder buffer = new StringBuilder(); // touched on the connection's event loop only
        connection = harness.http()
                .headers(h -> headers.forEach(h::set))
                .get().uri(EventRoutes.EVENTS + query)
                .response((response, body) -> {
                    status = response.status().code();
                    contentType = response.responseHeaders().get("Content-Type");
                    return body.asString();
                })
                .subscribe(chunk -> {
                    buffer.append(chunk);
                    String separator = ndjson ? "\n" : "\n\n";
                    int end;
                    while ((end = buffer.indexOf(separator)) >= 0) {
                        String record = buffer.substring(0, end);
                        buffer.delete(0, end + separator.length());
                        all.add(record);
                        records.add(record);
                    }
                });
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

    @Override
    public void close() {
        connection.dispose();
    }
}

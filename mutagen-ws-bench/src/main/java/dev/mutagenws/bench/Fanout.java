package dev.mutagenws.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * Fan-out: N WebSocket subscribers on one selection ({@code subscribe} with {@code {}}, all
 * sessions); one session changes in the FakeDaemon; time until every subscriber has a
 * {@code state} push with the new stateIndex, and List calls the gateway made upstream for it.
 */
final class Fanout {
    static final long SUBSCRIBE_ID = 1;
    static final int SESSIONS = 10;

    private Fanout() {
    }

    static Report run(Options o) throws Exception {
        return run(o, () -> o.inProcess ? new InProcessHost(SESSIONS, true)
                : new ChildHost(SESSIONS, true, List.of("-Xmx2g")));
    }

    /** Where the server comes from (a test can bring its own). */
    interface Hosts {
        ServerHost start();
    }

    static Report run(Options o, Hosts hosts) throws Exception {
        Report report = new Report("fanout");
        int[] sizes = o.subscribers != null ? o.subscribers : o.quick ? new int[] {50, 200} : new int[] {1000, 10000};
        int rounds = o.quick ? 2 : 5;
        Table t = new Table("fan-out: subscribers on {} (" + SESSIONS + " sessions), one session changes; delay from"
                + " the change to the new stateIndex at each subscriber, ms",
                "subscribers", "changes", "p50", "p99", "max", "missing", "List/change", "KiB/idle conn",
                "KiB/subscriber", "connect s");
        LoopResources loops = LoopResources.create("bench-fanout-client", 2, true);
        try {
            for (int n : sizes) {
                long fds = Machine.maxFileDescriptors();
                // Each connection is one descriptor in the client and one in the server (twice here when in-process).
                long needed = (o.inProcess ? 2L * n : n) + 1000L;
                if (fds > 0 && fds < needed) {
                    report.fail(n + " subscribers need about " + needed + " file descriptors, the limit is " + fds
                            + ": run under 'ulimit -n 65536' (the documented command does)");
                    continue;
                }
                try (ServerHost host = hosts.start()) {
                    if (host.includesClients()) {
                        t.note("in-process host: heap per connection INCLUDES the client side of each connection");
                    }
                    one(host, n, rounds, o.token, loops, t, report, n == sizes[sizes.length - 1]);
                }
                if (report.failed && report.problems.get(0).startsWith("server does not support subscribe")) {
                    break; // The next size would say the same.
                }
            }
        } finally {
            loops.disposeLater().block(Duration.ofSeconds(30));
        }
        t.note("delay = from just before the change command is sent to the server process until the frame arrives at"
                + " the client (includes the command's trip to the server process; clients parse only the envelope"
                + " and data.stateIndex)");
        t.note("KiB/idle conn: server heap after GC with N open, idle WebSocket connections minus before, / N;"
                + " KiB/subscriber: the same with every connection subscribed and holding its first state");
        return report.table(t);
    }

    private static final class Round {
        final long baseline;
        final long[] arrival;
        final CountDownLatch latch;

        Round(long baseline, int n) {
            this.baseline = baseline;
            this.arrival = new long[n];
            this.latch = new CountDownLatch(n);
        }
    }

    private static void one(ServerHost host, int n, int rounds, String token, LoopResources loops, Table t,
            Report report, boolean largest) throws InterruptedException {
        HttpClient http = WsClient.http(loops, token);
        long heap0 = host.heapAfterGc();
        long[] lastSeen = new long[n];
        boolean[] gotFirst = new boolean[n];
        CountDownLatch firstState = new CountDownLatch(n);
        AtomicReference<Frame> subscribeError = new AtomicReference<>();
        AtomicReference<Round> current = new AtomicReference<>();
        List<WsClient> clients = new ArrayList<>(n);

        long c0 = System.nanoTime();
        clients.addAll(Flux.range(0, n).flatMap(i -> WsClient.connect(http, host.wsUri(), f -> {
            if ("state".equals(f.action)) {
                lastSeen[i] = f.stateIndex;
                if (!gotFirst[i]) {
                    gotFirst[i] = true;
                    firstState.countDown();
                }
                Round r = current.get();
                if (r != null && f.stateIndex > r.baseline && r.arrival[i] == 0) {
                    r.arrival[i] = f.receivedNanos;
                    r.latch.countDown();
                }
            } else if (f.id == SUBSCRIBE_ID && !f.ok()) {
                subscribeError.compareAndSet(null, f);
                firstState.countDown();
            }
        }), 256).collectList().block(Duration.ofMinutes(5)));
        double connectSeconds = (System.nanoTime() - c0) / 1e9;
        try {
            long heapIdle = host.heapAfterGc();
            double kibIdle = (heapIdle - heap0) / 1024.0 / n;

            for (WsClient c : clients) {
                c.send("subscribe", SUBSCRIBE_ID, "{}");
            }
            boolean all = firstState.await(120, TimeUnit.SECONDS);
            Frame err = subscribeError.get();
            if (err != null) {
                t.row(n, 0, "-", "-", "-", "-", "-", String.format("%.1f", kibIdle), "-",
                        String.format("%.1f", connectSeconds));
                report.fail(err.code == 2005 ? "server does not support subscribe: " + err.message
                        : "subscribe failed with code " + err.code + ": " + err.message);
                return;
            }
            if (!all) {
                report.fail(firstState.getCount() + " of " + n + " subscribers got no first state within 120 s");
                return;
            }
            long heapSubscribed = host.heapAfterGc();
            double kibSub = (heapSubscribed - heap0) / 1024.0 / n;

            Histogram delays = new Histogram(3_600_000_000L, 3);
            long missing = 0;
            long maxListsPerChange = 0;
            long totalLists = 0;
            for (int round = 0; round < rounds; round++) {
                long baseline = host.stateIndex();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!allSeen(lastSeen, baseline) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long listsBefore = host.listCalls();
                Round r = new Round(baseline, n);
                current.set(r);
                long sent = System.nanoTime();
                host.change(round % SESSIONS, "bench-change-" + round);
                boolean complete = r.latch.await(60, TimeUnit.SECONDS);
                for (long a : r.arrival) {
                    if (a == 0) {
                        missing++;
                    } else {
                        delays.recordValue(Math.max(1, (a - sent) / 1000));
                    }
                }
                if (!complete) {
                    report.fail(r.latch.getCount() + " of " + n + " subscribers did not get change " + (round + 1)
                            + " within 60 s");
                }
                current.set(null);
                Thread.sleep(500); // Late upstream calls caused by this change are counted too.
                long lists = host.listCalls() - listsBefore;
                totalLists += lists;
                maxListsPerChange = Math.max(maxListsPerChange, lists);
            }
            double listsPerChange = (double) totalLists / rounds;
            t.row(n, rounds, Table.ms(delays.getValueAtPercentile(50)), Table.ms(delays.getValueAtPercentile(99)),
                    Table.ms(delays.getMaxValue()), missing, String.format("%.2f (max %d)", listsPerChange,
                            maxListsPerChange),
                    String.format("%.1f", kibIdle), String.format("%.1f", kibSub),
                    String.format("%.1f", connectSeconds));
            report.target("upstream List calls per change == 1 (" + n + " subscribers)", maxListsPerChange == 1
                    && totalLists == rounds, String.format("%.2f per change, max %d", listsPerChange,
                            maxListsPerChange));
            if (largest) {
                double p99 = delays.getValueAtPercentile(99) / 1000.0;
                report.target("p99 <= 250 ms (" + n + " subscribers)", p99 <= 250, String.format("%.1f ms%s", p99,
                        p99 <= 250 ? "" : String.format(" (missed by %.1f ms)", p99 - 250)));
            }
            report.target("heap per subscribed connection <= 32 KiB (" + n + " subscribers"
                    + (host.includesClients() ? ", includes clients" : "") + ")", kibSub <= 32,
                    String.format("%.1f KiB%s", kibSub, kibSub <= 32 ? ""
                            : String.format(" (missed by %.1f KiB)", kibSub - 32)));
        } finally {
            clients.forEach(WsClient::close);
            Flux.fromIterable(clients).flatMap(WsClient::onClose).then().onErrorResume(e -> Mono.empty())
                    .block(Duration.ofSeconds(60));
        }
    }

    private static boolean allSeen(long[] lastSeen, long index) {
        for (long l : lastSeen) {
            if (l != index) {
                return false;
            }
        }
        return true;
    }
}

package dev.mutagenws.bench;

import dev.mutagenws.testkit.NettyLeaks;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * Soak: mixed traffic against a server in a child JVM with paranoid leak detection; the server's
 * heap after GC is sampled at a fixed interval. Bounded: loopback only, stops after the duration.
 */
final class Soak {
    static final int SESSIONS = 20;
    static final int WORKERS = 4;
    static final int MAX_CHURNERS = 30;

    private Soak() {
    }

    static Report run(Options o) throws Exception {
        Report report = new Report("soak");
        double minutes = o.soakMinutesGiven ? o.soakMinutes : o.quick ? 1 : 10;
        long totalMillis = (long) (minutes * 60_000);
        long sampleMillis = o.quick ? 10_000 : 60_000;
        if (totalMillis < 3 * sampleMillis) {
            sampleMillis = Math.max(1000, totalMillis / 4);
        }
        int warmupSamples = 2;

        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        NettyLeaks.install();
        Stats stats = new Stats();
        LoopResources loops = LoopResources.create("bench-soak-client", 2, true);
        ScheduledExecutorService driver = Executors.newScheduledThreadPool(2, r -> {
            Thread th = new Thread(r, "bench-soak-driver");
            th.setDaemon(true);
            return th;
        });
        List<long[]> samples = new ArrayList<>(); // {elapsed ms, heap bytes, requests, churned, changes}
        List<WsClient> workers = new ArrayList<>();
        List<Worker> workerLoops = new ArrayList<>();
        Set<WsClient> churners = ConcurrentHashMap.newKeySet();
        try (ServerHost host = o.inProcess ? new InProcessHost(SESSIONS, true)
                : new ChildHost(SESSIONS, true, List.of("-Xmx512m", "-Dio.netty.leakDetection.level=paranoid"))) {
            HttpClient ws = WsClient.http(loops, o.token);
            HttpClient rest = HttpClient.create().runOn(loops).baseUrl(host.httpBase());
            if (o.token != null && !o.token.isEmpty()) {
                rest = rest.headers(h -> h.set("Authorization", "Bearer " + o.token));
            }
            long start = System.nanoTime();
            long stopAt = start + TimeUnit.MILLISECONDS.toNanos(totalMillis);
            host.trim();
            samples.add(new long[] {0, host.heapAfterGc(), 0, 0, 0});

            // Workers: mixed actions, one outstanding request each, a short pause between requests.
            for (int w = 0; w < WORKERS; w++) {
                WsClient c = WsClient.connect(ws, host.wsUri(), null).block(Duration.ofSeconds(30));
                workers.add(c);
                Worker worker = new Worker(c, stats, stopAt);
                workerLoops.add(worker);
                worker.next();
            }
            // State changes in the FakeDaemon.
            AtomicLong changeNo = new AtomicLong();
            driver.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() < stopAt) {
                    long k = changeNo.incrementAndGet();
                    try {
                        stats.lastIndex.set(host.change((int) (k % SESSIONS), "soak-" + k));
                        stats.changes.incrementAndGet();
                    } catch (RuntimeException e) {
                        stats.unexpected("change: " + e);
                    }
                }
            }, 250, 250, TimeUnit.MILLISECONDS);
            // Subscriptions churning: connect, subscribe, get the first state, close after a while.
            HttpClient restClient = rest;
            driver.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() >= stopAt) {
                    return;
                }
                if (churners.size() < MAX_CHURNERS) {
                    churn(ws, host.wsUri(), churners, stats);
                }
                if (ThreadLocalRandom.current().nextInt(5) == 0) {
                    restClient.get().uri("/api/synchronization/sessions").responseSingle((r, body) ->
                            body.asString().map(b -> r.status().code() == 200 && b.contains("\"sessionStates\"")))
                            .subscribe(ok -> {
                                stats.rest.incrementAndGet();
                                if (!ok) {
                                    stats.unexpected("REST list did not answer 200 with sessionStates");
                                }
                            }, e -> stats.unexpected("REST: " + e));
                }
            }, 100, 100, TimeUnit.MILLISECONDS);

            long nextSample = start + TimeUnit.MILLISECONDS.toNanos(sampleMillis);
            while (true) {
                long now = System.nanoTime();
                if (now >= stopAt) {
                    break;
                }
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nextSample, stopAt) - now)));
                if (System.nanoTime() >= nextSample) {
                    host.trim();
                    samples.add(new long[] {TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                            host.heapAfterGc(), stats.requests.get(), stats.churned.get(), stats.changes.get()});
                    nextSample += TimeUnit.MILLISECONDS.toNanos(sampleMillis);
                }
            }
            driver.shutdown();
            driver.awaitTermination(30, TimeUnit.SECONDS);
            Thread.sleep(1000); // Workers finish their last request.
            for (Worker w : workerLoops) {
                if (w.awaited != -1 && System.nanoTime() - w.sentAt > TimeUnit.SECONDS.toNanos(10)) {
                    stats.unexpected("no reply to a '" + w.kind + "' request (id " + w.awaited + ") within 10 s");
                }
            }
            workers.forEach(c -> c.closeAndWait(Duration.ofSeconds(5)));
            List<WsClient> left = new ArrayList<>(churners);
            left.forEach(c -> c.closeAndWait(Duration.ofSeconds(5)));
            Thread.sleep(1000);
            host.trim();
            samples.add(new long[] {TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), host.heapAfterGc(),
                    stats.requests.get(), stats.churned.get(), stats.changes.get()});

            List<String> serverLeaks = host.leaks();
            NettyLeaks.surface();
            List<String> clientLeaks = host.includesClients() ? List.of() : NettyLeaks.reports();

            Table t = new Table(String.format("soak: %.1f min of mixed traffic, server heap after GC (MiB)", minutes),
                    "t (s)", "heap MiB", "requests", "subscriptions churned", "state changes");
            for (long[] s : samples) {
                t.row(s[0] / 1000, Table.mib(s[1]), s[2], s[3], s[4]);
            }
            t.note(WORKERS + " WebSocket workers (list, list by name/label, long-poll list, version, pause, resume,"
                    + " flush, cancel, bad JSON, unknown action), up to " + MAX_CHURNERS + " churning subscribers, a"
                    + " state change every 250 ms, REST list ~2/s; " + SESSIONS + " sessions");
            t.note("replies by code: " + new TreeMap<>(stats.codes));
            t.note("server: " + (host.includesClients() ? "in this JVM (heap includes clients)"
                    : "child JVM -Xmx512m -Dio.netty.leakDetection.level=paranoid") + "; clients: paranoid too");
            if (stats.subscribeUnsupported.get() > 0) {
                t.note("the server does not support subscribe (2005): churning connections sent list instead");
            }
            report.table(t);

            // Verdicts.
            List<long[]> post = samples.subList(Math.min(warmupSamples, samples.size() - 1), samples.size());
            long first = post.get(0)[1];
            long last = post.get(post.size() - 1)[1];
            long allowance = Math.max(4L << 20, first / 10);
            double slope = slopeMiBPerMinute(post);
            report.target("no heap growth after warm-up", last <= first + allowance, String.format(
                    "%s MiB -> %s MiB (slope %.2f MiB/min; allowed +%s MiB)", Table.mib(first), Table.mib(last), slope,
                    Table.mib(allowance)));
            report.target("no leaked Netty buffers (paranoid)", serverLeaks.isEmpty() && clientLeaks.isEmpty(),
                    serverLeaks.size() + " LEAK reports in the server, " + clientLeaks.size() + " in the clients");
            if (!serverLeaks.isEmpty() || !clientLeaks.isEmpty()) {
                report.fail("LEAK: " + (serverLeaks.isEmpty() ? clientLeaks.get(0) : serverLeaks.get(0)));
            }
            if (stats.unexpectedCount.get() > 0) {
                report.fail(stats.unexpectedCount.get() + " unexpected results, first: " + stats.firstUnexpected.get());
            }
            if (stats.requests.get() == 0) {
                report.fail("no request completed");
            }
        } finally {
            driver.shutdownNow();
            loops.disposeLater().block(Duration.ofSeconds(30));
        }
        return report;
    }

    static double slopeMiBPerMinute(List<long[]> s) {
        int n = s.size();
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (long[] p : s) {
            mx += p[0] / 60_000.0;
            my += p[1] / (1024.0 * 1024.0);
        }
        mx /= n;
        my /= n;
        double num = 0;
        double den = 0;
        for (long[] p : s) {
            double dx = p[0] / 60_000.0 - mx;
            num += dx * (p[1] / (1024.0 * 1024.0) - my);
            den += dx * dx;
        }
        return den == 0 ? 0 : num / den;
    }

    static final class Stats {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong churned = new AtomicLong();
        final AtomicLong changes = new AtomicLong();
        final AtomicLong rest = new AtomicLong();
        final AtomicLong lastIndex = new AtomicLong();
        final AtomicInteger subscribeUnsupported = new AtomicInteger();
        final AtomicLong unexpectedCount = new AtomicLong();
        final AtomicReference<String> firstUnexpected = new AtomicReference<>();
        final Map<Integer, AtomicLong> codes = new ConcurrentSkipListMap<>();

        void code(int code) {
            codes.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        }

        void unexpected(String what) {
            unexpectedCount.incrementAndGet();
            firstUnexpected.compareAndSet(null, what);
        }
    }

    /** One connection sending a random mix of requests, one at a time. */
    static final class Worker {
        final WsClient c;
        final Stats stats;
        final long stopAt;
        long nextId = 1;
        volatile long awaited = -1;
        volatile long sentAt;
        volatile String kind;

        Worker(WsClient c, Stats stats, long stopAt) {
            this.c = c;
            this.stats = stats;
            this.stopAt = stopAt;
            c.listener(this::onFrame);
        }

        private void onFrame(Frame f) {
            if (f.id != awaited) {
                return; // e.g. the cancelled request's own 2009 reply
            }
            awaited = -1;
            stats.requests.incrementAndGet();
            stats.code(f.code);
            if (f.code == 2004 || f.code == 2006 || (f.code != 0 && kind.startsWith("ok-"))) {
                stats.unexpected(kind + " answered " + f);
            }
            if ("list".equals(f.action) && f.stateIndex > 0) {
                stats.lastIndex.accumulateAndGet(f.stateIndex, Math::max);
            }
            Mono.delay(Duration.ofMillis(5)).subscribe(x -> next());
        }

        void next() {
            if (System.nanoTime() >= stopAt) {
                return;
            }
            long id = nextId++;
            sentAt = System.nanoTime();
            int k = ThreadLocalRandom.current().nextInt(SESSIONS);
            int pick = ThreadLocalRandom.current().nextInt(100);
            String name = "{\"name\":\"bench-" + k + "\"}";
            if (pick < 40) {
                send("ok-list", id, "list", "{}");
            } else if (pick < 50) {
                send("ok-list-name", id, "list", name);
            } else if (pick < 55) {
                send("ok-list-label", id, "list", "{\"label\":\"group=g" + (k % 10) + "\"}");
            } else if (pick < 62) {
                send("ok-version", id, "version", null);
            } else if (pick < 67) {
                send("ok-pause", id, "pause", name);
            } else if (pick < 72) {
                send("ok-resume", id, "resume", name);
            } else if (pick < 77) {
                send("flush", id, "flush", "{\"name\":\"bench-" + k + "\",\"skipWait\":true}");
            } else if (pick < 82) {
                send("ok-long-poll", id, "list", "{\"stateIndex\":" + stats.lastIndex.get() + "}");
            } else if (pick < 87) {
                // A long-poll cancelled at once: its own reply (2009) is ignored, the cancel's is awaited.
                long cancelId = nextId++;
                c.send("list", id, "{\"stateIndex\":" + stats.lastIndex.get() + "}");
                kind = "cancel";
                awaited = cancelId;
                c.send("cancel", cancelId, "{\"id\":" + id + "}");
            } else if (pick < 92) {
                kind = "bad-json";
                awaited = 0;
                c.send("{\"action\": \"list\", \"id\": ");
            } else {
                send("unknown-action", id, "frobnicate", "{}");
            }
        }

        private void send(String kind, long id, String action, String data) {
            this.kind = kind;
            this.awaited = id;
            c.send(action, id, data);
        }
    }

    private static void churn(HttpClient ws, String uri, Set<WsClient> churners, Stats stats) {
        AtomicReference<WsClient> self = new AtomicReference<>();
        AtomicBoolean closing = new AtomicBoolean();
        WsClient.connect(ws, uri, f -> {
            WsClient c = self.get();
            if (c == null) {
                return;
            }
            if (f.id == 1 && f.code == 2005) {
                stats.subscribeUnsupported.incrementAndGet();
                c.send("list", 2, "{}");
                return;
            }
            if (closing.compareAndSet(false, true)) {
                Mono.delay(Duration.ofMillis(200 + ThreadLocalRandom.current().nextInt(1800))).subscribe(x -> {
                    c.close();
                    churners.remove(c);
                    stats.churned.incrementAndGet();
                });
            }
        }).subscribe(c -> {
            self.set(c);
            churners.add(c);
            c.send("subscribe", 1, "{}");
        }, e -> stats.unexpected("churn connect: " + e));
    }
}

package dev.mutagenws.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: each lane has one request outstanding and issues the next when the previous
 * one completes. Latencies (microseconds) and completions are recorded only inside the measuring
 * window, after the warm-up.
 */
final class ClosedLoop {
    /** A way to issue one request; {@code done} is called exactly once, from any thread. */
    interface Lane {
        void issue(long id, Completion done);
    }

    interface Completion {
        void complete(String errorOrNull);
    }

    static final class Result {
        final Histogram latency = new Histogram(3_600_000_000L, 3);
        long completed;
        long errors;
        double seconds;
        String firstError;

        double throughput() {
            return completed / seconds;
        }

        double p(double percentile) {
            return latency.getValueAtPercentile(percentile);
        }
    }

    private ClosedLoop() {
    }

    static Result run(List<Lane> lanes, long warmupMillis, long measureMillis) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
        long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMillis);
        CountDownLatch finished = new CountDownLatch(lanes.size());
        List<Loop> loops = new ArrayList<>();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong ids = new AtomicLong();
        for (Lane lane : lanes) {
            loops.add(new Loop(lane, measureFrom, stopAt, finished, firstError, ids));
        }
        loops.forEach(Loop::next);
        if (!finished.await(warmupMillis + measureMillis + 60_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("requests did not complete within 60 s after the run");
        }
        Result r = new Result();
        for (Loop l : loops) {
            synchronized (l) {
                r.latency.add(l.histogram);
                r.completed += l.completed;
                r.errors += l.errors;
            }
        }
        r.seconds = measureMillis / 1000.0;
        r.firstError = firstError.get();
        return r;
    }

    private static final class Loop {
        final Lane lane;
        final long measureFrom;
        final long stopAt;
        final CountDownLatch finished;
        final AtomicReference<String> firstError;
        final AtomicLong ids;
        final Histogram histogram = new Histogram(3_600_000_000L, 3);
        long completed;
        long errors;

        Loop(Lane lane, long measureFrom, long stopAt, CountDownLatch finished, AtomicReference<String> firstError,
                AtomicLong ids) {
            this.lane = lane;
            this.measureFrom = measureFrom;
            this.stopAt = stopAt;
            this.finished = finished;
            this.firstError = firstError;
            this.ids = ids;
        }

        void next() {
            long t0 = System.nanoTime();
            if (t0 >= stopAt) {
                finished.countDown();
                return;
            }
            lane.issue(ids.incrementAndGet(), error -> {
                long t1 = System.nanoTime();
                synchronized (this) {
                    if (t0 >= measureFrom && t1 <= stopAt) {
                        if (error == null) {
                            histogram.recordValue(Math.max(1, (t1 - t0) / 1000));
                            completed++;
                        } else {
                            errors++;
                        }
                    }
                }
                if (error != null) {
                    firstError.compareAndSet(null, error);
                }
                next();
            });
        }
    }
}

package dev.mutagenws.testkit;

import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Test controls for the sessions matching one identifier or name. Every setter is one state write: it bumps the
 * state index exactly once (waking long-polls). Lists are stored in full; List sorts and truncates them.
 *
 * <p>Setters apply to every matching session and return this control for chaining; like the reads, they throw
 * {@link IllegalArgumentException} when no session matches (any more). Safe to call from any thread.
 */
public final class SessionControl {
    private final Engine engine;
    private final ScheduledExecutorService scheduler;
    private final String spec;

    SessionControl(Engine engine, ScheduledExecutorService scheduler, String spec) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.spec = spec;
    }

    /** The List view of the first matching session. */
    public State state() {
        return engine.matching(spec).get(0).snapshot();
    }

    /** Identifier of the first matching session. */
    public String id() {
        return engine.matching(spec).get(0).id();
    }

    /**
     * Sets the session's status (e.g. {@code Watching}). Flush and Resume judge the session by it as the daemon does,
     * and a later lifecycle step may replace it.
     */
    public SessionControl status(Status status) {
        engine.mutate(spec, r -> r.status = status);
        return this;
    }

    /** Sets the last error shown by List; empty clears it (not null). */
    public SessionControl lastError(String lastError) {
        engine.mutate(spec, r -> r.lastError = lastError);
        return this;
    }

    /** Sets the count of successful synchronization cycles shown by List. */
    public SessionControl successfulCycles(long cycles) {
        engine.mutate(spec, r -> r.successfulCycles = cycles);
        return this;
    }

    /** Replaces the session's conflicts (copied in full; List shows at most 10 and counts the rest as excluded). */
    public SessionControl conflicts(List<Conflict> conflicts) {
        engine.mutate(spec, r -> r.conflicts = new ArrayList<>(conflicts));
        return this;
    }

    /**
     * Replaces an endpoint's scan problems (stored in full; List shows at most 10 and counts the rest as excluded).
     */
    public SessionControl scanProblems(Endpoint endpoint, List<Problem> problems) {
        engine.mutate(spec, r -> r.endpoint(endpoint).clearScanProblems().addAllScanProblems(problems));
        return this;
    }

    /**
     * Replaces an endpoint's transition problems (stored in full; List shows at most 10 and counts the rest as
     * excluded).
     */
    public SessionControl transitionProblems(Endpoint endpoint, List<Problem> problems) {
        engine.mutate(spec, r -> r.endpoint(endpoint).clearTransitionProblems().addAllTransitionProblems(problems));
        return this;
    }

    /**
     * A staging-progress update of an endpoint, merged like the daemon does it (protobuf merge: a zero field in
     * the update keeps the earlier value; facts §5.4); null clears it (the transfer finished).
     */
    public SessionControl stagingProgress(Endpoint endpoint, ReceiverState progress) {
        engine.mutate(spec, r -> {
            if (progress == null) {
                r.endpoint(endpoint).clearStagingProgress();
            } else {
                r.endpoint(endpoint).getStagingProgressBuilder().mergeFrom(progress);
            }
        });
        return this;
    }

    /** Display flag only; whether Flush/Resume see a connected run loop follows the lifecycle. */
    public SessionControl connected(Endpoint endpoint, boolean connected) {
        engine.mutate(spec, r -> r.endpoint(endpoint).setConnected(connected));
        return this;
    }

    /** Scan results of an endpoint (also marks it scanned). */
    public SessionControl scanResults(Endpoint endpoint, long directories, long files, long totalFileSize) {
        engine.mutate(spec, r -> r.endpoint(endpoint).setScanned(true).setDirectories(directories).setFiles(files)
                .setTotalFileSize(totalFileSize));
        return this;
    }

    /** Queues one synchronization cycle (9 writes), like a file change seen by the watcher. */
    public SessionControl runCycle() {
        engine.runCycle(spec);
        return this;
    }

    /**
     * {@code n} staging-progress updates on beta in 64 KiB steps, each one state write; {@code interval} zero
     * means as fast as possible. Runs on the lifecycle thread; the future completes after the last write.
     */
    public CompletableFuture<Void> burst(int n, Duration interval) {
        return burst(Endpoint.BETA, n, interval, stagingSteps(n));
    }

    /** {@code n} state writes, step {@code i} (1-based) setting {@code progress.apply(i)} on {@code endpoint}. */
    public CompletableFuture<Void> burst(Endpoint endpoint, int n, Duration interval,
            IntFunction<ReceiverState> progress) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        burstStep(endpoint, 1, n, interval, progress, done);
        return done;
    }

    /**
     * Staging-progress writes at a steady rate for a while, like a large transfer: about {@code perSecond} writes
     * per second (each one index bump) for {@code duration}, written in batches every 5 ms on the lifecycle thread.
     * Step {@code i} (1-based) sets {@code progress.apply(i)}; the future completes with the number of the last step.
     */
    public CompletableFuture<Integer> churn(Endpoint endpoint, int perSecond, Duration duration,
            IntFunction<ReceiverState> progress) {
        if (perSecond < 1 || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("churn needs a positive rate and duration");
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        long total = Math.max(1, perSecond * duration.toNanos() / 1_000_000_000L);
        long start = System.nanoTime();
        int[] written = {0};
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        Runnable tick = () -> {
            try {
                long due = Math.min(total, (System.nanoTime() - start) * perSecond / 1_000_000_000L + 1);
                while (written[0] < due) {
                    written[0]++;
                    stagingProgress(endpoint, progress.apply(written[0]));
                }
                if (written[0] >= total) {
                    done.complete(written[0]);
                    task[0].cancel(false);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                task[0].cancel(false);
            }
        };
        synchronized (task) {
            task[0] = scheduler.scheduleAtFixedRate(() -> {
                synchronized (task) {
                    if (!done.isDone()) {
                        tick.run();
                    }
                }
            }, 0, 5, TimeUnit.MILLISECONDS);
        }
        return done;
    }

    private void burstStep(Endpoint endpoint, int i, int n, Duration interval, IntFunction<ReceiverState> progress,
            CompletableFuture<Void> done) {
        if (i > n) {
            done.complete(null);
            return;
        }
        Runnable step = () -> {
            try {
                if (interval.isZero()) {
                    for (int k = i; k <= n; k++) {
                        stagingProgress(endpoint, progress.apply(k));
                    }
                    done.complete(null);
                } else {
                    stagingProgress(endpoint, progress.apply(i));
                    burstStep(endpoint, i + 1, n, interval, progress, done);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        };
        if (interval.isZero()) {
            scheduler.execute(step);
        } else {
            scheduler.schedule(step, i == 1 ? 0 : interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Staging progress of step {@code i} (1-based) of a {@link #burst(int, Duration)} with 64 KiB blocks. */
    private static IntFunction<ReceiverState> stagingSteps(int n) {
        return i -> ReceiverState.newBuilder().setPath("file").setReceivedSize(i * 65536L)
                .setExpectedSize(n * 65536L).setExpectedFiles(1).setTotalReceivedSize(i * 65536L).build();
    }
}

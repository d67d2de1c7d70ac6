package dev.mutagenws.testkit;

import dev.mutagenws.testkit.LifecycleSteps.Step;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the sessions' queued lifecycle steps: one step per step delay on the scheduler while the daemon runs, or
 * only on demand in manual mode. No lock of its own: {@code lock} is the engine, whose monitor guards all state;
 * everything but the scheduled pump is called holding it, and the pump takes it, so steps run under it too.
 */
final class StepRunner {
    private final Object lock;
    private final SessionRegistry sessions;
    private final LongPolls polls;
    private final ScheduledExecutorService scheduler;
    private final long stepDelayNanos;
    private final boolean manual;
    private boolean running;

    StepRunner(Object lock, SessionRegistry sessions, LongPolls polls, ScheduledExecutorService scheduler,
            long stepDelayNanos, boolean manual) {
        this.lock = lock;
        this.sessions = sessions;
        this.polls = polls;
        this.scheduler = scheduler;
        this.stepDelayNanos = stepDelayNanos;
        this.manual = manual;
    }

    /** Whether the daemon is serving: steps are pumped, retries scheduled, only then. */
    boolean running() {
        return running;
    }

    void setRunning(boolean running) {
        this.running = running;
    }

    void enqueue(SessionRecord r, List<Step> steps) {
        r.steps.addAll(steps);
        schedulePump(r);
    }

    private void schedulePump(SessionRecord r) {
        if (manual || !running || r.pumpScheduled || r.steps.isEmpty() || r.removed) {
            return;
        }
        r.pumpScheduled = true;
        int generation = r.generation;
        scheduler.schedule(() -> pump(r, generation), stepDelayNanos, TimeUnit.NANOSECONDS);
    }

    private void pump(SessionRecord r, int generation) {
        synchronized (lock) {
            if (generation != r.generation) {
                return;
            }
            r.pumpScheduled = false;
            runStep(r);
            schedulePump(r);
        }
    }

    private void runStep(SessionRecord r) {
        Step s = r.steps.poll();
        if (s == null) {
            return;
        }
        s.action().run();
        if (s.write()) {
            polls.bump();
        }
        if (r.steps.isEmpty()) {
            lock.notifyAll();
        }
    }

    /** Runs every queued step of {@code r} now. */
    void drain(SessionRecord r) {
        while (!r.steps.isEmpty()) {
            runStep(r);
        }
    }

    /** Drops the queue; a pump already scheduled sees the new generation and does nothing. Flushes fail. */
    void cancel(SessionRecord r) {
        r.steps.clear();
        r.generation++;
        r.pumpScheduled = false;
        for (CompletableFuture<Void> f : r.flushWaiters) {
            f.completeExceptionally(new DaemonError(
                    "unable to flush session: synchronization terminated while waiting for flush response"));
        }
        r.flushWaiters.clear();
    }

    int pendingSteps() {
        synchronized (lock) {
            int n = 0;
            for (SessionRecord r : sessions.all()) {
                n += r.steps.size();
            }
            return n;
        }
    }

    void runPendingSteps() {
        synchronized (lock) {
            for (SessionRecord r : sessions.ordered()) {
                drain(r);
            }
        }
    }

    /** Waits until no session has queued steps (woken by the step that empties a queue). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (pendingSteps() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}

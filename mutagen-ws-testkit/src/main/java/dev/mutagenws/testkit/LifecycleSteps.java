package dev.mutagenws.testkit;

import dev.mutagenws.proto.synchronization.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The step sequences a session's run loop goes through (loop start, a synchronization cycle, reconnects), each
 * step one state write. Only builds the lists; the engine queues and runs them under its monitor.
 */
final class LifecycleSteps {
    private LifecycleSteps() {
    }

    /** One lifecycle step; {@code write} steps bump the state index after running. */
    record Step(Runnable action, boolean write) {
    }

    private static Step write(Runnable action) {
        return new Step(action, true);
    }

    /** The run loop taking over already connected endpoints. */
    static List<Step> loopStart(SessionRecord r) {
        return List.of(write(() -> r.alpha.setConnected(true)), write(() -> r.beta.setConnected(true)));
    }

    /** A cycle with nothing to do: 9 writes, ending in Watching with successfulCycles + 1 (SUMMARY §3). */
    static List<Step> cycle(SessionRecord r) {
        return List.of(
                write(() -> r.status = Status.Scanning),
                write(() -> {
                    r.alpha.setScanned(true);
                    r.beta.setScanned(true);
                    r.lastError = "";
                    r.status = Status.Reconciling;
                }),
                write(() -> { }), // conflicts stored (the fake keeps what the test set)
                write(() -> r.status = Status.StagingAlpha),
                write(() -> r.status = Status.StagingBeta),
                write(() -> r.status = Status.Transitioning),
                write(() -> r.status = Status.Saving),
                write(() -> r.successfulCycles++),
                write(() -> r.status = Status.Watching));
    }

    /**
     * Reconnection by the daemon itself (restart): no prompter, so password/host-key SSH hosts cannot connect.
     * {@code attempt} is the engine's background connection attempt for one endpoint (it sets the connected flag
     * and, on failure, replaces the queued steps with a later retry).
     */
    static List<Step> reconnect(SessionRecord r, BiConsumer<SessionRecord, Endpoint> attempt) {
        List<Step> steps = new ArrayList<>();
        steps.add(write(() -> r.status = Status.ConnectingAlpha));
        steps.add(write(() -> attempt.accept(r, Endpoint.ALPHA)));
        steps.add(write(() -> r.status = Status.ConnectingBeta));
        steps.add(write(() -> {
            attempt.accept(r, Endpoint.BETA);
            r.loopConnected = r.alpha.getConnected() && r.beta.getConnected();
        }));
        steps.addAll(cycle(r));
        return steps;
    }

    /** One reconnect attempt of a run loop that lacks an endpoint; on success the loop goes on to a cycle. */
    static List<Step> retry(SessionRecord r, BiConsumer<SessionRecord, Endpoint> attempt) {
        return List.of(
                write(() -> r.status = r.alpha.getConnected() ? Status.ConnectingBeta : Status.ConnectingAlpha),
                write(() -> {
                    if (!r.alpha.getConnected()) {
                        attempt.accept(r, Endpoint.ALPHA);
                    }
                }),
                write(() -> {
                    if (!r.beta.getConnected()) {
                        attempt.accept(r, Endpoint.BETA);
                    }
                    if (r.alpha.getConnected() && r.beta.getConnected()) {
                        r.loopConnected = true;
                        r.steps.addAll(cycle(r));
                    }
                }));
    }
}

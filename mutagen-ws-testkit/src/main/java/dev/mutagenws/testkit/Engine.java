package dev.mutagenws.testkit;

import com.google.protobuf.Timestamp;
import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.daemon.VersionResponse;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.Version;
import dev.mutagenws.testkit.LifecycleSteps.Step;
import dev.mutagenws.testkit.labels.Identifiers;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The session manager: selection, the sessions' operations, the daemon's start and stop, and the test controls'
 * access. One monitor (this) guards all state, including that of its helpers ({@link SessionRegistry},
 * {@link LongPolls}, {@link StepRunner}, {@link EndpointConnector}, which lock on this engine); prompter exchanges
 * and SSH prompting ({@link AgentDialer}) happen outside it because they block on clients.
 */
final class Engine {
    private final Clock clock;
    private final boolean manual;
    final Prompters prompters = new Prompters();
    final SshHosts ssh = new SshHosts();
    final DockerContainers docker = new DockerContainers();

    private final SessionRegistry sessions = new SessionRegistry();
    private final LongPolls polls;
    private final StepRunner runner;
    private final EndpointConnector connector;

    /** What Daemon.Version reports and new sessions store as their creating version. */
    volatile VersionResponse version;

    Engine(Clock clock, Duration stepDelay, Duration reconnectDelay, boolean manual,
            ScheduledExecutorService scheduler, Executor executor) {
        this.clock = clock;
        this.manual = manual;
        this.polls = new LongPolls(this, sessions, executor);
        this.runner = new StepRunner(this, sessions, polls, scheduler, stepDelay.toNanos(), manual);
        this.connector = new EndpointConnector(this, new AgentDialer(prompters, ssh, docker), polls, runner,
                scheduler, manual, reconnectDelay);
    }

    // ---------------------------------------------------------------- index and List

    long index() {
        return polls.index();
    }

    int blockedListCalls() {
        return polls.blockedListCalls();
    }

    void list(ListRequest request, ServerCallStreamObserver<ListResponse> observer, CallCancellation cancellation) {
        polls.list(request, observer, cancellation);
    }

    // ---------------------------------------------------------------- selection

    /** Request validation (prompter first, then selection structure), then resolution. */
    private List<SessionRecord> select(String op, String prompter, boolean hasSelection, Selection selection)
            throws DaemonError {
        if (prompter.isEmpty()) {
            throw new DaemonError("invalid " + op + " request: no prompter specified");
        }
        String e = Validation.selectionError(hasSelection, selection);
        if (e != null) {
            throw new DaemonError("invalid " + op + " request: invalid selection specification: " + e);
        }
        synchronized (this) {
            return sessions.resolve(selection);
        }
    }

    // ---------------------------------------------------------------- operations

    String create(CreateRequest request) throws DaemonError {
        String prompter = request.getPrompter();
        if (prompter.isEmpty()) {
            throw new DaemonError("invalid create request: no prompter specified");
        }
        String e = Validation.creationError(request.hasSpecification(), request.getSpecification());
        if (e != null) {
            throw new DaemonError("invalid create request: invalid creation specification: " + e);
        }
        CreationSpecification spec = request.getSpecification();
        String id = Identifiers.newIdentifier("sync");
        prompters.messageQuietly(prompter, "Creating session...");
        Instant now = clock.instant();
        if (!spec.getPaused()) {
            connector.connect(spec, prompter); // Inside the RPC: nothing is visible in List until it returns.
        }
        VersionResponse v = version;
        Session session = Session.newBuilder()
                .setIdentifier(id)
                .setVersion(Version.Version1)
                .setCreationTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCreatingVersionMajor(Math.toIntExact(v.getMajor())) // Set from ints (FakeDaemon.version).
                .setCreatingVersionMinor(Math.toIntExact(v.getMinor()))
                .setCreatingVersionPatch(Math.toIntExact(v.getPatch()))
                .setAlpha(spec.getAlpha())
                .setBeta(spec.getBeta())
                .setConfiguration(spec.getConfiguration())
                .setConfigurationAlpha(spec.getConfigurationAlpha())
                .setConfigurationBeta(spec.getConfigurationBeta())
                .setName(spec.getName())
                .putAllLabels(spec.getLabelsMap())
                .setPaused(spec.getPaused())
                .build();
        synchronized (this) {
            SessionRecord r = sessions.add(session);
            polls.bump();
            if (!spec.getPaused()) {
                r.loopConnected = true;
                List<Step> steps = new ArrayList<>(LifecycleSteps.loopStart(r));
                steps.addAll(LifecycleSteps.cycle(r));
                steps.addAll(LifecycleSteps.cycle(r)); // The echo cycle: the session's own writes wake its watcher.
                runner.enqueue(r, steps);
            }
        }
        return id;
    }

    void flush(String prompter, boolean hasSelection, Selection selection, boolean skipWait) throws DaemonError {
        for (SessionRecord r : select("flush", prompter, hasSelection, selection)) {
            prompters.messageQuietly(prompter, "Forcing synchronization cycle for session " + r.id() + "...");
            CompletableFuture<Void> done = new CompletableFuture<>();
            synchronized (this) {
                if (r.removed) {
                    throw new DaemonError("unable to flush session: controller disabled");
                }
                if (r.session.getPaused()) {
                    throw new DaemonError("unable to flush session: session is paused");
                }
                int s = r.status.getNumber();
                if (!r.loopConnected || (s >= 1 && s <= 5)) {
                    throw new DaemonError("unable to flush session: session is not currently able to synchronize");
                }
                r.flushWaiters.add(done);
                List<Step> steps = new ArrayList<>(LifecycleSteps.cycle(r));
                steps.add(new Step(() -> {
                    r.flushWaiters.remove(done);
                    done.complete(null);
                }, false));
                runner.enqueue(r, steps);
                if (manual) {
                    runner.drain(r);
                }
            }
            if (!skipWait) {
                await(done);
            }
        }
    }

    private static void await(CompletableFuture<Void> f) throws DaemonError {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonError("unable to flush session: flush cancelled while waiting for response");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DaemonError d ? d : new DaemonError(String.valueOf(e.getCause()));
        }
    }

    void pause(String prompter, boolean hasSelection, Selection selection) throws DaemonError {
        for (SessionRecord r : select("pause", prompter, hasSelection, selection)) {
            pauseOne(r, prompter);
        }
    }

    private void pauseOne(SessionRecord r, String prompter) {
        prompters.messageQuietly(prompter, "Pausing session " + r.id() + "...");
        synchronized (this) {
            if (r.removed) {
                return;
            }
            if (r.session.getPaused()) {
                polls.bump(); // Saving the unchanged session still notifies.
                return;
            }
            haltLoop(r);
            r.session = r.session.toBuilder().setPaused(true).build();
            polls.bump();
        }
    }

    void resume(String prompter, boolean hasSelection, Selection selection) throws DaemonError {
        for (SessionRecord r : select("resume", prompter, hasSelection, selection)) {
            resumeOne(r, prompter);
        }
    }

    private void resumeOne(SessionRecord r, String prompter) throws DaemonError {
        prompters.messageQuietly(prompter, "Resuming session " + r.id() + "...");
        synchronized (this) {
            if (r.removed || (!r.session.getPaused() && loopRunning(r))) {
                return;
            }
            if (!r.session.getPaused()) {
                haltLoop(r); // An unpaused session below Watching still has a run loop: it is stopped first.
            }
            runner.cancel(r);
            r.resetState();
            r.loopConnected = false;
            r.session = r.session.toBuilder().setPaused(false).build();
            polls.bump();
            r.status = Status.ConnectingAlpha;
            polls.bump();
        }
        connector.resume(r, prompter);
    }

    /** Resume is a no-op only for a session whose run loop is connected and at Watching or beyond (6-13). */
    private static boolean loopRunning(SessionRecord r) {
        return r.loopConnected && r.status.getNumber() >= 6;
    }

    void reset(String prompter, boolean hasSelection, Selection selection) throws DaemonError {
        for (SessionRecord r : select("reset", prompter, hasSelection, selection)) {
            synchronized (this) {
                if (r.removed || r.session.getPaused()) {
                    continue; // A paused session is reset silently: no message, no index change.
                }
            }
            pauseOne(r, prompter);
            try {
                resumeOne(r, prompter);
            } catch (DaemonError e) {
                throw new DaemonError("unable to reset session: " + e.getMessage());
            }
        }
    }

    void terminate(String prompter, boolean hasSelection, Selection selection) throws DaemonError {
        for (SessionRecord r : select("terminate", prompter, hasSelection, selection)) {
            prompters.messageQuietly(prompter, "Terminating session " + r.id() + "...");
            synchronized (this) {
                if (r.removed) {
                    continue;
                }
                haltLoop(r); // The final snapshot: Disconnected, zeroed.
                sessions.remove(r);
                r.removed = true;
                polls.bump();
            }
        }
    }

    /** Run loop cancelled and state reset: two writes (reset, loop exit). */
    private void haltLoop(SessionRecord r) {
        runner.cancel(r);
        r.resetState();
        r.loopConnected = false;
        polls.bump();
        polls.bump();
    }

    // ---------------------------------------------------------------- daemon start/stop

    /** Server (re)started: index back to 1; non-paused sessions reconnect and run a cycle, as if loaded from disk. */
    synchronized void started() {
        runner.setRunning(true);
        polls.restart();
        for (SessionRecord r : sessions.ordered()) {
            runner.cancel(r);
            r.resetState();
            r.loopConnected = false;
            if (!r.session.getPaused()) {
                runner.enqueue(r, connector.reconnect(r));
            }
        }
    }

    /**
     * What the daemon does first when it shuts down: every session with a run loop halts (Disconnected, both
     * endpoints disconnected, counters reset; the index moves), which wakes blocked long-polls; returns once
     * their answers are on their way (at most {@code timeout}).
     */
    synchronized void haltAll(Duration timeout) throws InterruptedException {
        for (SessionRecord r : sessions.ordered()) {
            if (!r.session.getPaused()) {
                haltLoop(r);
            }
        }
        polls.awaitAnswered(timeout);
    }

    /** Hard stop: every run loop halts, long-polls and prompters vanish with their connections. */
    synchronized void stopped() {
        runner.setRunning(false);
        for (SessionRecord r : sessions.all()) {
            runner.cancel(r);
        }
        polls.dropWaiters();
        prompters.clear();
        notifyAll();
    }

    // ---------------------------------------------------------------- test controls

    synchronized List<State> states() {
        List<State> out = new ArrayList<>();
        for (SessionRecord r : sessions.ordered()) {
            out.add(r.snapshot());
        }
        return out;
    }

    /** Applies {@code change} to every session whose id or name is {@code spec}, then bumps the index once. */
    synchronized void mutate(String spec, Consumer<SessionRecord> change) {
        List<SessionRecord> matched = matching(spec);
        matched.forEach(change);
        polls.bump();
    }

    synchronized List<SessionRecord> matching(String spec) {
        return sessions.matching(spec);
    }

    synchronized void runCycle(String spec) {
        for (SessionRecord r : matching(spec)) {
            runner.enqueue(r, LifecycleSteps.cycle(r));
        }
    }

    int pendingSteps() {
        return runner.pendingSteps();
    }

    /** Runs every queued step now (manual mode's way of making progress). */
    void runPendingSteps() {
        runner.runPendingSteps();
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return runner.awaitIdle(timeout);
    }

    boolean awaitIndex(long atLeast, Duration timeout) throws InterruptedException {
        return polls.awaitIndex(atLeast, timeout);
    }
}

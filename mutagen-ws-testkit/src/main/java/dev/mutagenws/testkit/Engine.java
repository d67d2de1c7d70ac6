package dev.mutagenws.testkit;

import com.google.protobuf.Timestamp;
import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.Version;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testkit.labels.Identifiers;
import dev.mutagenws.testkit.labels.LabelSelector;
import dev.mutagenws.testkit.labels.LabelSelectorException;
import io.grpc.stub.ServerCallStreamObserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The session manager: sessions, the global state index, List long-polls and the lifecycle steps. One monitor
 * (this) guards all state; prompter exchanges and SSH prompting happen outside it because they block on clients.
 */
final class Engine {
    /** One lifecycle step; {@code write} steps bump the state index after running. */
    record Step(Runnable action, boolean write) {
    }

    private static final class ListWaiter {
        final ListRequest request;
        final ServerCallStreamObserver<ListResponse> observer;

        ListWaiter(ListRequest request, ServerCallStreamObserver<ListResponse> observer) {
            this.request = request;
            this.observer = observer;
        }
    }

    private final Clock clock;
    private final long stepDelayNanos;
    /** The run loop's pause between failed reconnect attempts (15 s in the daemon). */
    volatile long reconnectDelayNanos = TimeUnit.SECONDS.toNanos(15);
    private final boolean manual;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    final Prompters prompters = new Prompters();
    final SshHosts ssh = new SshHosts();
    final DockerContainers docker = new DockerContainers();

    private final LinkedHashMap<String, SessionRecord> sessions = new LinkedHashMap<>();
    private final List<ListWaiter> waiters = new ArrayList<>();
    private long index = 1;
    /** Woken long-polls whose answers are still being sent (a halting stop waits for them). */
    private int answering;
    private long ordinals;
    private boolean running;

    volatile int major;
    volatile int minor;
    volatile int patch;
    volatile String tag;

    Engine(Clock clock, Duration stepDelay, boolean manual, ScheduledExecutorService scheduler, Executor executor) {
        this.clock = clock;
        this.stepDelayNanos = stepDelay.toNanos();
        this.manual = manual;
        this.scheduler = scheduler;
        this.executor = executor;
    }

    // ---------------------------------------------------------------- index and List

    synchronized long index() {
        return index;
    }

    synchronized int blockedListCalls() {
        return waiters.size();
    }

    /** Every state write: +1 and wake all long-polls (a change of any session wakes every waiter). */
    private void bump() {
        index++;
        if (index == 0) {
            index = 1; // Never 0: 0 means "no previous index".
        }
        notifyAll();
        if (!waiters.isEmpty()) {
            List<ListWaiter> woken = new ArrayList<>(waiters);
            waiters.clear();
            answering += woken.size();
            for (ListWaiter w : woken) {
                executor.execute(() -> {
                    try {
                        respond(w.request, w.observer);
                    } finally {
                        synchronized (Engine.this) {
                            answering--;
                            notifyAll();
                        }
                    }
                });
            }
        }
    }

    /** Answers at once unless previousStateIndex equals the current index; the selection is resolved only after. */
    void list(ListRequest request, ServerCallStreamObserver<ListResponse> observer, CallCancellation cancellation) {
        String e = Validation.selectionError(request.hasSelection(), request.getSelection());
        if (e != null) {
            Calls.fail(observer, new DaemonError("invalid list request: invalid selection specification: " + e));
            return;
        }
        synchronized (this) {
            long previous = request.getPreviousStateIndex();
            if (previous != 0 && previous == index) {
                ListWaiter w = new ListWaiter(request, observer);
                waiters.add(w);
                // Parked without a thread; a cancelled client just drops its waiter.
                cancellation.onCancel(() -> {
                    synchronized (Engine.this) {
                        waiters.remove(w);
                    }
                });
                return;
            }
        }
        respond(request, observer);
    }

    private void respond(ListRequest request, ServerCallStreamObserver<ListResponse> observer) {
        ListResponse response;
        try {
            synchronized (this) {
                ListResponse.Builder b = ListResponse.newBuilder().setStateIndex(index);
                for (SessionRecord r : resolve(request.getSelection())) {
                    b.addSessionStates(r.snapshot());
                }
                response = b.build();
            }
        } catch (DaemonError error) {
            Calls.fail(observer, error);
            return;
        }
        Calls.succeed(observer, response);
    }

    // ---------------------------------------------------------------- selection

    private List<SessionRecord> ordered() {
        List<SessionRecord> all = new ArrayList<>(sessions.values());
        all.sort(Comparator.<SessionRecord>comparingLong(r -> r.session.getCreationTime().getSeconds())
                .thenComparingInt(r -> r.session.getCreationTime().getNanos())
                .thenComparingLong(r -> r.ordinal));
        return all;
    }

    /** Exact id-or-name matching, first unmatched specification fails, duplicates removed (facts §4.3). */
    private List<SessionRecord> resolve(Selection s) throws DaemonError {
        List<SessionRecord> all = ordered();
        if (s.getAll()) {
            return all;
        }
        if (!s.getLabelSelector().isEmpty()) {
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(s.getLabelSelector());
            } catch (LabelSelectorException e) {
                throw new DaemonError("unable to locate requested sessions: unable to parse label selector: "
                        + e.getMessage());
            }
            List<SessionRecord> out = new ArrayList<>();
            for (SessionRecord r : all) {
                if (selector.matches(r.session.getLabelsMap())) {
                    out.add(r);
                }
            }
            return out;
        }
        LinkedHashSet<SessionRecord> out = new LinkedHashSet<>();
        for (String spec : s.getSpecificationsList()) {
            boolean matched = false;
            for (SessionRecord r : all) {
                if (r.id().equals(spec) || r.session.getName().equals(spec)) {
                    out.add(r);
                    matched = true;
                }
            }
            if (!matched) {
                throw new DaemonError("unable to locate requested sessions: specification \"" + spec
                        + "\" did not match any sessions");
            }
        }
        return new ArrayList<>(out);
    }

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
            return resolve(selection);
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
            // Connected synchronously inside the RPC; nothing is visible in List until it returns.
            connect(Endpoint.ALPHA, spec.getAlpha(), spec.getConfiguration(), spec.getConfigurationAlpha(), prompter);
            connect(Endpoint.BETA, spec.getBeta(), spec.getConfiguration(), spec.getConfigurationBeta(), prompter);
        }
        Session session = Session.newBuilder()
                .setIdentifier(id)
                .setVersion(Version.Version1)
                .setCreationTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCreatingVersionMajor(major)
                .setCreatingVersionMinor(minor)
                .setCreatingVersionPatch(patch)
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
            SessionRecord r = new SessionRecord(session, ordinals++);
            sessions.put(id, r);
            bump();
            if (!spec.getPaused()) {
                r.loopConnected = true;
                List<Step> steps = new ArrayList<>(loopStart(r));
                steps.addAll(cycle(r));
                steps.addAll(cycle(r)); // The echo cycle: the session's own writes wake its watcher.
                enqueue(r, steps);
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
                List<Step> steps = new ArrayList<>(cycle(r));
                steps.add(new Step(() -> {
                    r.flushWaiters.remove(done);
                    done.complete(null);
                }, false));
                enqueue(r, steps);
                if (manual) {
                    drain(r);
                }
            }
            if (!skipWait) {
                await(done);
            }
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
                bump(); // Saving the unchanged session still notifies.
                return;
            }
            haltLoop(r);
            r.session = r.session.toBuilder().setPaused(true).build();
            bump();
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
            cancelSteps(r);
            r.resetState();
            r.loopConnected = false;
            r.session = r.session.toBuilder().setPaused(false).build();
            bump();
            r.status = Status.ConnectingAlpha;
            bump();
        }
        Session s = r.session;
        try {
            connect(Endpoint.ALPHA, s.getAlpha(), s.getConfiguration(), s.getConfigurationAlpha(), prompter);
        } catch (DaemonError e) {
            // lastError stays empty: failed connections are reported only in the RPC result.
            resumeFailed(r, Endpoint.ALPHA);
            throw new DaemonError("unable to resume session: " + e.getMessage());
        }
        synchronized (this) {
            if (r.removed) {
                return;
            }
            r.alpha.setConnected(true);
            bump();
            r.status = Status.ConnectingBeta;
            bump();
        }
        try {
            connect(Endpoint.BETA, s.getBeta(), s.getConfiguration(), s.getConfigurationBeta(), prompter);
        } catch (DaemonError e) {
            resumeFailed(r, Endpoint.BETA);
            throw new DaemonError("unable to resume session: " + e.getMessage());
        }
        synchronized (this) {
            if (r.removed) {
                return;
            }
            r.beta.setConnected(true);
            bump();
            r.loopConnected = true;
            List<Step> steps = new ArrayList<>(loopStart(r));
            steps.addAll(cycle(r));
            enqueue(r, steps);
            if (manual) {
                drain(r);
            }
        }
    }

    /**
     * The connected flag is written after the failed attempt, and the run loop starts anyway: it retries the
     * missing endpoint at once without a prompter, then every reconnect interval (15 s), each attempt moving the
     * index without a visible change.
     */
    private synchronized void resumeFailed(SessionRecord r, Endpoint e) {
        if (!r.removed && !r.session.getPaused()) {
            r.endpoint(e).setConnected(false);
            bump();
            enqueue(r, retry(r));
        }
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
                sessions.remove(r.id());
                r.removed = true;
                bump();
            }
        }
    }

    /** Run loop cancelled and state reset: two writes (reset, loop exit). */
    private void haltLoop(SessionRecord r) {
        cancelSteps(r);
        r.resetState();
        r.loopConnected = false;
        bump();
        bump();
    }

    // ---------------------------------------------------------------- endpoints

    private void connect(Endpoint which, URL url, Configuration base, Configuration specific, String prompter)
            throws DaemonError {
        String prefix = "unable to connect to " + (which == Endpoint.ALPHA ? "alpha" : "beta")
                + ": unable to connect to endpoint: ";
        String error = switch (url.getProtocolValue()) {
            case 0 -> localEndpointError(base, specific);
            // Validation lets SSH parameters through; the SSH protocol handler refuses them before dialing.
            case 1 -> url.getParametersCount() > 0 ? "SSH URL contains internal parameters"
                    : remoteEndpointError(sshError(url, prompter), base, specific);
            default -> remoteEndpointError(docker.dialError(url, () -> agentMessageError(prompter)), base, specific);
        };
        if (error != null) {
            throw new DaemonError(prefix + error);
        }
    }

    /** Local endpoint construction: ignorer, then ownership (see {@link LocalEndpoint}). */
    private static String localEndpointError(Configuration base, Configuration specific) {
        return LocalEndpoint.creationError(base, specific);
    }

    /** After a successful dial the agent builds the endpoint on its side, which can still refuse the ignores. */
    private static String remoteEndpointError(String dialError, Configuration base, Configuration specific) {
        return dialError != null ? dialError : LocalEndpoint.remoteInitializationError(base, specific);
    }

    private static final String DIAL = "unable to dial agent endpoint: ";
    private static final String INSTALL = DIAL + "unable to install agent: ";
    private static final String HANDSHAKE = DIAL + "unable to handshake with agent process: "
            + "unable to receive server magic number: EOF (error output: ";

    private String agentMessageError(String prompter) {
        return dialMessage(prompter, "Connecting to agent (POSIX)...", DIAL);
    }

    /** A message sent while dialing an agent: unlike session-level messages, its failure is fatal. */
    private String dialMessage(String prompter, String text, String prefix) {
        try {
            prompters.message(prompter, text);
            return null;
        } catch (PromptError e) {
            return prefix + "unable to message prompter: " + e.getMessage();
        }
    }

    /**
     * The agent dialer over SSH: one ssh process that runs the agent; when the agent is missing, the install path
     * (probe, extract, copy with scp, install) and a second connection attempt. Every ssh/scp process
     * authenticates on its own, so password hosts prompt once per process; the host key is asked only once.
     */
    private String sshError(URL url, String prompter) {
        String e = agentMessageError(prompter);
        if (e != null) {
            return e;
        }
        SshHost host = ssh.lookup(url.getHost());
        if (host == null) {
            return null;
        }
        int port = url.getPort() == 0 ? 22 : url.getPort();
        if (host.isUnreachable()) {
            return HANDSHAKE + "ssh: connect to host " + host.resolvedAddress() + " port " + port
                    + ": Connection refused)";
        }
        String failure = sshProcess(host, url, prompter);
        if (failure != null) {
            return HANDSHAKE + failure + ")";
        }
        if (host.agentInstalled()) {
            return null;
        }
        // The remote shell reports "command not found": the dialer installs the agent, then connects again.
        e = installAgent(host, url, prompter);
        if (e != null) {
            return e;
        }
        host.markAgentInstalled();
        e = agentMessageError(prompter);
        if (e != null) {
            return e;
        }
        failure = sshProcess(host, url, prompter);
        return failure == null ? null : HANDSHAKE + failure + ")";
    }

    /**
     * Mutagen's install step. Texts not in the captures (failures after the first ssh process) follow the
     * v0.18 dialer's error wrapping: probe output is discarded ("exhausted probing methods" after the POSIX and
     * the Windows probe), scp failures carry ssh's error output, a failed install command its exit status.
     */
    private String installAgent(SshHost host, URL url, String prompter) {
        String probe = INSTALL + "unable to probe remote platform: ";
        String e = dialMessage(prompter, "Probing endpoint (POSIX)...", probe);
        if (e != null) {
            return e;
        }
        if (sshProcess(host, url, prompter) != null) { // uname -s -m
            e = dialMessage(prompter, "Probing endpoint (Windows)...", probe);
            if (e != null) {
                return e;
            }
            sshProcess(host, url, prompter); // cmd /c set: even if it runs, a POSIX remote is no Windows one
            return probe + "exhausted probing methods";
        }
        e = dialMessage(prompter, "Extracting agent...", INSTALL);
        if (e == null) {
            e = dialMessage(prompter, "Copying agent...", INSTALL);
        }
        if (e != null) {
            return e;
        }
        String failure = sshProcess(host, url, prompter); // scp
        if (failure != null) {
            return INSTALL + "unable to copy agent binary: unable to run SCP process: " + failure;
        }
        e = dialMessage(prompter, "Installing agent...", INSTALL);
        if (e != null) {
            return e;
        }
        if (sshProcess(host, url, prompter) != null) { // ./.mutagen-agent<uuid> install
            return INSTALL + "unable to invoke agent installation: exit status 255";
        }
        return null;
    }

    /**
     * One OpenSSH client process getting to the point of running its command: the host-key question (only while
     * the key is unknown), then up to 3 password questions. Null when authenticated, else ssh's error output.
     */
    private String sshProcess(SshHost host, URL url, String prompter) {
        if (!host.hostKeyKnown()) {
            if (!confirmHostKey(host, url, prompter)) {
                return "Host key verification failed.";
            }
            host.markHostKeyKnown();
        }
        String password = host.expectedPassword();
        if (password == null) {
            return null;
        }
        String login = sshUser(url) + "@" + host.resolvedAddress();
        for (int attempt = 0; attempt < 3; attempt++) { // OpenSSH's NumberOfPasswordPrompts
            String answer = promptOrNull(prompter, login + "'s password: ");
            if (password.equals(answer)) {
                return null;
            }
        }
        // Mutagen neutralizes control characters: "\r" arrives as backslash + r.
        return "Permission denied, please try again.\\r\nPermission denied, please try again.\\r\n"
                + login + ": Permission denied (publickey,password).";
    }

    /** OpenSSH with no user in the destination logs in as the local user. */
    private static String sshUser(URL url) {
        return url.getUser().isEmpty() ? System.getProperty("user.name") : url.getUser();
    }

    /**
     * OpenSSH's confirmation loop: "yes" (any case) or the exact fingerprint accepts; "no" (any case), an empty
     * answer or no answer at all rejects; anything else is asked again with the short re-prompt.
     */
    private boolean confirmHostKey(SshHost host, URL url, String prompter) {
        int port = url.getPort() == 0 ? 22 : url.getPort();
        String name = port == 22 ? url.getHost() + " (" + host.resolvedAddress() + ")"
                : "[" + url.getHost() + "]:" + port + " ([" + host.resolvedAddress() + "]:" + port + ")";
        String text = "The authenticity of host '" + name + "' can't be established.\n"
                + host.keyTypeName() + " key fingerprint is " + host.fingerprint() + ".\n"
                + "This key is not known by any other names.\n"
                + "Are you sure you want to continue connecting (yes/no/[fingerprint])? ";
        while (true) {
            String answer = promptOrNull(prompter, text);
            if (answer == null) {
                return false;
            }
            int newline = answer.indexOf('\n');
            if (newline >= 0) {
                answer = answer.substring(0, newline);
            }
            if (answer.isEmpty() || answer.equalsIgnoreCase("no")) {
                return false;
            }
            if (answer.equalsIgnoreCase("yes") || answer.equals(host.fingerprint())) {
                return true;
            }
            text = "Please type 'yes', 'no' or the fingerprint: ";
        }
    }

    /** The askpass helper's view: a failed prompt gives ssh nothing usable. */
    private String promptOrNull(String prompter, String text) {
        try {
            return prompters.prompt(prompter, text);
        } catch (PromptError e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- lifecycle steps

    private static Step write(Runnable action) {
        return new Step(action, true);
    }

    /** The run loop taking over already connected endpoints. */
    private List<Step> loopStart(SessionRecord r) {
        return List.of(write(() -> r.alpha.setConnected(true)), write(() -> r.beta.setConnected(true)));
    }

    /** A cycle with nothing to do: 9 writes, ending in Watching with successfulCycles + 1 (SUMMARY §3). */
    private List<Step> cycle(SessionRecord r) {
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

    /** Reconnection by the daemon itself (restart): no prompter, so password/host-key SSH hosts cannot connect. */
    private List<Step> reconnect(SessionRecord r) {
        List<Step> steps = new ArrayList<>();
        steps.add(write(() -> r.status = Status.ConnectingAlpha));
        steps.add(write(() -> attemptBackground(r, Endpoint.ALPHA)));
        steps.add(write(() -> r.status = Status.ConnectingBeta));
        steps.add(write(() -> {
            attemptBackground(r, Endpoint.BETA);
            r.loopConnected = r.alpha.getConnected() && r.beta.getConnected();
        }));
        steps.addAll(cycle(r));
        return steps;
    }

    private void attemptBackground(SessionRecord r, Endpoint e) {
        Session s = r.session;
        try {
            if (e == Endpoint.ALPHA) {
                connect(e, s.getAlpha(), s.getConfiguration(), s.getConfigurationAlpha(), "");
            } else {
                connect(e, s.getBeta(), s.getConfiguration(), s.getConfigurationBeta(), "");
            }
            r.endpoint(e).setConnected(true);
        } catch (DaemonError failed) {
            r.endpoint(e).setConnected(false);
            r.steps.clear(); // Stays in Connecting*; the next attempt follows after the reconnect interval.
            scheduleRetry(r);
        }
    }

    /** One reconnect attempt of a run loop that lacks an endpoint; on success the loop goes on to a cycle. */
    private List<Step> retry(SessionRecord r) {
        return List.of(
                write(() -> r.status = r.alpha.getConnected() ? Status.ConnectingBeta : Status.ConnectingAlpha),
                write(() -> {
                    if (!r.alpha.getConnected()) {
                        attemptBackground(r, Endpoint.ALPHA);
                    }
                }),
                write(() -> {
                    if (!r.beta.getConnected()) {
                        attemptBackground(r, Endpoint.BETA);
                    }
                    if (r.alpha.getConnected() && r.beta.getConnected()) {
                        r.loopConnected = true;
                        r.steps.addAll(cycle(r));
                    }
                }));
    }

    private void scheduleRetry(SessionRecord r) {
        int generation = r.generation;
        scheduler.schedule(() -> {
            synchronized (Engine.this) {
                if (generation == r.generation && !r.removed && running && !r.session.getPaused()) {
                    enqueue(r, retry(r));
                }
            }
        }, reconnectDelayNanos, TimeUnit.NANOSECONDS);
    }

    private void enqueue(SessionRecord r, List<Step> steps) {
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

    private synchronized void pump(SessionRecord r, int generation) {
        if (generation != r.generation) {
            return;
        }
        r.pumpScheduled = false;
        runStep(r);
        schedulePump(r);
    }

    private void runStep(SessionRecord r) {
        Step s = r.steps.poll();
        if (s == null) {
            return;
        }
        s.action().run();
        if (s.write()) {
            bump();
        }
        if (r.steps.isEmpty()) {
            notifyAll();
        }
    }

    private void drain(SessionRecord r) {
        while (!r.steps.isEmpty()) {
            runStep(r);
        }
    }

    private void cancelSteps(SessionRecord r) {
        r.steps.clear();
        r.generation++;
        r.pumpScheduled = false;
        for (CompletableFuture<Void> f : r.flushWaiters) {
            f.completeExceptionally(new DaemonError(
                    "unable to flush session: synchronization terminated while waiting for flush response"));
        }
        r.flushWaiters.clear();
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

    // ---------------------------------------------------------------- daemon start/stop

    /** Server (re)started: index back to 1; non-paused sessions reconnect and run a cycle, as if loaded from disk. */
    synchronized void started() {
        running = true;
        index = 1;
        for (SessionRecord r : ordered()) {
            cancelSteps(r);
            r.resetState();
            r.loopConnected = false;
            if (!r.session.getPaused()) {
                enqueue(r, reconnect(r));
            }
        }
    }

    /**
     * What the daemon does first when it shuts down: every session with a run loop halts (Disconnected, both
     * endpoints disconnected, counters reset; the index moves), which wakes blocked long-polls; returns once
     * their answers are on their way (at most {@code timeout}).
     */
    synchronized void haltAll(Duration timeout) throws InterruptedException {
        for (SessionRecord r : ordered()) {
            if (!r.session.getPaused()) {
                haltLoop(r);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answering > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Hard stop: every run loop halts, long-polls and prompters vanish with their connections. */
    synchronized void stopped() {
        running = false;
        for (SessionRecord r : sessions.values()) {
            cancelSteps(r);
        }
        waiters.clear();
        prompters.clear();
        notifyAll();
    }

    // ---------------------------------------------------------------- test controls

    synchronized List<State> states() {
        List<State> out = new ArrayList<>();
        for (SessionRecord r : ordered()) {
            out.add(r.snapshot());
        }
        return out;
    }

    /** Applies {@code change} to every session whose id or name is {@code spec}, then bumps the index once. */
    synchronized void mutate(String spec, Consumer<SessionRecord> change) {
        List<SessionRecord> matched = matching(spec);
        matched.forEach(change);
        bump();
    }

    synchronized List<SessionRecord> matching(String spec) {
        List<SessionRecord> matched = new ArrayList<>();
        for (SessionRecord r : ordered()) {
            if (r.id().equals(spec) || r.session.getName().equals(spec)) {
                matched.add(r);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("no session with id or name " + spec);
        }
        return matched;
    }

    synchronized void runCycle(String spec) {
        for (SessionRecord r : matching(spec)) {
            enqueue(r, cycle(r));
        }
    }

    synchronized int pendingSteps() {
        int n = 0;
        for (SessionRecord r : sessions.values()) {
            n += r.steps.size();
        }
        return n;
    }

    /** Runs every queued step now (manual mode's way of making progress). */
    synchronized void runPendingSteps() {
        for (SessionRecord r : ordered()) {
            drain(r);
        }
    }

    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingSteps() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized boolean awaitIndex(long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (index < atLeast) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}

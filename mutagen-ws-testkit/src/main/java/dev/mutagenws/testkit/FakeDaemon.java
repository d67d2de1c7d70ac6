package dev.mutagenws.testkit;

import dev.mutagenws.proto.service.daemon.VersionResponse;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.synchronization.State;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An in-process stand-in for the Mutagen v0.18.1 daemon: a grpc-netty server on a real Unix domain socket serving
 * {@code daemon.Daemon}, {@code prompting.Prompting} and {@code synchronization.Synchronization} with the real
 * daemon's validation order, error texts (all {@code UNKNOWN}), state index and long-poll rules, prompter protocol
 * and session lifecycles (see {@code shared/mutagen-daemon-api.md} and the daemon traces).
 *
 * <pre>{@code
 * FakeDaemon daemon = FakeDaemon.builder()
 *         .socketPath(path)                  // default: fresh temp dir + daemon.sock
 *         .version(0, 18, 1, "")             // default
 *         .stepDelay(Duration.ofMillis(5))   // delay between lifecycle state writes (default 5 ms)
 *         .manualLifecycle(false)            // true: steps run only via runPendingSteps(); Flush/Resume finish inline
 *         .build().start();
 * daemon.session("name-or-id").status(Status.Watching).lastError("boom");   // each control = one index bump
 * daemon.ssh().host("example.com").password("secret");
 * daemon.docker().container("web");       // Docker reachable, container "web" running
 * daemon.stop(); daemon.restart(); daemon.restart(FakeDaemon.StopOrder.CLOSE_FIRST); daemon.close();
 * }</pre>
 *
 * <p>Lifecycle state writes (and so index bumps) per operation follow the traces: registration +1 at Create, then
 * run-loop start +2, first cycle +9, echo cycle +9; a no-op cycle (Flush) +9; Pause +3 (+1 when already paused);
 * Resume +16; Reset = Pause + Resume (0 when paused); Terminate +3; restart: +13 per unpaused session.
 */
public final class FakeDaemon implements AutoCloseable {
    private final Path socketPath;
    private final Path ownedTempDir;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService handlers;
    private final Engine engine;
    private volatile Duration latency = Duration.ZERO;

    private SocketServer server;

    static final int MAX_RECORDED_REQUESTS = CallLog.MAX_RECORDED_REQUESTS;
    private final CallLog calls = new CallLog();

    private FakeDaemon(Builder b) {
        try {
            if (b.socketPath != null) {
                this.socketPath = b.socketPath.toAbsolutePath();
                this.ownedTempDir = null;
            } else {
                this.ownedTempDir = Files.createTempDirectory("mutagen-fake");
                this.socketPath = ownedTempDir.resolve("daemon.sock");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("fake-daemon-lifecycle"));
        this.handlers = Executors.newCachedThreadPool(threads("fake-daemon-rpc"));
        this.engine = new Engine(b.clock, b.stepDelay, b.reconnectDelay, b.manual, scheduler, handlers);
        engine.version = b.version;
    }

    /**
     * A builder of a fake daemon with no sessions, version 0.18.1, on a fresh socket in a temporary directory.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every option has a default. */
    public static final class Builder {
        private Path socketPath;
        private VersionResponse version = versionOf(0, 18, 1, "");
        private Duration stepDelay = Duration.ofMillis(5);
        private boolean manual;
        private Clock clock = Clock.systemUTC();
        private Duration reconnectDelay = Duration.ofSeconds(15);

        private Builder() {
        }

        /** Socket path (parent directories are created); default: a fresh temp directory + {@code daemon.sock}. */
        public Builder socketPath(Path path) {
            this.socketPath = path;
            return this;
        }

        /** Version reported by Daemon.Version and stored as creatingVersion*; default 0.18.1 "". */
        public Builder version(int major, int minor, int patch, String tag) {
            this.version = versionOf(major, minor, patch, tag);
            return this;
        }

        /** Delay between automatic lifecycle state writes; default 5 ms. */
        public Builder stepDelay(Duration delay) {
            this.stepDelay = delay;
            return this;
        }

        /** Manual lifecycle: nothing progresses on its own ({@link #runPendingSteps()}); Flush/Resume run inline. */
        public Builder manualLifecycle(boolean manual) {
            this.manual = manual;
            return this;
        }

        /** Clock for creationTime; default the UTC wall clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Pause between a run loop's failed reconnect attempts (default 15 s, the daemon's). After a failed Resume
         * the loop retries at once, then after each pause; every attempt is a few index bumps with no visible
         * change. In manual lifecycle mode the due attempts are queued and run by {@link #runPendingSteps()}.
         */
        public Builder reconnectDelay(Duration delay) {
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("reconnectDelay must be positive, got " + delay);
            }
            this.reconnectDelay = delay;
            return this;
        }

        /**
         * Builds the fake; it is not listening until {@code start()}.
         *
         * @return the fake daemon
         */
        public FakeDaemon build() {
            return new FakeDaemon(this);
        }
    }

    // ---------------------------------------------------------------- server lifecycle

    /** Binds the socket (removing a stale file, then chmod 0600) and serves. */
    public synchronized FakeDaemon start() {
        if (server != null) {
            return this;
        }
        engine.started();
        try {
            server = SocketServer.start(socketPath, handlers, calls.interceptor(), List.of(new Services.Daemon(this),
                    new Services.Prompting(this), new Services.Synchronization(this)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How a stop treats what is in flight. A real daemon does both: with running sessions it was seen to halt
     * them first, so that a blocked {@code List} returned normally with their halted states and the next call
     * reached whatever listened on the socket by then; the traces show blocked calls failing instead.
     */
    public enum StopOrder {
        /**
         * Running sessions halt first (Disconnected, endpoints disconnected, counters reset; the index moves), a
         * blocked {@code List} is answered with those states, then the connections drop. The default.
         */
        HALT_FIRST,
        /**
         * The connections drop first: calls in flight, blocked {@code List}s included, fail with {@code
         * UNAVAILABLE} "error reading from server: EOF" as in the traces; the sessions halt unseen.
         */
        CLOSE_FIRST
    }

    /** Stops like the daemon's exit, {@link StopOrder#HALT_FIRST}: sessions halted, connections dropped, socket removed. */
    public void stop() {
        stop(StopOrder.HALT_FIRST);
    }

    /** Stops like the daemon's exit, in the given order; the socket file is removed. */
    public synchronized void stop(StopOrder order) {
        if (server == null) {
            return;
        }
        if (order == StopOrder.HALT_FIRST) {
            try {
                engine.haltAll(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        calls.abortAll();
        server.shutdownNow();
        engine.stopped();
        server.awaitTermination();
        calls.stopped();
        server.removeSocket();
        server = null;
    }

    /**
     * Stops ({@link StopOrder#HALT_FIRST}) and starts again on the same path at once, faster than any client's
     * retry: index back to 1, sessions kept, unpaused ones reconnect and run a cycle.
     */
    public FakeDaemon restart() {
        return restart(StopOrder.HALT_FIRST);
    }

    /** Stops in the given order and starts again on the same path at once. */
    public synchronized FakeDaemon restart(StopOrder order) {
        stop(order);
        return start();
    }

    /**
     * Whether the fake is serving its socket now (between {@code start()} and {@code stop()}).
     *
     * @return true while running
     */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Daemon.Terminate: the reply is already on its way; a short grace lets it leave before the hard stop. */
    void stopSoon() {
        scheduler.schedule(() -> stop(), 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stop();
        scheduler.shutdownNow();
        handlers.shutdownNow();
        if (ownedTempDir != null) {
            try (Stream<Path> files = Files.walk(ownedTempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // Temp directory clean-up is best effort.
            }
        }
    }

    /**
     * The Unix socket the fake listens on (the same across restarts): give it to {@code MutagenDaemon.builder()}.
     *
     * @return the socket's path
     */
    public Path socketPath() {
        return socketPath;
    }

    // ---------------------------------------------------------------- RPC plumbing

    Engine engine() {
        return engine;
    }

    /** Runs {@code task} on the RPC executor after the configured latency (no thread sleeps). */
    void deferred(Runnable task) {
        Duration d = latency;
        if (d.isZero() || d.isNegative()) {
            task.run();
        } else {
            scheduler.schedule(() -> handlers.execute(task), d.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    void countList(ListRequest request) {
        calls.countList(request);
    }

    // ---------------------------------------------------------------- observability

    /** The current synchronization state index. */
    public long stateIndex() {
        return engine.index();
    }

    /** Waits until the state index reaches {@code atLeast}. */
    public boolean awaitStateIndex(long atLeast, Duration timeout) throws InterruptedException {
        return engine.awaitIndex(atLeast, timeout);
    }

    /** Current states as List would return them for {@code all}, sorted by creation time. */
    public List<State> sessions() {
        return engine.states();
    }

    /** Total number of List calls received. */
    public long listCalls() {
        return calls.listCalls();
    }

    /** List calls per selection text: {@code all}, the label selector, or the comma-joined specifications. */
    public long listCalls(String selectionText) {
        return calls.listCalls(selectionText);
    }

    /** List calls currently parked in a long-poll. */
    public int blockedListCalls() {
        return engine.blockedListCalls();
    }

    /** Client-cancelled calls (including calls torn down by stop()) for a method, bare ({@code List}) or full. */
    public int cancelledCalls(String method) {
        return calls.cancelledCalls(method);
    }

    /** Waits until at least one cancellation of {@code method} was recorded. */
    public boolean awaitCancelled(String method, Duration timeout) throws InterruptedException {
        return awaitCancelled(method, 1, timeout);
    }

    /**
     * Waits until at least {@code count} cancellations of {@code method} were recorded.
     *
     * @param method the method, bare ({@code List}) or full
     * @param count how many cancellations to wait for
     * @param timeout how long to wait at most
     * @return true when they were recorded in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitCancelled(String method, int count, Duration timeout) throws InterruptedException {
        return calls.awaitCancelled(method, count, timeout);
    }

    /** Identifiers of the currently hosted prompters. */
    public Set<String> prompters() {
        return engine.prompters.identifiers();
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        calls.clearRequests();
    }

    /** The most recent requests received (at most {@value #MAX_RECORDED_REQUESTS}), oldest first. */
    public List<RecordedRequest> requests() {
        return calls.requests();
    }

    /** Request messages for one method (bare or full name). */
    public List<RecordedRequest> requests(String method) {
        return requests().stream().filter(r -> r.matches(method)).toList();
    }

    // ---------------------------------------------------------------- controls

    /** Controls for the sessions whose identifier or name is {@code idOrName}. */
    public SessionControl session(String idOrName) {
        engine.matching(idOrName); // fail fast on a typo
        return new SessionControl(engine, scheduler, idOrName);
    }

    /** SSH host scripts. */
    public SshHosts ssh() {
        return engine.ssh;
    }

    /** Docker container scripts; with none, Docker is unreachable and docker endpoints fail to connect. */
    public DockerContainers docker() {
        return engine.docker;
    }

    /** Latency added before every unary RPC and List is handled (Host streams excluded). */
    public FakeDaemon latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Changes the version reported from now on (and stored in new sessions). */
    public FakeDaemon version(int major, int minor, int patch, String tag) {
        engine.version = versionOf(major, minor, patch, tag);
        return this;
    }

    private static VersionResponse versionOf(int major, int minor, int patch, String tag) {
        return VersionResponse.newBuilder().setMajor(major).setMinor(minor).setPatch(patch).setTag(tag).build();
    }

    /** Number of lifecycle steps queued (manual mode, or not yet run in automatic mode). */
    public int pendingSteps() {
        return engine.pendingSteps();
    }

    /** Runs every queued lifecycle step now. */
    public void runPendingSteps() {
        engine.runPendingSteps();
    }

    /** Waits until no lifecycle steps are queued. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return engine.awaitIdle(timeout);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

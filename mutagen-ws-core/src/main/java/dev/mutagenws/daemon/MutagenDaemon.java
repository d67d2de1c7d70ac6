package dev.mutagenws.daemon;

import dev.mutagenws.internal.daemon.GrpcMutagenDaemon;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactive client of the Mutagen daemon: the API that embedders use. Every method returns a cold
 * {@link Mono}: nothing happens until subscription, and cancelling it cancels the gRPC call (and
 * the prompter hosting that goes with it). Failures arrive as {@link MutagenDaemonException}s:
 * {@link DaemonOperationException} carries the daemon's own error text,
 * {@link DaemonUnavailableException} says the daemon is not reachable (retry later).
 *
 * <p>One instance holds one connection to the daemon, shared by all calls, which comes back by
 * itself when the daemon is restarted. Instances are thread-safe: any number of calls may run at
 * once, from any thread, and no method blocks. Close it when done.
 */
public interface MutagenDaemon extends AutoCloseable {

    /**
     * Connects (lazily) to the daemon at the given socket with default options: no connection is made until the first
     * call. Same as {@code builder().socket(socket).build()}.
     *
     * @param socket where the daemon listens, see {@link DaemonSocket#fromEnvironment()} for the CLI's default
     * @return a client to close when done
     * @throws DaemonTransportException when this platform has no native Unix socket transport
     */
    static MutagenDaemon connect(DaemonSocket socket) {
        return builder().socket(socket).build();
    }

    /**
     * A builder with every option at its default; without {@link Builder#socket(DaemonSocket)} the socket is resolved
     * from the environment the way the Mutagen CLI does it.
     */
    static Builder builder() {
        return new Builder();
    }

    /** Where this client connects. */
    DaemonSocket socket();

    /** The daemon's version ({@code Daemon.Version}). */
    Mono<DaemonVersion> version();

    /**
     * Whether the daemon answers: the current state at once, then every change (the daemon went
     * away, came back, or came back with another version). Hot and shared; cheap while connected.
     */
    Flux<DaemonAvailability> availability();

    /**
     * A number that moves whenever a connection to the daemon opens or closes (attempts included). Two
     * answers received while it read the same before and after each call came over one connection, so from
     * one daemon process; when it moved in between, the daemon may have restarted, even if no call failed
     * (a quick restart between two calls). The live state stream uses it to tell restarts from changes.
     */
    long connectionEpoch();

    /**
     * Creates a synchronization session and emits its identifier. The prompter receives the
     * daemon's status lines and, for remote endpoints, its questions (passwords, host keys).
     * Configurations missing from the specification are sent as empty ones, as the CLI does.
     */
    Mono<String> create(CreationSpecification specification, Prompter prompter);

    /**
     * Lists the selected sessions. With {@code previousStateIndex} 0 (or any index other than the
     * daemon's current one) it answers at once; with the current index it waits until some
     * session changes (a long-poll that lasts until cancelled).
     */
    Mono<ListResponse> list(SessionSelection selection, long previousStateIndex);

    /** Forces a synchronization cycle; unless {@code skipWait}, completes when it has run. */
    Mono<Void> flush(SessionSelection selection, boolean skipWait, Prompter prompter);

    /**
     * Pauses the selected sessions: synchronization stops and their endpoints disconnect until {@link #resume resume};
     * the pause survives a daemon restart. The prompter receives the daemon's status lines.
     */
    Mono<Void> pause(SessionSelection selection, Prompter prompter);

    /** Resumes paused (or halted) sessions; remote endpoints may ask the prompter questions. */
    Mono<Void> resume(SessionSelection selection, Prompter prompter);

    /** Forgets the sessions' synchronization history (pause, clear, resume when running). */
    Mono<Void> reset(SessionSelection selection, Prompter prompter);

    /**
     * Terminates the selected sessions: they stop and the daemon forgets them (the files on both endpoints stay).
     * Cannot be undone; the prompter receives the daemon's status lines.
     */
    Mono<Void> terminate(SessionSelection selection, Prompter prompter);

    /** Closes the connection; calls in flight fail. Does not block. */
    @Override
    void close();

    /** Options of a {@link MutagenDaemon}; immutable results, reusable builder. */
    final class Builder {
        /** The daemon's own message size limit in both directions (25 MiB). */
        public static final int DAEMON_MAX_MESSAGE_SIZE = 25 * 1024 * 1024;

        private DaemonSocket socket;
        private int eventLoopThreads = 1;
        private Executor executor;
        private int maxMessageSize = DAEMON_MAX_MESSAGE_SIZE;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration availabilityRetry = Duration.ofSeconds(1);

        Builder() {
        }

        /** The daemon's socket; default: resolved from the environment like the Mutagen CLI. */
        public Builder socket(DaemonSocket socket) {
            this.socket = Objects.requireNonNull(socket, "socket");
            return this;
        }

        /** The daemon's socket as a file path; same as {@code socket(DaemonSocket.of(path))}. */
        public Builder socket(Path path) {
            return socket(DaemonSocket.of(path));
        }

        /** Threads of the native event loop that carries the connection (default 1). */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("eventLoopThreads must be at least 1, got " + threads);
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /** Where gRPC delivers responses and prompter callbacks; default gRPC's shared pool. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Largest message in either direction (default 25 MiB, the daemon's own limit). Responses above it fail as
         * {@link DaemonProtocolException} with reason {@code MESSAGE_TOO_LARGE}; so do requests above it, before they are
         * sent (grpc-java has no outbound limit of its own, and the daemon would refuse them anyway).
         */
        public Builder maxMessageSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes, got " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** How long connecting to the socket may take before a call fails as unavailable (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** How often an unavailable daemon is checked again (default 1 s). */
        public Builder availabilityRetry(Duration interval) {
            Objects.requireNonNull(interval, "availabilityRetry");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("availabilityRetry must be positive, got " + interval);
            }
            this.availabilityRetry = interval;
            return this;
        }

        /**
         * Builds the client. No connection is made yet.
         *
         * @throws DaemonTransportException when this platform has no native Unix socket transport
         */
        public MutagenDaemon build() {
            return new GrpcMutagenDaemon(socket != null ? socket : DaemonSocket.fromEnvironment(),
                    new GrpcMutagenDaemon.Settings(eventLoopThreads, executor, maxMessageSize, connectTimeout,
                            availabilityRetry));
        }
    }
}

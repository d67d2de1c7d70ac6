package dev.mutagenws.internal.daemon;

import com.google.protobuf.MessageLite;
import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonProtocolException;
import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.DaemonVersion;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.prompting.PromptingHost;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.daemon.DaemonGrpc;
import dev.mutagenws.proto.service.daemon.VersionRequest;
import dev.mutagenws.proto.service.prompting.ReactorPromptingGrpc;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreateResponse;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.FlushRequest;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.service.synchronization.PauseRequest;
import dev.mutagenws.proto.service.synchronization.ResetRequest;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.service.synchronization.SynchronizationGrpc;
import dev.mutagenws.proto.service.synchronization.TerminateRequest;
import dev.mutagenws.proto.synchronization.Configuration;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** {@link MutagenDaemon} over one grpc-netty channel on the daemon's Unix domain socket. */
public final class GrpcMutagenDaemon implements MutagenDaemon {
    private static final int CONNECT_RETRIES = 3;

    private final DaemonSocket socket;
    private final EventLoopGroup eventLoop;
    private final ManagedChannel channel;
    private final PromptingHost prompting;
    private final AvailabilityMonitor monitor;
    private final DaemonConnections connections;
    private final int maxMessageSize;

    /** The client {@link MutagenDaemon.Builder#build()} makes; the settings are the builder's, already checked. */
    public GrpcMutagenDaemon(DaemonSocket socket, Settings options) {
        this.socket = socket;
        this.maxMessageSize = options.maxMessageSize();
        NativeTransport transport = NativeTransport.detect();
        this.eventLoop = transport.newEventLoopGroup(options.eventLoopThreads(), "mutagen-daemon");
        this.connections = new DaemonConnections(transport.channelType());
        NettyChannelBuilder builder = NettyChannelBuilder
                .forAddress(new DomainSocketAddress(socket.path().toFile()))
                .channelFactory(connections, DomainSocketAddress.class)
                .eventLoopGroup(eventLoop)
                // Idle mode would close a quiet connection after 30 minutes, which would look like a daemon restart;
                // above 30 days gRPC turns it off. The daemon never closes a connection on its own but when it exits.
                .idleTimeout(31, TimeUnit.DAYS)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .usePlaintext()
                // grpc-java refuses a file path as authority; the daemon ignores it anyway.
                .overrideAuthority("localhost")
                .maxInboundMessageSize(options.maxMessageSize())
                .maxInboundMetadataSize(64 * 1024);
        if (options.executor() != null) {
            builder.executor(options.executor());
        }
        this.channel = builder.build();
        this.prompting = new PromptingHost(ReactorPromptingGrpc.newReactorStub(channel));
        this.monitor = new AvailabilityMonitor(socket, connections, this::version, options.availabilityRetry());
    }

    @Override
    public long connectionEpoch() {
        return connections.epoch();
    }

    @Override
    public Flux<DaemonAvailability> availability() {
        return monitor.availability();
    }

    @Override
    public DaemonSocket socket() {
        return socket;
    }

    @Override
    public Mono<DaemonVersion> version() {
        return call(() -> unary(DaemonGrpc.getVersionMethod(), VersionRequest.getDefaultInstance())
                .map(v -> new DaemonVersion(v.getMajor(), v.getMinor(), v.getPatch(), v.getTag())));
    }

    @Override
    public Mono<String> create(CreationSpecification specification, Prompter prompter) {
        Objects.requireNonNull(specification, "specification");
        CreationSpecification complete = withConfigurations(specification);
        return hosted(prompter, prompter.allowsPrompts(), id -> unary(SynchronizationGrpc.getCreateMethod(),
                CreateRequest.newBuilder().setPrompter(id).setSpecification(complete).build())
                .map(CreateResponse::getSession));
    }

    @Override
    public Mono<ListResponse> list(SessionSelection selection, long previousStateIndex) {
        ListRequest request = ListRequest.newBuilder().setSelection(selection.toProto())
                .setPreviousStateIndex(previousStateIndex).build();
        return call(() -> unary(SynchronizationGrpc.getListMethod(), request));
    }

    @Override
    public Mono<Void> flush(SessionSelection selection, boolean skipWait, Prompter prompter) {
        // As the CLI: operations that never ask questions host a message-only prompter.
        return hosted(prompter, false, id -> unary(SynchronizationGrpc.getFlushMethod(), FlushRequest.newBuilder()
                .setPrompter(id).setSelection(selection.toProto()).setSkipWait(skipWait).build()).then());
    }

    @Override
    public Mono<Void> pause(SessionSelection selection, Prompter prompter) {
        return hosted(prompter, false, id -> unary(SynchronizationGrpc.getPauseMethod(), PauseRequest.newBuilder()
                .setPrompter(id).setSelection(selection.toProto()).build()).then());
    }

    @Override
    public Mono<Void> resume(SessionSelection selection, Prompter prompter) {
        return hosted(prompter, prompter.allowsPrompts(), id -> unary(SynchronizationGrpc.getResumeMethod(),
                ResumeRequest.newBuilder().setPrompter(id).setSelection(selection.toProto()).build()).then());
    }

    @Override
    public Mono<Void> reset(SessionSelection selection, Prompter prompter) {
        return hosted(prompter, prompter.allowsPrompts(), id -> unary(SynchronizationGrpc.getResetMethod(),
                ResetRequest.newBuilder().setPrompter(id).setSelection(selection.toProto()).build()).then());
    }

    @Override
    public Mono<Void> terminate(SessionSelection selection, Prompter prompter) {
        return hosted(prompter, false, id -> unary(SynchronizationGrpc.getTerminateMethod(),
                TerminateRequest.newBuilder().setPrompter(id).setSelection(selection.toProto()).build()).then());
    }

    @Override
    public void close() {
        monitor.close();
        channel.shutdownNow();
        eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "MutagenDaemon[" + socket + "]";
    }

    private <Q, R> Mono<R> unary(MethodDescriptor<Q, R> method, Q request) {
        // grpc-java has no client-side outbound limit; the daemon would reject the request after it was sent.
        int size = ((MessageLite) request).getSerializedSize();
        if (size > maxMessageSize) {
            return Mono.error(new DaemonProtocolException(DaemonProtocolException.Reason.MESSAGE_TOO_LARGE, "request too large for the"
                    + " Mutagen daemon: " + method.getBareMethodName() + " is " + size + " bytes, the limit is "
                    + maxMessageSize + " bytes", null));
        }
        return UnaryCalls.call(channel, method, request);
    }

    private <T> Mono<T> hosted(Prompter prompter, boolean allowPrompts, Function<String, Mono<T>> operation) {
        Objects.requireNonNull(prompter, "prompter (use Prompter.silent() for none)");
        return call(() -> prompting.host(prompter, allowPrompts, operation));
    }

    /**
     * Every daemon call goes through here: reconnecting, error mapping and the only retry live in
     * one place. gRPC stays in its failure state (and backs off for up to minutes) after a failed
     * connect, so a restarted daemon would not be reached; a call that failed to connect (so never
     * reached the daemon, and is safe to repeat) nudges the channel and tries again, briefly.
     */
    private <T> Mono<T> call(Supplier<Mono<T>> rpc) {
        return Mono.defer(() -> {
            if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                channel.resetConnectBackoff();
            }
            return rpc.get();
        })
                .onErrorMap(error -> DaemonErrors.map(error, socket.path()))
                .retryWhen(Retry.backoff(CONNECT_RETRIES, Duration.ofMillis(25)).maxBackoff(Duration.ofMillis(200))
                        .filter(DaemonErrors::neverReachedDaemon)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** The daemon rejects a creation without all three configurations; the CLI always sends them. */
    private static CreationSpecification withConfigurations(CreationSpecification specification) {
        if (specification.hasConfiguration() && specification.hasConfigurationAlpha()
                && specification.hasConfigurationBeta()) {
            return specification;
        }
        CreationSpecification.Builder builder = specification.toBuilder();
        Configuration empty = Configuration.getDefaultInstance();
        if (!specification.hasConfiguration()) {
            builder.setConfiguration(empty);
        }
        if (!specification.hasConfigurationAlpha()) {
            builder.setConfigurationAlpha(empty);
        }
        if (!specification.hasConfigurationBeta()) {
            builder.setConfigurationBeta(empty);
        }
        return builder.build();
    }

    /** The builder's settings: event loop threads, gRPC's executor (null for its own), limits and intervals. */
    public record Settings(int eventLoopThreads, Executor executor, int maxMessageSize, Duration connectTimeout,
            Duration availabilityRetry) {
    }
}

package dev.mutagenws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.daemon.DaemonGrpc;
import dev.mutagenws.proto.service.prompting.HostRequest;
import dev.mutagenws.proto.service.prompting.HostResponse;
import dev.mutagenws.proto.service.prompting.PromptingGrpc;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.service.synchronization.SynchronizationGrpc;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.url.URL;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real grpc-netty client over the Unix socket, plus a scripted prompter host. */
final class TestClient implements AutoCloseable {
    final ManagedChannel channel;
    private final EventLoopGroup group;

    TestClient(Path socket) {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(25 * 1024 * 1024)
                .build();
    }

    DaemonGrpc.DaemonBlockingStub daemon() {
        return DaemonGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    SynchronizationGrpc.SynchronizationBlockingStub sync() {
        return SynchronizationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    SynchronizationGrpc.SynchronizationFutureStub syncFuture() {
        return SynchronizationGrpc.newFutureStub(channel);
    }

    ListResponse list(Selection selection, long previous) {
        return sync().list(ListRequest.newBuilder().setSelection(selection).setPreviousStateIndex(previous).build());
    }

    static Selection all() {
        return Selection.newBuilder().setAll(true).build();
    }

    static Selection spec(String... specs) {
        return Selection.newBuilder().addAllSpecifications(List.of(specs)).build();
    }

    static URL local(String path) {
        return URL.newBuilder().setPath(path).build();
    }

    static CreationSpecification.Builder spec(URL alpha, URL beta) {
        return CreationSpecification.newBuilder().setAlpha(alpha).setBeta(beta)
                .setConfiguration(Configuration.getDefaultInstance())
                .setConfigurationAlpha(Configuration.getDefaultInstance())
                .setConfigurationBeta(Configuration.getDefaultInstance());
    }

    static CreationSpecification.Builder localSpec(String name) {
        return spec(local("/tmp/alpha"), local("/tmp/beta")).setName(name);
    }

    String create(String prompter, CreationSpecification.Builder spec) {
        return sync().create(CreateRequest.newBuilder().setPrompter(prompter).setSpecification(spec).build())
                .getSession();
    }

    static String error(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("expected a failed call").isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
        return e.getStatus().getDescription();
    }

    /** Hosts a prompter: acks messages, answers prompts from a queue (empty answer when exhausted). */
    Host host(boolean allowPrompts, String... answers) throws Exception {
        Host h = new Host(answers);
        PromptingGrpc.newStub(channel).host(h);
        h.requests.onNext(HostRequest.newBuilder().setAllowPrompts(allowPrompts).build());
        h.identifier.get(5, TimeUnit.SECONDS);
        return h;
    }

    static final class Host implements ClientResponseObserver<HostRequest, HostResponse>, AutoCloseable {
        final CompletableFuture<String> identifier = new CompletableFuture<>();
        final List<String> messages = new ArrayList<>(); // "M text" / "P text"
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        private final Deque<String> answers;
        ClientCallStreamObserver<HostRequest> requests;
        volatile boolean autoReply = true;

        Host(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        String id() {
            return identifier.join();
        }

        synchronized List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<HostRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(HostResponse r) {
            if (!identifier.isDone()) {
                identifier.complete(r.getIdentifier());
                return;
            }
            synchronized (this) {
                messages.add((r.getIsPrompt() ? "P " : "M ") + r.getMessage());
            }
            if (!autoReply) {
                return;
            }
            synchronized (requests) {
                if (r.getIsPrompt()) {
                    String a;
                    synchronized (this) {
                        a = answers.isEmpty() ? "" : answers.poll();
                    }
                    requests.onNext(HostRequest.newBuilder().setResponse(a).build());
                } else {
                    requests.onNext(HostRequest.getDefaultInstance());
                }
            }
        }

        void send(HostRequest r) {
            synchronized (requests) {
                requests.onNext(r);
            }
        }

        @Override
        public void onError(Throwable t) {
            identifier.completeExceptionally(t);
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }

        @Override
        public void close() {
            requests.cancel("done", null);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}

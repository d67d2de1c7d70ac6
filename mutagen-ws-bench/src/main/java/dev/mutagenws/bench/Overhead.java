package dev.mutagenws.bench;

import dev.mutagenws.internal.daemon.NativeTransport;
import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.service.synchronization.SynchronizationGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * Request overhead: {@code list} through the WebSocket gateway versus the same List called on the
 * FakeDaemon's socket with the raw gRPC stub. Everything runs in this JVM.
 */
final class Overhead {
    private Overhead() {
    }

    static Report run(Options o) throws Exception {
        Report report = new Report("overhead");
        int[] sizes = {10, 1000};
        int[] clients = {1, 16};
        long warmup = o.quick ? 300 : 5000;
        long measure = o.quick ? 700 : 10000;
        Table t = new Table("request overhead: list, closed loop, latency in ms (HdrHistogram, us precision)",
                "sessions", "clients", "direct p50", "ws p50", "+p50", "direct p99", "ws p99", "direct p99.9",
                "ws p99.9", "direct req/s", "ws req/s", "ws/direct");
        t.note("direct = SynchronizationGrpc async stub on a raw grpc-netty channel to the FakeDaemon's Unix socket;"
                + " ws = the same list as {\"action\":\"list\",\"data\":{}} through the gateway's WebSocket");
        t.note("FakeDaemon, gateway and clients share this JVM and its CPUs; warm-up " + warmup + " ms, measured "
                + measure + " ms per cell; each client has one request outstanding");
        t.note("the WebSocket client reads the envelope with a streaming parser and skips data (first reply fully"
                + " checked); the gRPC client materialises the protobuf response");
        LoopResources loops = LoopResources.create("bench-ws-client", 2, true);
        NativeTransport transport = NativeTransport.detect();
        EventLoopGroup group = transport.newEventLoopGroup(1, "bench-grpc-client");
        try {
            for (int size : sizes) {
                try (InProcessHost host = new InProcessHost(size, true)) {
                    ManagedChannel channel = NettyChannelBuilder
                            .forAddress(new DomainSocketAddress(host.fake.socketPath().toString()))
                            .channelType(transport.channelType())
                            .eventLoopGroup(group)
                            .usePlaintext()
                            .overrideAuthority("localhost")
                            .maxInboundMessageSize(25 * 1024 * 1024)
                            .build();
                    try {
                        for (int c : clients) {
                            ClosedLoop.Result direct = direct(channel, size, c, warmup, measure);
                            ClosedLoop.Result ws = websocket(host.wsUri(), o.token, loops, size, c, warmup, measure);
                            if (direct.errors > 0 || ws.errors > 0) {
                                report.fail("errors during the run at " + size + " sessions, " + c + " clients: direct "
                                        + direct.errors + " (" + direct.firstError + "), ws " + ws.errors + " ("
                                        + ws.firstError + ")");
                            }
                            double plus = ws.p(50) - direct.p(50);
                            double ratio = ws.throughput() / direct.throughput();
                            t.row(size, c, Table.ms(direct.p(50)), Table.ms(ws.p(50)), Table.ms(plus),
                                    Table.ms(direct.p(99)), Table.ms(ws.p(99)), Table.ms(direct.p(99.9)),
                                    Table.ms(ws.p(99.9)), String.format("%.0f", direct.throughput()),
                                    String.format("%.0f", ws.throughput()), Table.ratio(ratio));
                            if (size == 10) {
                                report.target("p50 overhead <= 0.3 ms (10 sessions, " + c + " client(s))", plus <= 300,
                                        Table.ms(plus) + " ms" + (plus <= 300 ? ""
                                                : String.format(" (missed by %.3f ms)", (plus - 300) / 1000)));
                            }
                            report.target("throughput >= 0.8x direct (" + size + " sessions, " + c + " client(s))",
                                    ratio >= 0.8, Table.ratio(ratio) + (ratio >= 0.8 ? ""
                                            : String.format(" (missed by %.0f%%)", (0.8 - ratio) / 0.8 * 100)));
                        }
                    } finally {
                        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    }
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
        return report.table(t);
    }

    static final ListRequest ALL = ListRequest.newBuilder().setSelection(Selection.newBuilder().setAll(true)).build();

    static ClosedLoop.Result direct(ManagedChannel channel, int size, int clients, long warmup, long measure)
            throws InterruptedException {
        SynchronizationGrpc.SynchronizationStub stub = SynchronizationGrpc.newStub(channel);
        // Correctness first: one call, all sessions.
        ListResponse first = SynchronizationGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .list(ALL);
        if (first.getSessionStatesCount() != size) {
            throw new IllegalStateException("direct list returned " + first.getSessionStatesCount()
                    + " sessions, expected " + size);
        }
        List<ClosedLoop.Lane> lanes = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            lanes.add((id, done) -> stub.list(ALL, new StreamObserver<>() {
                int count = -1;

                @Override
                public void onNext(ListResponse value) {
                    count = value.getSessionStatesCount();
                }

                @Override
                public void onError(Throwable t) {
                    done.complete(t.toString());
                }

                @Override
                public void onCompleted() {
                    done.complete(count == size ? null : "wrong session count " + count);
                }
            }));
        }
        return ClosedLoop.run(lanes, warmup, measure);
    }

    static ClosedLoop.Result websocket(String uri, String token, LoopResources loops, int size, int clients,
            long warmup, long measure) throws InterruptedException {
        HttpClient http = WsClient.http(loops, token);
        List<WsClient> conns = Flux.range(0, clients).flatMap(i -> WsClient.connect(http, uri, null))
                .collectList().block(Duration.ofSeconds(30));
        try {
            // Correctness first: one call per connection, every session in the reply.
            for (WsClient c : conns) {
                AtomicReference<Frame> got = new AtomicReference<>();
                CountDownLatch latch = new CountDownLatch(1);
                c.countSessions(true);
                c.listener(f -> {
                    got.set(f);
                    latch.countDown();
                });
                c.send("list", 0, "{}");
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no reply to list over the WebSocket within 30 s");
                }
                Frame f = got.get();
                if (!f.ok() || !"list".equals(f.action) || f.sessions != size) {
                    throw new IllegalStateException("unexpected reply to list: " + f);
                }
                c.countSessions(false);
            }
            List<ClosedLoop.Lane> lanes = new ArrayList<>();
            for (WsClient c : conns) {
                AtomicReference<Object[]> pending = new AtomicReference<>();
                c.listener(f -> {
                    Object[] p = pending.get();
                    if (p == null || (long) p[0] != f.id) {
                        return;
                    }
                    pending.set(null);
                    ((ClosedLoop.Completion) p[1]).complete(f.ok() && "list".equals(f.action) ? null
                            : "reply " + f);
                });
                lanes.add((id, done) -> {
                    pending.set(new Object[] {id, done});
                    c.send("list", id, "{}");
                });
            }
            return ClosedLoop.run(lanes, warmup, measure);
        } finally {
            conns.forEach(c -> c.closeAndWait(Duration.ofSeconds(5)));
        }
    }
}

package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.server.EventRoutes;
import dev.mutagenws.internal.server.HttpReplies;
import dev.mutagenws.internal.server.OutboundPressure;
import dev.mutagenws.internal.server.QueuedFrames;
import dev.mutagenws.internal.server.WebSocketConnection;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateOptions;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServer;

/**
 * A client that stops reading while the daemon changes state hundreds of times: the server holds a
 * few frames for it (counted until the socket has written them), and when the client reads again it
 * gets a short backlog ending with the latest state, not every intermediate one. Small socket buffers
 * on both sides keep the kernel's share of the backlog small, so what is measured is the server's.
 */
class SlowClientConflationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Distinct snapshots made while the client stalls: well above Reactor Netty's send prefetch (128). */
    private static final int SNAPSHOTS = 400;
    /**
     * State frames the client may receive after resuming: the kernel buffers' and the server's few.
     * Counting frames when the send loop takes them (the bug) gives 128 prefetched plus the channel's
     * 64 KiB outbound buffer, well above this.
     */
    private static final int MAX_BACKLOG = 50;

    private FakeDaemon fake;
    private MutagenDaemon daemon;
    private StateHub hub;
    /** The server's gauge of frames queued for the clients' sockets: one client per test, so that client's. */
    private final QueuedFrames queued = new QueuedFrames();
    private DisposableServer server;
    private final List<Disposable> cleanup = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = FakeDaemon.builder().build().start();
        daemon = MutagenDaemon.builder().socket(fake.socketPath()).availabilityRetry(Duration.ofMillis(200)).build();
        // 1 ms between polls: many distinct snapshots in a short test.
        hub = StateHub.create(daemon, StateOptions.builder().minInterval(Duration.ofMillis(1)).build());
        GatewayOptions options = GatewayOptions.defaults();
        ProtoJson json = ProtoJson.standard();
        ActionExecutor actions = new ActionExecutor(daemon, hub, GatewayOptions.DEFAULT_AVAILABILITY_WAIT);
        ReplyWriter writer = new ReplyWriter(json);
        EventRoutes events = new EventRoutes(actions, new HttpReplies(writer), writer, options,
                hub.options().scheduler(), queued);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .childOption(ChannelOption.SO_SNDBUF, 4096)
                .route(routes -> {
                    routes.ws("/synchronization", (in, out) ->
                            new WebSocketConnection(actions, writer, options, queued).handle(in, out));
                    events.register(routes);
                })
                .bindNow(Duration.ofSeconds(10));
        daemon.create(CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/a-web")).setBeta(URL.newBuilder().setPath("/tmp/b-web"))
                .setName("web").build(), Prompter.silent()).block(WAIT);
        assertThat(fake.awaitIdle(WAIT)).isTrue();
    }

    @AfterEach
    void stop() {
        cleanup.forEach(Disposable::dispose);
        server.disposeNow(Duration.ofSeconds(5));
        hub.close();
        daemon.close();
        fake.close();
    }

    /** Receives text with demand under the test's control; pausing also stops the channel reading. */
    private static final class PausableReader extends BaseSubscriber<String> {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile Connection connection;
        private volatile boolean paused;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(1);
        }

        @Override
        protected void hookOnNext(String text) {
            received.add(text);
            if (!paused) {
                request(1);
            }
        }

        void pause() {
            paused = true;
            connection.channel().config().setAutoRead(false);
        }

        void resume() {
            paused = false;
            connection.channel().config().setAutoRead(true);
            request(Long.MAX_VALUE);
        }

        boolean has(String marker) {
            return received.stream().anyMatch(t -> t.contains(marker));
        }
    }

    @Test
    void aWebSocketClientThatStopsReadingIsConflatedToTheLatestState() throws Exception {
        PausableReader reader = new PausableReader();
        cleanup.add(HttpClient.create()
                .option(ChannelOption.SO_RCVBUF, 4096)
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024).build())
                .uri("ws://127.0.0.1:" + server.port() + "/synchronization")
                .handle((in, out) -> {
                    in.withConnection(c -> reader.connection = c);
                    in.receive().asString().subscribe(reader);
                    return out.sendObject(Flux.just(new TextWebSocketFrame(
                            "{\"action\":\"subscribe\",\"id\":7,\"data\":{\"name\":\"web\"}}"))).neverComplete();
                })
                .subscribe());
        assertThat(Await.until(() -> reader.has("\"action\":\"state\""))).isTrue();

        stallThroughManyChanges(reader);

        int before = reader.received.size();
        long finalIndex = hub.current(SessionSelection.of("web")).stateIndex();
        reader.resume();
        assertThat(Await.until(() -> reader.has("final-marker"))).isTrue();
        List<JsonNode> states = reader.received.subList(before, reader.received.size()).stream()
                .map(SlowClientConflationTest::json)
                .filter(f -> f.path("action").asText().equals("state"))
                .toList();
        assertThat(states.size()).isLessThanOrEqualTo(MAX_BACKLOG);
        JsonNode last = states.get(states.size() - 1);
        assertThat(last.at("/data/stateIndex").asLong()).isEqualTo(finalIndex);
        assertThat(last.at("/data/sessionStates/0/lastError").asText()).isEqualTo("final-marker");
    }

    @Test
    void anEventStreamClientThatStopsReadingIsConflatedToTheLatestState() throws Exception {
        PausableReader reader = new PausableReader();
        cleanup.add(reader);
        HttpClient.create()
                .option(ChannelOption.SO_RCVBUF, 4096)
                .get().uri("http://127.0.0.1:" + server.port() + EventRoutes.EVENTS + "?name=web")
                .responseConnection((response, connection) -> {
                    reader.connection = connection;
                    return connection.inbound().receive().asString();
                })
                .subscribe(reader);
        assertThat(Await.until(() -> reader.has("event: state"))).isTrue();

        stallThroughManyChanges(reader);

        int before = String.join("", reader.received).split("\n\n", -1).length;
        long finalIndex = hub.current(SessionSelection.of("web")).stateIndex();
        reader.resume();
        assertThat(Await.until(() -> reader.has("final-marker"))).isTrue();
        String[] records = String.join("", reader.received).split("\n\n", -1);
        List<String> states = Arrays.stream(records, before - 1, records.length)
                .filter(r -> r.contains("event: state"))
                .toList();
        assertThat(states.size()).isLessThanOrEqualTo(MAX_BACKLOG);
        String last = states.get(states.size() - 1);
        assertThat(last).startsWith("id: " + finalIndex + "@").contains("\"lastError\":\"final-marker\"");
    }

    /**
     * Pauses the reader, then changes the session until the hub has published {@link #SNAPSHOTS}
     * distinct states, checking all along that the server holds only a few frames for the client.
     */
    private void stallThroughManyChanges(PausableReader reader) throws Exception {
        AtomicInteger snapshots = new AtomicInteger();
        List<SessionStates> lastSeen = new CopyOnWriteArrayList<>();
        cleanup.add(hub.watch(SessionSelection.of("web")).subscribe(s -> {
            snapshots.incrementAndGet();
            lastSeen.add(0, s);
            if (lastSeen.size() > 1) {
                lastSeen.remove(1);
            }
        }));
        reader.pause();
        long maxPending = 0;
        int change = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (snapshots.get() < SNAPSHOTS && System.nanoTime() < deadline) {
            fake.session("web").lastError("change-" + change++);
            if (change % 5 == 0) {
                Thread.sleep(1); // let the 1 ms loop see distinct states
            }
            maxPending = Math.max(maxPending, queued.count());
        }
        assertThat(snapshots.get()).isGreaterThanOrEqualTo(SNAPSHOTS);
        fake.session("web").lastError("final-marker");
        assertThat(Await.until(() -> !lastSeen.isEmpty()
                && lastSeen.get(0).states().get(0).getLastError().equals("final-marker"))).isTrue();
        Thread.sleep(200); // whatever the server would still queue for the stalled client, it has by now
        maxPending = Math.max(maxPending, queued.count());
        // One subscription without events: the low-water mark plus the one signal it then asks for.
        assertThat(maxPending).isLessThanOrEqualTo(OutboundPressure.LOW_WATER + 1);
    }

    private static JsonNode json(String text) {
        try {
            return WsTestClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}

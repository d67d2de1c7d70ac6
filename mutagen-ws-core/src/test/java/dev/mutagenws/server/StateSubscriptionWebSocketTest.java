package dev.mutagenws.server;

import static dev.mutagenws.server.GatewayWebSocketTest.assertEnvelope;
import static dev.mutagenws.server.GatewayWebSocketTest.local;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.server.ConnectionSubscriptions;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to live state over the WebSocket: the {@code subscribe} reply, pushes as envelopes, several
 * subscriptions per connection and their limit, {@code unsubscribe}, and one daemon loop for many connections. The
 * live-state behaviour itself is {@link LiveStateContract}'s ({@link WebSocketLiveStateTest}).
 */
class StateSubscriptionWebSocketTest {
    private GatewayHarness harness;
    private WsTestClient ws;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(),
                GatewayOptions.builder().maxSubscriptions(3).build());
        ws = harness.ws();
    }

    @AfterEach
    void stop() {
        ws.close();
        harness.close();
    }

    private String create(WsTestClient client, long id, String name) throws InterruptedException {
        JsonNode reply = client.call(id, "creation", local(name));
        assertEnvelope(reply, "creation", id, 0);
        assertThat(harness.fake.awaitIdle(WsTestClient.WAIT)).isTrue();
        return reply.get("data").get("session").asText();
    }

    private static Predicate<JsonNode> push(String action, long id) {
        return f -> f.get("action").asText().equals(action) && f.get("id").asLong() == id;
    }

    @Test
    void theReplySaysWhereThePushesStartAndPushesAreEnvelopesWithTheSubscribeId() throws Exception {
        String session = create(ws, 1, "web");
        JsonNode reply = ws.call(2, "subscribe", "{\"name\":\"web\",\"events\":true}");
        assertEnvelope(reply, "subscribe", 2, 0);
        assertThat(reply.get("data").fieldNames()).toIterable().containsExactly("subscription", "stateIndex", "epoch");
        long index = reply.get("data").get("stateIndex").asLong();
        String epoch = reply.get("data").get("epoch").asText();
        assertThat(index).isEqualTo(harness.fake.stateIndex());
        JsonNode state = ws.await(push("state", 2));
        assertEnvelope(state, "state", 2, 0);
        assertThat(state.at("/data/stateIndex").asLong()).isEqualTo(index);
        assertThat(state.at("/data/epoch").asText()).isEqualTo(epoch).matches("[0-9a-z]+-[0-9a-z]+");
        assertThat(state.at("/data/subscription").asText()).isEqualTo(reply.at("/data/subscription").asText());
        assertThat(state.at("/data/sessionStates/0/session/identifier").asText()).isEqualTo(session);
        harness.fake.session("web").status(Status.Scanning);
        JsonNode event = ws.await(f -> push("event", 2).test(f)
                && f.at("/data/type").asText().equals("status_changed"));
        assertEnvelope(event, "event", 2, 0);

        // Resuming at the current state: the reply echoes the client's own point, and no state follows until a change.
        long current = ws.await(f -> push("state", 2).test(f) && f.toString().contains("scanning"))
                .at("/data/stateIndex").asLong();
        JsonNode resumed = ws.call(3, "subscribe", "{\"name\":\"web\",\"stateIndex\":" + current + ",\"epoch\":\""
                + epoch + "\"}");
        assertThat(resumed.at("/data/stateIndex").asLong()).isEqualTo(current);
        assertThat(resumed.at("/data/epoch").asText()).isEqualTo(epoch);
        // From an older point: the reply gives the current state's, which follows at once.
        JsonNode older = ws.call(4, "subscribe", "{\"name\":\"web\",\"stateIndex\":" + index + ",\"epoch\":\""
                + epoch + "\"}");
        assertThat(older.at("/data/stateIndex").asLong()).isEqualTo(current);
        assertThat(ws.await(push("state", 4)).at("/data/stateIndex").asLong()).isEqualTo(current);
        assertThat(ws.seen()).noneMatch(push("state", 3));
    }

    @Test
    void severalSubscriptionsPerConnectionUpToTheLimitAndUnsubscribe() throws Exception {
        create(ws, 1, "web");
        create(ws, 2, "api");
        String a = ws.call(10, "subscribe", "{\"name\":\"web\"}").at("/data/subscription").asText();
        String b = ws.call(11, "subscribe", "{\"name\":\"api\"}").at("/data/subscription").asText();
        String c = ws.call(12, "subscribe", null).at("/data/subscription").asText();
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
        JsonNode refused = ws.call(13, "subscribe", "{\"all\":true}");
        assertEnvelope(refused, "error", 13, 2008);
        assertThat(refused.get("message").asText()).contains("limit 3");
        ws.await(push("state", 10));
        ws.await(push("state", 11));
        ws.await(push("state", 12));

        JsonNode done = ws.call(14, "unsubscribe", "{\"subscription\":\"" + a + "\"}");
        assertEnvelope(done, "unsubscribe", 14, 0);
        assertThat(done.get("data").isNull()).isTrue();
        assertEnvelope(ws.call(15, "unsubscribe", "{\"subscription\":\"" + a + "\"}"), "error", 15, 2003);
        assertEnvelope(ws.call(16, "unsubscribe", "{\"id\":3}"), "error", 16, 2003);
        // A free slot again.
        assertEnvelope(ws.call(17, "subscribe", "{\"label\":\"team=web\"}"), "subscribe", 17, 0);

        harness.fake.session("web").status(Status.Scanning);
        ws.await(f -> push("state", 12).test(f) && f.toString().contains("scanning"));
        ws.await(f -> push("state", 17).test(f) && f.toString().contains("scanning"));
        Thread.sleep(200);
        assertThat(ws.seen()).filteredOn(push("state", 10)).hasSize(1);
    }

    @Test
    void invalidSubscribeDataIsRejected() throws Exception {
        assertEnvelope(ws.call(1, "subscribe", "{\"stateIndex\":-1}"), "error", 1, 2003);
        assertEnvelope(ws.call(2, "subscribe", "{\"events\":\"yes\"}"), "error", 2, 2003);
        assertEnvelope(ws.call(3, "subscribe", "{\"nmae\":\"x\"}"), "error", 3, 2003);
        assertEnvelope(ws.call(4, "subscribe", "[1]"), "error", 4, 2003);
    }

    @Test
    void oneUpstreamLoopFor300SubscriptionsOver100ConnectionsAndClosingEndsThem() throws Exception {
        create(ws, 1, "web");
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                clients.add(harness.ws());
            }
            for (WsTestClient client : clients) {
                for (int s = 0; s < 3; s++) {
                    client.send("{\"action\":\"subscribe\",\"id\":" + (100 + s) + ",\"data\":{\"label\":\"team=web\"}}");
                }
            }
            for (WsTestClient client : clients) {
                for (int s = 0; s < 3; s++) {
                    client.await(push("state", 100 + s));
                }
            }
            assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
            assertThat(harness.fake.listCalls("team=web")).isEqualTo(2);
            assertThat(harness.gateway.states().activeSelections()).isEqualTo(1);
            // The fake's own lifecycle must be done, or one of its steps could overwrite the change below.
            assertThat(harness.fake.awaitIdle(WsTestClient.WAIT)).isTrue();
            harness.fake.session("web").lastError("marker-300");
            for (WsTestClient client : clients) {
                client.await(f -> push("state", 102).test(f) && f.toString().contains("marker-300"));
            }
            assertThat(harness.fake.listCalls("team=web")).isLessThanOrEqualTo(3);
        } finally {
            clients.forEach(WsTestClient::close);
        }
        // Every socket closed: the shared loop stops and its long-poll is cancelled.
        assertThat(harness.fake.awaitCancelled("List", WsTestClient.WAIT)).isTrue();
        assertThat(Await.until(() -> harness.gateway.states().activeSelections() == 0)).isTrue();
        assertThat(harness.fake.blockedListCalls()).isZero();
    }

    @Test
    void theStatePushSharesTheSnapshotsEncodedJson() {
        SessionStates snapshot = new SessionStates(7, List.of(), Instant.now());
        assertThat(ConnectionSubscriptions.stateData(snapshot, "sub-1").get("sessionStates"))
                .isSameAs(ConnectionSubscriptions.stateData(snapshot, "sub-2").get("sessionStates"));
    }

    @Test
    void theEventPushSharesTheEventsEncodedJson() {
        StateEvent event = new StateEvent(StateEvent.ERROR, Instant.parse("2024-01-01T00:00:00Z"), 9, "s1",
                Map.of("lastError", "boom"));
        assertThat(ConnectionSubscriptions.eventData(event)).isSameAs(ConnectionSubscriptions.eventData(event));
        assertThat(new ReplyWriter(ProtoJson.standard())
                .writeValue(ConnectionSubscriptions.eventData(event)))
                .isEqualTo("{\"type\":\"error\",\"time\":\"2024-01-01T00:00:00Z\",\"stateIndex\":9,"
                        + "\"session\":\"s1\",\"lastError\":\"boom\"}");
    }
}

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code subscribe}/{@code unsubscribe} and the {@code state}/{@code event}/{@code daemon} pushes, end to end. */
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
    void subscribeAnswersThenPushesTheCurrentStateAndEveryChangeWithEvents() throws Exception {
        String session = create(ws, 1, "web");
        JsonNode reply = ws.call(2, "subscribe", "{\"name\":\"web\",\"events\":true}");
        assertEnvelope(reply, "subscribe", 2, 0);
        String subscription = reply.get("data").get("subscription").asText();
        long index = reply.get("data").get("stateIndex").asLong();
        assertThat(index).isEqualTo(harness.fake.stateIndex());

        JsonNode state = ws.await(push("state", 2));
        assertEnvelope(state, "state", 2, 0);
        assertThat(state.get("data").fieldNames()).toIterable()
                .containsExactly("stateIndex", "epoch", "sessionStates", "subscription");
        assertThat(state.get("data").get("epoch").asText()).isEqualTo(reply.get("data").get("epoch").asText())
                .matches("[0-9a-z]+-[0-9a-z]+");
        assertThat(state.get("data").get("stateIndex").asLong()).isEqualTo(index);
        assertThat(state.get("data").get("subscription").asText()).isEqualTo(subscription);
        assertThat(state.at("/data/sessionStates/0/session/identifier").asText()).isEqualTo(session);
        assertThat(state.at("/data/sessionStates/0/status").asText()).isEqualTo("watching");

        harness.fake.session("web").status(Status.Scanning);
        JsonNode next = ws.await(push("state", 2));
        assertThat(next.at("/data/sessionStates/0/status").asText()).isEqualTo("scanning");
        JsonNode event = ws.await(push("event", 2));
        assertEnvelope(event, "event", 2, 0);
        assertThat(event.get("data").fieldNames()).toIterable()
                .containsExactly("type", "time", "stateIndex", "session", "from", "to");
        assertThat(event.get("data").get("type").asText()).isEqualTo("status_changed");
        assertThat(event.get("data").get("from").asText()).isEqualTo("watching");
        assertThat(event.get("data").get("to").asText()).isEqualTo("scanning");
        assertThat(event.get("data").get("session").asText()).isEqualTo(session);
        assertThat(event.get("data").get("stateIndex").asLong()).isEqualTo(next.at("/data/stateIndex").asLong());
        assertThat(Instant.parse(event.get("data").get("time").asText())).isNotNull();
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
    void aSubscriptionOfAMissingOrTerminatedSessionEndsWithTheDaemonsError() throws Exception {
        JsonNode missing = ws.call(1, "subscribe", "{\"name\":\"nosuch\"}");
        assertEnvelope(missing, "error", 1, 2001);
        assertThat(missing.get("message").asText()).startsWith("unable to locate requested sessions");

        create(ws, 2, "web");
        assertEnvelope(ws.call(3, "subscribe", "{\"name\":\"web\"}"), "subscribe", 3, 0);
        ws.await(push("state", 3));
        assertEnvelope(ws.call(4, "terminate", "{\"name\":\"web\"}"), "terminate", 4, 0);
        JsonNode ended = ws.await(f -> f.get("action").asText().equals("error") && f.get("id").asLong() == 3);
        assertThat(ended.get("code").asInt()).isEqualTo(2001);
        assertThat(ended.get("message").asText()).contains("did not match any sessions");
    }

    @Test
    void resumeWithTheCurrentIndexSendsNothingUntilAChange() throws Exception {
        create(ws, 1, "web");
        long index = harness.fake.stateIndex();
        JsonNode reply = ws.call(2, "subscribe", "{\"name\":\"web\",\"stateIndex\":" + index + "}");
        assertThat(reply.at("/data/stateIndex").asLong()).isEqualTo(index);
        harness.fake.session("web").lastError("boom");
        JsonNode state = ws.await(push("state", 2));
        assertThat(state.at("/data/sessionStates/0/lastError").asText()).isEqualTo("boom");
        assertThat(ws.seen()).filteredOn(push("state", 2)).hasSize(1);
        // An old index: the current state at once.
        ws.call(3, "subscribe", "{\"name\":\"web\",\"stateIndex\":" + (index - 1) + "}");
        assertThat(ws.await(push("state", 3)).at("/data/sessionStates/0/lastError").asText()).isEqualTo("boom");
    }

    @Test
    void aDaemonRestartPushesDaemonFalseThenTrueThenFreshStateWithoutResubscribing() throws Exception {
        create(ws, 1, "web");
        for (int i = 0; i < 5; i++) {
            harness.fake.session("web").lastError("before-" + i); // an index well above the restarted one
        }
        ws.call(2, "subscribe", "{\"name\":\"web\"}");
        long before = ws.await(f -> push("state", 2).test(f) && f.toString().contains("before-4"))
                .at("/data/stateIndex").asLong();
        assertThat(before).isEqualTo(harness.fake.stateIndex());
        harness.fake.stop(FakeDaemon.StopOrder.CLOSE_FIRST); // as in the traces: nothing halts before the socket closes
        JsonNode down = ws.await(push("daemon", 2));
        assertThat(down.at("/data/connected").asBoolean()).isFalse();
        assertThat(down.get("message").asText()).isNotEmpty();
        harness.fake.start();
        JsonNode up = ws.await(f -> push("daemon", 2).test(f) && f.at("/data/connected").asBoolean());
        assertThat(up.at("/data/connected").asBoolean()).isTrue();
        assertThat(up.at("/data/version/minor").asInt()).isEqualTo(18);
        JsonNode fresh = ws.await(push("state", 2));
        assertThat(fresh.at("/data/sessionStates/0/session/name").asText()).isEqualTo("web");
        // Fresh from the restarted daemon (its index starts again at 1), not the snapshot cached before.
        assertThat(fresh.at("/data/stateIndex").asLong()).isLessThan(before);
        assertThat(harness.fake.awaitIdle(WsTestClient.WAIT)).isTrue();
        long restarted = harness.fake.stateIndex();
        assertThat(restarted).isLessThan(before);
        if (fresh.at("/data/stateIndex").asLong() != restarted) {
            ws.await(f -> push("state", 2).test(f) && f.at("/data/stateIndex").asLong() == restarted);
        }

        // Resuming with an index from before the restart: the fresh state at once.
        JsonNode resumed = ws.call(3, "subscribe", "{\"name\":\"web\",\"stateIndex\":" + before + "}");
        assertEnvelope(resumed, "subscribe", 3, 0);
        assertThat(resumed.at("/data/stateIndex").asLong()).isEqualTo(restarted);
        assertThat(ws.await(push("state", 3)).at("/data/stateIndex").asLong()).isEqualTo(restarted);
        // Pushes of this subscription came in that order.
        List<String> order = new ArrayList<>();
        for (JsonNode f : ws.seen()) {
            if (f.get("id").asLong() == 2 && WsTestClient.isPush(f)) {
                String kind = f.get("action").asText() + (f.get("action").asText().equals("daemon")
                        ? ":" + f.at("/data/connected").asBoolean() : "");
                if (!(kind.equals("daemon:false") && order.contains(kind))) { // each new reason is pushed too
                    order.add(kind);
                }
            }
        }
        assertThat(order.subList(0, 4)).containsExactly("state", "daemon:false", "daemon:true", "state");
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
    void aSubscribeTheHubCannotServeAnymoreIsAnsweredWithCancelled() throws Exception {
        create(ws, 1, "web");
        harness.gateway.states().close(); // as at shutdown: the hub completes every subscription at once
        JsonNode reply = ws.call(2, "subscribe", "{\"name\":\"web\"}");
        assertEnvelope(reply, "error", 2, 2009);
        assertThat(reply.get("message").asText()).contains("shutting down");
    }

    @Test
    void theEventPushSharesTheEventsEncodedJson() {
        StateEvent event = new StateEvent(
                StateEvent.ERROR, Instant.parse("2024-01-01T00:00:00Z"), 9, "s1",
                Map.of("lastError", "boom"));
        assertThat(ConnectionSubscriptions.eventData(event)).isSameAs(ConnectionSubscriptions.eventData(event));
        assertThat(new ReplyWriter(ProtoJson.standard())
                .writeValue(ConnectionSubscriptions.eventData(event)))
                .isEqualTo("{\"type\":\"error\",\"time\":\"2024-01-01T00:00:00Z\",\"stateIndex\":9,"
                        + "\"session\":\"s1\",\"lastError\":\"boom\"}");
    }
}

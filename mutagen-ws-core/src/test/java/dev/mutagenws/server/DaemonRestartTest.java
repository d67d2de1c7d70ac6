package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.server.EventRoutes;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import dev.mutagenws.testkit.FakeDaemon.StopOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A daemon restarted faster than the state loop's back-off, in both orders a real daemon shows (sessions halted
 * and a blocked List answered before the connection drops, or the List failing first), is seen on every
 * transport: {@code daemon} false then true, then the new run's state with a new epoch and one
 * {@code daemon_restarted} event, and no invented change events; resuming with an index of the old run gets
 * the current state even when the new run's index is the same number.
 */
class DaemonRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private GatewayHarness harness;
    private final List<WsTestClient> clients = new ArrayList<>();
    private final List<EventStream> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.defaults());
    }

    @AfterEach
    void stop() {
        streams.forEach(EventStream::close);
        clients.forEach(WsTestClient::close);
        harness.close();
    }

    private String create(String name) throws InterruptedException {
        return harness.createLocal(name);
    }

    private WsTestClient ws() {
        WsTestClient client = harness.ws();
        clients.add(client);
        return client;
    }

    private static Predicate<JsonNode> frame(String action, long id) {
        return f -> f.path("action").asText().equals(action) && f.path("id").asLong() == id;
    }

    private static boolean isEvent(JsonNode f, String type) {
        return f.path("action").asText().equals("event") && f.at("/data/type").asText().equals(type);
    }

    /** Waits until the frames seen so far satisfy {@code done}, then returns them in arrival order. */
    private static List<JsonNode> framesUntil(WsTestClient client, Predicate<List<JsonNode>> done) {
        assertThat(Await.until(() -> done.test(List.copyOf(client.seen()))))
                .as("frames: %s", client.seen()).isTrue();
        return List.copyOf(client.seen());
    }

    @ParameterizedTest
    @EnumSource(StopOrder.class)
    void aQuickRestartIsSeenByEveryConnectionAndSubscriptionInOrder(StopOrder order) throws Exception {
        String session = create("web");
        WsTestClient ws = ws();
        JsonNode reply = ws.call(2, "subscribe", "{\"name\":\"web\",\"events\":true}");
        String oldEpoch = reply.at("/data/epoch").asText();
        JsonNode first = ws.await(frame("state", 2));
        assertThat(first.at("/data/epoch").asText()).isEqualTo(oldEpoch);
        int mark = ws.seen().size();

        harness.fake.restart(order);

        List<JsonNode> frames = framesUntil(ws, seen -> seen.stream().skip(mark)
                .anyMatch(f -> isEvent(f, "daemon_restarted"))
                && seen.stream().skip(mark).anyMatch(f -> frame("daemon", 0).test(f) && f.at("/data/connected").asBoolean()));
        List<JsonNode> after = frames.subList(mark, frames.size());

        // The subscription: false (with a reason), true, then the new run's state and the restart event, in that order.
        List<JsonNode> sub = after.stream().filter(f -> f.path("id").asLong() == 2).toList();
        int down = indexOf(sub, f -> frame("daemon", 2).test(f) && !f.at("/data/connected").asBoolean());
        int up = indexOf(sub, f -> frame("daemon", 2).test(f) && f.at("/data/connected").asBoolean());
        int fresh = indexOf(sub, f -> frame("state", 2).test(f) && !f.at("/data/epoch").asText().equals(oldEpoch));
        int restarted = indexOf(sub, f -> isEvent(f, "daemon_restarted"));
        assertThat(down).as("subscription frames %s", sub).isNotNegative();
        assertThat(up).isGreaterThan(down);
        assertThat(fresh).isGreaterThan(up);
        assertThat(restarted).isEqualTo(fresh + 1);
        // The loop noticed the restart by the new connection, or its next call met the daemon mid-stop.
        assertThat(sub.get(down).path("message").asText()).satisfiesAnyOf(
                m -> assertThat(m).startsWith("lost the connection to the Mutagen daemon at " + harness.fake.socketPath()),
                m -> assertThat(m).startsWith("Mutagen daemon is not running: "));
        assertThat(sub.get(down).at("/data/subscription").asText()).isEqualTo(reply.at("/data/subscription").asText());
        assertThat(sub.get(up).at("/data/version/minor").asInt()).isEqualTo(18);
        JsonNode state = sub.get(fresh);
        assertThat(state.at("/data/sessionStates/0/session/identifier").asText()).isEqualTo(session);
        // Nothing before the new state claims the new run; nothing after the old run's last state claims the old one.
        assertThat(sub.subList(0, fresh)).filteredOn(f -> frame("state", 2).test(f))
                .allMatch(f -> f.at("/data/epoch").asText().equals(oldEpoch));

        JsonNode event = sub.get(restarted).get("data");
        assertThat(event.get("stateIndex").asLong()).isEqualTo(state.at("/data/stateIndex").asLong());
        long lastOld = sub.subList(0, fresh).stream().filter(f -> frame("state", 2).test(f))
                .reduce((a, b) -> b).orElse(first).at("/data/stateIndex").asLong();
        assertThat(event.get("previousStateIndex").asLong()).isEqualTo(lastOld);
        assertThat(event.has("session")).isFalse();
        assertThat(event.fieldNames()).toIterable().containsExactly("type", "time", "stateIndex", "previousStateIndex");
        // The session ran before and after: no resumed (or paused, or created) event was invented across the restart.
        assertThat(sub.subList(fresh, sub.size())).filteredOn(f -> f.path("action").asText().equals("event"))
                .extracting(f -> f.at("/data/type").asText())
                .doesNotContain("resumed", "paused", "session_created", "session_terminated");
        assertThat(sub).filteredOn(f -> isEvent(f, "daemon_restarted")).hasSize(1);

        // The connection: false (the connection closed) then true, however fast the daemon came back.
        List<JsonNode> conn = after.stream().filter(frame("daemon", 0)).toList();
        assertThat(conn.get(0).at("/data/connected").asBoolean()).as("connection pushes %s", conn).isFalse();
        assertThat(conn.get(0).path("message").asText()).startsWith("lost the connection to the Mutagen daemon at "
                + harness.fake.socketPath() + ": ");
        assertThat(conn.get(conn.size() - 1).at("/data/connected").asBoolean()).isTrue();
        assertThat(conn).filteredOn(f -> f.at("/data/connected").asBoolean()).hasSize(1);
    }

    @Test
    void resumingWithAnIndexOfTheOldRunGetsTheCurrentStateEvenWhenTheNumberIsTheSame() throws Exception {
        create("web");
        WsTestClient ws = ws();
        String oldEpoch = ws.call(1, "subscribe", "{\"name\":\"web\"}").at("/data/epoch").asText();
        harness.fake.restart();
        JsonNode fresh = ws.await(f -> frame("state", 1).test(f) && !f.at("/data/epoch").asText().equals(oldEpoch));
        assertThat(harness.fake.awaitIdle(WAIT)).isTrue();
        // The new run's index, once it is still: the old run passed through the same number on its way up.
        long index = harness.fake.stateIndex();
        String newEpoch = fresh.at("/data/epoch").asText();
        assertThat(Await.until(() -> harness.gateway.states().current(SessionSelection.of("web"))
                .stateIndex() == index)).isTrue();

        WsTestClient resumer = ws();
        JsonNode reply = resumer.call(2, "subscribe",
                "{\"name\":\"web\",\"stateIndex\":" + index + ",\"epoch\":\"" + oldEpoch + "\"}");
        assertThat(reply.at("/data/epoch").asText()).isEqualTo(newEpoch);
        JsonNode state = resumer.await(frame("state", 2));
        assertThat(state.at("/data/stateIndex").asLong()).isEqualTo(index);
        assertThat(state.at("/data/epoch").asText()).isEqualTo(newEpoch);

        // The same index with the current epoch is up to date: the reply, and no state until something changes.
        WsTestClient current = ws();
        JsonNode unchanged = current.call(3, "subscribe",
                "{\"name\":\"web\",\"stateIndex\":" + index + ",\"epoch\":\"" + newEpoch + "\"}");
        assertThat(unchanged.at("/data/stateIndex").asLong()).isEqualTo(index);
        Thread.sleep(300);
        assertThat(current.seen()).noneMatch(frame("state", 3));

        // Server-Sent Events: the Last-Event-ID of the old run gets the state at once.
        EventStream sse = stream("?name=web", Map.of("Last-Event-ID", index + "@" + oldEpoch));
        String record = sse.next(r -> r.contains("event: state\n"));
        assertThat(record).startsWith("id: " + index + "@" + newEpoch + "\n");
        EventStream same = stream("?name=web", Map.of("Last-Event-ID", index + "@" + newEpoch));
        assertThat(same.next(r -> r.startsWith(":"))).isEqualTo(": unchanged since " + index + "@" + newEpoch);
    }

    @Test
    void badEpochsAreRefusedNamingTheField() throws Exception {
        create("web");
        WsTestClient ws = ws();
        JsonNode bad = ws.call(1, "subscribe", "{\"name\":\"web\",\"stateIndex\":5,\"epoch\":7}");
        assertThat(bad.path("code").asInt()).isEqualTo(2003);
        assertThat(bad.path("message").asText()).isEqualTo("data.epoch: expected the epoch of a state (a string"
                + " such as \"k3x9a1qz-1\"), got 7");
        JsonNode alone = ws.call(2, "subscribe", "{\"name\":\"web\",\"epoch\":\"k3x9a1qz-1\"}");
        assertThat(alone.path("message").asText()).isEqualTo("data.epoch: only meaningful together with data.stateIndex");

        RestTestClient http = new RestTestClient(harness.port());
        RestTestClient.Response r = http.get(EventRoutes.EVENTS + "?name=web&stateIndex=5@nope");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).isEqualTo("query.stateIndex: expected the epoch of a state (a"
                + " string such as \"k3x9a1qz-1\"), got \"nope\"");
        r = http.get(EventRoutes.EVENTS + "?name=web&epoch=k3x9a1qz-1");
        assertThat(r.json().get("message").asText()).isEqualTo("query.epoch: only meaningful together with query.stateIndex");
        r = http.get(EventRoutes.EVENTS + "?name=web&stateIndex=5@k3x9a1qz-1&epoch=k3x9a1qz-2");
        assertThat(r.json().get("message").asText())
                .isEqualTo("query.epoch: \"k3x9a1qz-2\" differs from the epoch in query.stateIndex");
    }

    @ParameterizedTest
    @EnumSource(StopOrder.class)
    void eventStreamsSeeTheRestartAsServerSentEventsAndAsNdjson(StopOrder order) throws Exception {
        create("web");
        EventStream sse = stream("?name=web&events=true", Map.of());
        EventStream ndjson = stream("?name=web&events=true", Map.of("Accept", "application/x-ndjson"));
        String firstSse = sse.next(r -> r.contains("event: state\n"));
        String oldEpoch = firstSse.substring(firstSse.indexOf('@') + 1, firstSse.indexOf('\n'));
        ndjson.next(r -> r.startsWith("{\"type\":\"state\""));

        harness.fake.restart(order);

        String down = sse.next(r -> r.contains("event: daemon\n"));
        assertThat(down).contains("\"connected\":false").containsPattern(
                "\"error\":\"(lost the connection to the Mutagen daemon|Mutagen daemon is not running)");
        assertThat(sse.next(r -> r.contains("event: daemon\n") && r.contains("\"connected\":true"))).isNotNull();
        String fresh = sse.next(r -> r.contains("event: state\n"));
        while (fresh.contains("@" + oldEpoch + "\n")) { // the old run's halted state may come first
            assertThat(sse.all).noneMatch(r -> r.contains("\"connected\":true"));
            fresh = sse.next(r -> r.contains("event: state\n"));
        }
        String restarted = sse.next(r -> !r.startsWith(":"));
        assertThat(restarted).startsWith(fresh.substring(0, fresh.indexOf('\n')) + "\nevent: daemon_restarted\n");

        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = ndjson.next(r -> !r.contains("keep-alive"));
            lines.add(line);
        } while (!line.contains("\"type\":\"daemon_restarted\""));
        int downAt = indexOfText(lines, l -> l.startsWith("{\"type\":\"daemon\",\"connected\":false"));
        int upAt = indexOfText(lines, l -> l.startsWith("{\"type\":\"daemon\",\"connected\":true"));
        int stateAt = indexOfText(lines, l -> l.startsWith("{\"type\":\"state\"") && !l.contains(oldEpoch));
        assertThat(downAt).as("lines %s", lines).isNotNegative();
        assertThat(upAt).isGreaterThan(downAt);
        assertThat(stateAt).isEqualTo(lines.size() - 2).isGreaterThan(upAt);
        assertThat(lines).noneMatch(l -> l.contains("\"type\":\"resumed\""));
    }

    @Test
    void whenTheDaemonStaysDownTheReasonChangeIsPushedToo() throws Exception {
        create("web");
        WsTestClient ws = ws();
        ws.call(1, "subscribe", "{\"name\":\"web\"}");
        ws.await(frame("state", 1));
        harness.fake.stop(StopOrder.CLOSE_FIRST);
        String missing = "Mutagen daemon is not running: no socket at " + harness.fake.socketPath()
                + " (start it with 'mutagen daemon start')";
        List<JsonNode> frames = framesUntil(ws, seen -> seen.stream()
                .filter(frame("daemon", 1)).anyMatch(f -> f.path("message").asText().equals(missing)));
        List<String> reasons = frames.stream().filter(frame("daemon", 1)).map(f -> f.path("message").asText()).toList();
        // The loss first (the blocked List failed, or the loop found the connection gone between two calls).
        assertThat(reasons.get(0)).as("reasons %s", reasons)
                .startsWith("lost the connection to the Mutagen daemon at " + harness.fake.socketPath() + ": ");
        assertThat(reasons.get(reasons.size() - 1)).isEqualTo(missing);
        for (int i = 1; i < reasons.size(); i++) {
            assertThat(reasons.get(i)).as("pushed only when it changes: %s", reasons).isNotEqualTo(reasons.get(i - 1));
        }
        // The server's own watcher of the daemon follows the same facts on its own schedule (a probe a second).
        RestTestClient http = new RestTestClient(harness.port());
        assertThat(Await.until(() -> missing.equals(http.get("/api/daemon").json().path("error").asText())))
                .as("/api/daemon: %s", http.get("/api/daemon").json()).isTrue();
        RestTestClient.Response ready = http.get("/readyz");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("daemon").asText()).isEqualTo(missing);
    }

    private static int indexOf(List<JsonNode> frames, Predicate<JsonNode> p) {
        for (int i = 0; i < frames.size(); i++) {
            if (p.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfText(List<String> lines, Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A streaming GET of the events route, closed after the test. */
    private EventStream stream(String query, Map<String, String> headers) {
        EventStream stream = new EventStream(harness, query, headers);
        streams.add(stream);
        return stream;
    }
}

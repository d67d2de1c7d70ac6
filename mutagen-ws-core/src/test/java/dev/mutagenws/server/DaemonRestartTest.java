package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.server.EventRoutes;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import dev.mutagenws.testkit.FakeDaemon.StopOrder;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A daemon restart (or outage) as seen outside live state: the WebSocket connection's own {@code daemon} pushes (id
 * 0), the gateway's availability routes, and the refusal of bad epochs on every transport. What subscriptions, event
 * streams and long-polls see of it is {@link LiveStateContract}'s.
 */
class DaemonRestartTest {
    private GatewayHarness harness;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.defaults());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static Predicate<JsonNode> frame(String action, long id) {
        return f -> f.path("action").asText().equals(action) && f.path("id").asLong() == id;
    }

    @ParameterizedTest
    @EnumSource(StopOrder.class)
    void aQuickRestartIsPushedToEveryConnectionAsFalseThenTrue(StopOrder order) throws Exception {
        harness.createLocal("web");
        try (WsTestClient ws = harness.ws()) {
            // A request answered: the connection is open and has its availability.
            assertThat(ws.call(1, "version", null).path("code").asInt()).isZero();
            int mark = ws.seen().size();

            harness.fake.restart(order);

            assertThat(Await.until(() -> ws.seen().stream().skip(mark)
                    .anyMatch(f -> frame("daemon", 0).test(f) && f.at("/data/connected").asBoolean())))
                    .as("frames: %s", ws.seen()).isTrue();
            List<JsonNode> pushes = ws.seen().stream().skip(mark).filter(frame("daemon", 0)).toList();
            // False (the connection closed) then true, however fast the daemon came back.
            assertThat(pushes.get(0).at("/data/connected").asBoolean()).as("connection pushes %s", pushes).isFalse();
            assertThat(pushes.get(0).path("message").asText())
                    .startsWith("lost the connection to the Mutagen daemon at " + harness.fake.socketPath() + ": ");
            assertThat(pushes.get(pushes.size() - 1).at("/data/connected").asBoolean()).isTrue();
            assertThat(pushes.get(pushes.size() - 1).at("/data/version/minor").asInt()).isEqualTo(18);
            assertThat(pushes).filteredOn(f -> f.at("/data/connected").asBoolean()).hasSize(1);
        }
    }

    @Test
    void badEpochsAreRefusedNamingTheField() throws Exception {
        harness.createLocal("web");
        try (WsTestClient ws = harness.ws()) {
            JsonNode bad = ws.call(1, "subscribe", "{\"name\":\"web\",\"stateIndex\":5,\"epoch\":7}");
            assertThat(bad.path("code").asInt()).isEqualTo(2003);
            assertThat(bad.path("message").asText()).isEqualTo("data.epoch: expected the epoch of a state (a string"
                    + " such as \"k3x9a1qz-1\"), got 7");
            JsonNode alone = ws.call(2, "subscribe", "{\"name\":\"web\",\"epoch\":\"k3x9a1qz-1\"}");
            assertThat(alone.path("message").asText())
                    .isEqualTo("data.epoch: only meaningful together with data.stateIndex");
        }

        RestTestClient http = new RestTestClient(harness.port());
        RestTestClient.Response r = http.get(EventStream.EVENTS + "?name=web&stateIndex=5@nope");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).isEqualTo("query.stateIndex: expected the epoch of a state (a"
                + " string such as \"k3x9a1qz-1\"), got \"nope\"");
        r = http.get(EventStream.EVENTS + "?name=web&epoch=k3x9a1qz-1");
        assertThat(r.json().get("message").asText())
                .isEqualTo("query.epoch: only meaningful together with query.stateIndex");
        r = http.get(EventStream.EVENTS + "?name=web&stateIndex=5@k3x9a1qz-1&epoch=k3x9a1qz-2");
        assertThat(r.json().get("message").asText())
                .isEqualTo("query.epoch: \"k3x9a1qz-2\" differs from the epoch in query.stateIndex");
    }

    @Test
    void whileTheDaemonStaysDownTheAvailabilityRoutesGiveTheLatestReason() throws Exception {
        harness.createLocal("web");
        harness.fake.stop(StopOrder.CLOSE_FIRST);
        String missing = "Mutagen daemon is not running: no socket at " + harness.fake.socketPath()
                + " (start it with 'mutagen daemon start')";
        // The server's own watcher of the daemon follows the facts on its own schedule (a probe a second).
        RestTestClient http = new RestTestClient(harness.port());
        assertThat(Await.until(() -> missing.equals(http.get("/api/daemon").json().path("error").asText())))
                .as("/api/daemon: %s", http.get("/api/daemon").json()).isTrue();
        RestTestClient.Response ready = http.get("/readyz");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("daemon").asText()).isEqualTo(missing);
    }
}

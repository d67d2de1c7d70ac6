package dev.mutagenws.server;

import static dev.mutagenws.server.GatewayWebSocketTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failure replies over the WebSocket with their exact envelopes, the strictness of request decoding, and the
 * {@code daemon} push to every connection.
 */
class WebSocketFailuresTest {
    private GatewayHarness harness;
    private WsTestClient ws;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(),
                GatewayOptions.builder().promptTimeout(Duration.ofSeconds(5)).build());
        ws = harness.ws();
    }

    @AfterEach
    void stop() {
        ws.close();
        harness.close();
    }

    /**
     * A call racing the daemon's shutdown may still go out on the closing connection (and be told it was lost):
     * every reply is 2006, and once the client has seen the connection end, the reason is the missing socket.
     */
    private void awaitSocketGone() {
        long[] id = {1000};
        assertThat(Await.until(() -> {
            JsonNode reply;
            try {
                reply = ws.call(++id[0], "version", null);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(reply.get("code").asInt()).as("reply %s", reply).isEqualTo(2006);
            return reply.get("message").asText().equals(notRunning());
        })).as("the stopped daemon's socket is seen to be gone").isTrue();
    }

    private String notRunning() {
        return "Mutagen daemon is not running: no socket at " + harness.fake.socketPath()
                + " (start it with 'mutagen daemon start')";
    }

    /** A failure frame, exactly: all five keys in order, action "error", the id, the code, the text, data null. */
    static void assertFailure(JsonNode reply, long id, int code, String message) {
        assertEnvelope(reply, "error", id, code);
        assertThat(reply.get("message").asText()).as("message of %s", reply).isEqualTo(message);
        assertThat(reply.get("data").isNull()).as("data of %s", reply).isTrue();
    }

    @Test
    void flushResetAndVersionFailuresCarryTheirCodeAndText() throws Exception {
        assertEnvelope(ws.call(1, "creation", GatewayWebSocketTest.local("web")), "creation", 1, 0);
        harness.fake.awaitIdle(WsTestClient.WAIT);
        String missing = "unable to locate requested sessions: specification \"xxx\" did not match any sessions";

        // The daemon's own errors: 2001 with its text.
        assertFailure(ws.call(2, "flush", "{\"name\":\"xxx\"}"), 2, 2001, missing);
        assertFailure(ws.call(3, "reset", "{\"name\":\"xxx\"}"), 3, 2001, missing);
        assertEnvelope(ws.call(4, "pause", "{\"name\":\"web\"}"), "pause", 4, 0);
        assertFailure(ws.call(5, "flush", "{\"name\":\"web\"}"), 5, 2001,
                "unable to flush session: session is paused");

        // Bad selections: 2003 naming the field, before any daemon call.
        harness.fake.clearRequests();
        assertFailure(ws.call(6, "flush", "{\"name\":5}"), 6, 2003, "data.name: expected a string, got 5");
        assertFailure(ws.call(7, "flush", "{\"skipWait\":\"yes\"}"), 7, 2003,
                "data.skipWait: expected true or false, got \"yes\"");
        assertFailure(ws.call(8, "reset", "{\"label\":[\"a=b\"]}"), 8, 2003,
                "data.label: expected a string, got an array");
        assertFailure(ws.call(9, "reset", "{\"ids\":[\"\"]}"), 9, 2003, "data.ids[0]: empty identifier or name");
        assertFailure(ws.call(10, "flush", "{\"all\":true,\"name\":\"web\"}"), 10, 2003,
                "data.all: cannot be combined with id, name, ids, names or label (got name)");
        assertFailure(ws.call(11, "version", "{\"junk\":1}"), 11, 2003,
                "data.junk: unknown field (this action takes no data)");
        assertFailure(ws.call(12, "version", "[1]"), 12, 2003, "data: expected an object, got an array");
        assertThat(harness.fake.requests()).noneMatch(r -> List.of("Flush", "Reset", "Version")
                .contains(r.shortMethod()));

        // The daemon gone: 2006 with the reason, for every one of them.
        harness.fake.stop();
        awaitSocketGone();
        assertFailure(ws.call(13, "flush", "{\"name\":\"web\"}"), 13, 2006, notRunning());
        assertFailure(ws.call(14, "reset", "{\"name\":\"web\"}"), 14, 2006, notRunning());
        assertFailure(ws.call(15, "version", null), 15, 2006, notRunning());
    }

    @Test
    void versionTakesNoDataButAcceptsNullAndAnEmptyObject() throws Exception {
        String expected = "{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}";
        assertThat(ws.call(1, "version", null).get("data").toString()).isEqualTo(expected);
        assertThat(ws.call(2, "version", "null").get("data").toString()).isEqualTo(expected);
        assertThat(ws.call(3, "version", "{}").get("data").toString()).isEqualTo(expected);
        assertFailure(ws.call(4, "version", "\"please\""), 4, 2003, "data: expected an object, got \"please\"");
    }

    @Test
    void allBesideAnyOtherSelectionFieldIs2003EvenWhenFalse() throws Exception {
        assertFailure(ws.call(1, "list", "{\"all\":false,\"name\":\"x\"}"), 1, 2003,
                "data.all: cannot be combined with id, name, ids, names or label (got name)");
        assertFailure(ws.call(2, "terminate", "{\"all\":true,\"label\":\"\",\"ids\":[]}"), 2, 2003,
                "data.all: cannot be combined with id, name, ids, names or label (got ids, label)");
        assertFailure(ws.call(3, "pause", "{\"all\":null,\"id\":\"sync_x\"}"), 3, 2003,
                "data.all: cannot be combined with id, name, ids, names or label (got id)");
        // Alone, or beside a non-selection field, it is fine.
        assertEnvelope(ws.call(4, "list", "{\"all\":true}"), "list", 4, 0);
        assertEnvelope(ws.call(5, "list", "{\"all\":false,\"stateIndex\":0}"), "list", 5, 0);
        assertEnvelope(ws.call(6, "flush", "{\"all\":true,\"skipWait\":true}"), "flush", 6, 0);
    }

    @Test
    void duplicateKeysAreNamedWithTheirPath() throws Exception {
        Object[][] cases = {
            {"{\"action\":\"list\",\"action\":\"pause\",\"id\":1}", 0L, "duplicate field \"action\""},
            {"{\"action\":\"list\",\"id\":2,\"data\":{\"name\":\"a\",\"name\":\"b\"}}", 0L,
                "data: duplicate field \"name\""},
            {"{\"action\":\"creation\",\"id\":3,\"data\":{\"alpha\":{\"path\":\"/a\",\"path\":\"/b\"}}}", 0L,
                "data.alpha: duplicate field \"path\""},
            {"{\"action\":\"list\",\"id\":4,\"data\":{\"ids\":[{\"x\":1,\"x\":2}]}}", 0L,
                "data.ids[0]: duplicate field \"x\""},
            // Same key in different cases: one key to a case-insensitive reader, so refused too (with the id).
            {"{\"action\":\"list\",\"Action\":\"terminate\",\"id\":5}", 0L,
                "\"action\" and \"Action\": the same field twice (keys are matched ignoring case)"},
            {"{\"id\":6,\"action\":\"list\",\"ID\":7}", 6L,
                "\"id\" and \"ID\": the same field twice (keys are matched ignoring case)"},
            {"{\"id\":8,\"action\":\"list\",\"data\":{},\"DATA\":{}}", 8L,
                "\"data\" and \"DATA\": the same field twice (keys are matched ignoring case)"},
        };
        for (Object[] c : cases) {
            ws.send((String) c[0]);
            JsonNode reply = ws.await(f -> f.get("action").asText().equals("error"));
            assertFailure(reply, (Long) c[1], 2003, (String) c[2]);
            assertEnvelope(ws.call(1000, "version", null), "version", 1000, 0);
        }
        assertThat(harness.fake.requests("List")).isEmpty();
    }

    @Test
    void envelopeKeysAreMatchedIgnoringCaseAsTheReferenceServersDecoderDid() throws Exception {
        ws.send("{\"Action\":\"list\",\"ID\":3,\"Data\":{\"name\":\"web\"}}");
        JsonNode unknown = ws.reply(3);
        assertFailure(unknown, 3, 2001,
                "unable to locate requested sessions: specification \"web\" did not match any sessions");
        ws.send("{\"ACTION\":\"version\",\"Id\":4}");
        assertEnvelope(ws.reply(4), "version", 4, 0);
        assertThat(harness.fake.listCalls("web")).isEqualTo(1);
    }

    @Test
    void theDaemonPushReachesEveryOpenConnection() throws Exception {
        try (WsTestClient second = harness.ws(); WsTestClient third = harness.ws()) {
            List<WsTestClient> clients = List.of(ws, second, third);
            long id = 0;
            for (WsTestClient client : clients) {
                // A reply proves the connection is open (and its availability watch subscribed).
                assertEnvelope(client.call(++id, "version", null), "version", id, 0);
            }
            harness.fake.stop();
            for (WsTestClient client : clients) {
                JsonNode down = client.await(f -> f.get("action").asText().equals("daemon"));
                assertEnvelope(down, "daemon", 0, 0);
                assertThat(down.get("data").toString()).isEqualTo("{\"connected\":false,\"version\":null}");
                assertThat(down.get("message").asText()).isNotBlank();
            }
            harness.fake.restart();
            for (WsTestClient client : clients) {
                JsonNode up = client.await(f -> f.get("action").asText().equals("daemon"));
                assertEnvelope(up, "daemon", 0, 0);
                assertThat(up.get("message").asText()).isEmpty();
                assertThat(up.get("data").toString()).isEqualTo(
                        "{\"connected\":true,\"version\":{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}}");
            }
            for (WsTestClient client : clients) {
                // Exactly one down and one up each: no repeats, no push at connect time.
                assertThat(client.seen()).filteredOn(f -> f.get("action").asText().equals("daemon")).hasSize(2);
                assertEnvelope(client.call(++id, "list", null), "list", id, 0);
            }
        }
    }

    @Test
    void aDaemonThatIsDownBeforeItsStateIsKnownIsStillPushed() throws Exception {
        // A gateway whose daemon was never probed: the first connection starts the probe, whose first answer
        // ("down") arrives after the connection subscribed. Skipping "the first value" would swallow it.
        FakeDaemon absent = FakeDaemon.builder().build();
        try (GatewayHarness cold = new GatewayHarness(absent, GatewayOptions.defaults());
                WsTestClient client = cold.ws()) {
            JsonNode down = client.await(f -> f.get("action").asText().equals("daemon"));
            assertEnvelope(down, "daemon", 0, 0);
            assertThat(down.get("data").get("connected").asBoolean()).isFalse();
            assertThat(down.get("message").asText()).isEqualTo("Mutagen daemon is not running: no socket at "
                    + absent.socketPath() + " (start it with 'mutagen daemon start')");

            absent.start();
            JsonNode up = client.await(f -> f.get("action").asText().equals("daemon"));
            assertThat(up.get("data").get("connected").asBoolean()).isTrue();
            assertThat(Await.until(() -> client.seen().stream()
                    .filter(f -> f.get("action").asText().equals("daemon")).count() == 2)).isTrue();
        }
    }
}

package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket protocol end to end: real server, real client, FakeDaemon on a real socket. */
class GatewayWebSocketTest {
    private GatewayHarness harness;
    private WsTestClient ws;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.builder().promptTimeout(Duration.ofSeconds(3))
                .maxInFlight(8).build());
        ws = harness.ws();
    }

    @AfterEach
    void stop() {
        ws.close();
        harness.close();
    }

    static final String KNOWN = "creation, list, pause, resume, reset, flush, terminate, answer, subscribe,"
            + " unsubscribe, cancel, version";

    static String local(String name) {
        return "{\"name\":\"" + name + "\",\"labels\":{\"team\":\"web\"},\"alpha\":{\"path\":\"/tmp/a-" + name
                + "\"},\"beta\":{\"path\":\"/tmp/b-" + name + "\"}}";
    }

    static String ssh(String name, String host) {
        return "{\"name\":\"" + name + "\",\"alpha\":{\"path\":\"/tmp/a\"},\"beta\":{\"protocol\":\"ssh\","
                + "\"user\":\"alice\",\"host\":\"" + host + "\",\"path\":\"~/b\"}}";
    }

    static void assertEnvelope(JsonNode frame, String action, long id, int code) {
        assertThat(frame.fieldNames()).toIterable().containsExactly("action", "id", "code", "message", "data");
        assertThat(frame.get("action").asText()).isEqualTo(action);
        assertThat(frame.get("id").asLong()).isEqualTo(id);
        assertThat(frame.get("code").asInt()).isEqualTo(code);
    }

    String create(long id, String name) throws InterruptedException {
        JsonNode reply = ws.call(id, "creation", local(name));
        assertEnvelope(reply, "creation", id, 0);
        return reply.get("data").get("session").asText();
    }

    @Test
    void versionAnswersTheDaemonsVersion() throws Exception {
        JsonNode reply = ws.call(1, "version", null);
        assertEnvelope(reply, "version", 1, 0);
        assertThat(reply.get("message").asText()).isEmpty();
        assertThat(reply.get("data").toString()).isEqualTo("{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}");
    }

    @Test
    void creationPushesTheDaemonsMessageWithTheRequestIdThenAnswers() throws Exception {
        ws.send("{\"action\":\"creation\",\"id\":5,\"data\":" + local("web") + "}");
        JsonNode message = ws.await(f -> f.get("action").asText().equals("message"));
        assertEnvelope(message, "message", 5, 0);
        assertThat(message.get("message").asText()).isEqualTo("Creating session...");
        assertThat(message.get("data").isNull()).isTrue();
        JsonNode reply = ws.reply(5);
        assertEnvelope(reply, "creation", 5, 0);
        assertThat(reply.get("data").get("session").asText()).matches("sync_[0-9a-zA-Z]{43}");
    }

    @Test
    void listAnswersTheSessionsInTheReferenceShape() throws Exception {
        String id = create(1, "web");
        JsonNode reply = ws.call(2, "list", "{\"name\":\"web\"}");
        assertEnvelope(reply, "list", 2, 0);
        JsonNode data = reply.get("data");
        assertThat(data.get("stateIndex").asLong()).isGreaterThan(1);
        JsonNode state = data.get("sessionStates").get(0);
        assertThat(state.get("session").get("identifier").asText()).isEqualTo(id);
        assertThat(state.get("session").get("labels").toString()).isEqualTo("{\"team\":\"web\"}");
        assertThat(state.get("session").get("version").asInt()).isEqualTo(1);
        assertThat(state.has("status")).isTrue();
        assertThat(state.get("alphaState").isObject()).isTrue();

        JsonNode empty = ws.call(3, "list", "{\"label\":\"team=nobody\"}");
        assertThat(empty.get("data").get("sessionStates").toString()).isEqualTo("[]");
        assertThat(empty.get("data").get("stateIndex").asLong()).isGreaterThan(0);
    }

    @Test
    void operationsAnswerAnEmptyObjectAndPushTheirMessages() throws Exception {
        String id = create(1, "ops");
        harness.fake.awaitIdle(WsTestClient.WAIT);
        String[][] steps = {
            {"pause", "Pausing session " + id + "..."},
            {"resume", "Resuming session " + id + "..."},
            {"flush", "Forcing synchronization cycle for session " + id + "..."},
            {"terminate", "Terminating session " + id + "..."},
        };
        long requestId = 10;
        for (String[] step : steps) {
            harness.fake.awaitIdle(WsTestClient.WAIT);
            long current = ++requestId;
            JsonNode reply = ws.call(current, step[0], "{\"id\":\"" + id + "\"}");
            assertThat(reply.get("message").asText()).as(step[0]).isEmpty();
            assertEnvelope(reply, step[0], current, 0);
            assertThat(reply.get("data").toString()).isEqualTo("{}");
            JsonNode message = ws.await(f -> f.get("action").asText().equals("message") && f.get("id").asLong() == current);
            assertThat(message.get("message").asText()).isEqualTo(step[1]);
        }
    }

    @Test
    void daemonErrorsKeepTheDaemonsTextWithoutTheGoPrefix() throws Exception {
        JsonNode reply = ws.call(7, "pause", "{\"name\":\"xxx\"}");
        assertEnvelope(reply, "error", 7, 2001);
        assertThat(reply.get("message").asText()).isEqualTo(
                "unable to locate requested sessions: specification \"xxx\" did not match any sessions");
        assertThat(reply.get("data").isNull()).isTrue();

        JsonNode relative = ws.call(8, "creation", "{\"alpha\":{\"path\":\"relative\"},\"beta\":{\"path\":\"/b\"}}");
        assertEnvelope(relative, "error", 8, 2003);
        assertThat(relative.get("message").asText()).isEqualTo("invalid create request: invalid creation"
                + " specification: invalid alpha URL: local URL with relative path");
    }

    @Test
    void sshPasswordPromptIsAnsweredThroughTheSocket() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
        JsonNode prompt = ws.await(f -> f.get("action").asText().equals("prompt"));
        assertEnvelope(prompt, "prompt", 1, 0);
        assertThat(prompt.get("message").asText()).isEqualTo("alice@example.com's password: ");
        assertThat(prompt.get("data").get("promptId").asText()).isNotEmpty();

        JsonNode ack = ws.call(2, "answer", "\"secret\"");
        assertEnvelope(ack, "answer", 2, 0);
        assertThat(ack.get("data").isNull()).isTrue();
        JsonNode reply = ws.reply(1);
        assertEnvelope(reply, "creation", 1, 0);
        assertThat(ws.seen().toString()).doesNotContain("secret\"");
    }

    @Test
    void aWrongPasswordFailsWithTheDaemonsTextAndNeverEchoesIt() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
        for (int i = 0; i < 3; i++) {
            JsonNode prompt = ws.await(f -> f.get("action").asText().equals("prompt"));
            ws.call(100 + i, "answer", "{\"promptId\":\"" + prompt.get("data").get("promptId").asText()
                    + "\",\"response\":\"hunter2\"}");
        }
        JsonNode reply = ws.reply(1);
        assertEnvelope(reply, "error", 1, 2001);
        assertThat(reply.get("message").asText()).contains("Permission denied (publickey,password)");
        assertThat(ws.seen().toString()).doesNotContain("hunter2");
    }

    @Test
    void concurrentPromptsCarryDistinctIdsAndReachTheirOwnRequests() throws Exception {
        harness.fake.ssh().host("one.example").password("pw-one");
        harness.fake.ssh().host("two.example").password("pw-two");
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("one", "one.example") + "}");
        ws.send("{\"action\":\"creation\",\"id\":2,\"data\":" + ssh("two", "two.example") + "}");
        JsonNode first = ws.await(f -> f.get("action").asText().equals("prompt"));
        JsonNode second = ws.await(f -> f.get("action").asText().equals("prompt"));
        assertThat(first.get("data").get("promptId").asText()).isNotEqualTo(second.get("data").get("promptId").asText());
        // Answer in the opposite order, by promptId.
        for (JsonNode prompt : new JsonNode[] {second, first}) {
            String password = prompt.get("message").asText().contains("one.example") ? "pw-one" : "pw-two";
            assertThat(prompt.get("id").asLong()).isEqualTo(password.equals("pw-one") ? 1 : 2);
            ws.call(50 + prompt.get("id").asLong(), "answer", "{\"promptId\":\""
                    + prompt.get("data").get("promptId").asText() + "\",\"response\":\"" + password + "\"}");
        }
        assertEnvelope(ws.reply(1), "creation", 1, 0);
        assertEnvelope(ws.reply(2), "creation", 2, 0);
    }

    @Test
    void aSecondConnectionNeverSeesTheFirstsPrompts() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        try (WsTestClient other = harness.ws()) {
            assertEnvelope(other.call(1, "version", null), "version", 1, 0);
            ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
            ws.await(f -> f.get("action").asText().equals("prompt"));
            JsonNode refused = other.call(2, "answer", "\"secret\"");
            assertEnvelope(refused, "error", 2, 2003);
            assertThat(refused.get("message").asText()).isEqualTo("no prompt is waiting for an answer on this connection");
            ws.call(3, "answer", "\"secret\"");
            assertEnvelope(ws.reply(1), "creation", 1, 0);
            assertThat(other.seen()).noneMatch(f -> f.get("action").asText().equals("prompt")
                    || f.get("action").asText().equals("message"));
        }
    }

    @Test
    void closingTheSocketMidPromptCancelsTheDaemonCall() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
        ws.await(f -> f.get("action").asText().equals("prompt"));
        assertThat(harness.fake.prompters()).hasSize(1);
        ws.close();
        assertThat(harness.fake.awaitCancelled("Create", WsTestClient.WAIT)).isTrue();
        assertThat(Await.until(() -> harness.fake.prompters().isEmpty()))
                .isTrue();
        assertThat(harness.fake.sessions()).isEmpty();
        ws = harness.ws(); // for @AfterEach
    }

    @Test
    void anUnansweredPromptTimesOutWith2007() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
        ws.await(f -> f.get("action").asText().equals("prompt"));
        JsonNode reply = ws.reply(1);
        assertEnvelope(reply, "error", 1, 2007);
        assertThat(reply.get("message").asText()).isEqualTo(
                "no answer within 3 s to the prompt: alice@example.com's password:");
        assertThat(harness.fake.awaitCancelled("Create", WsTestClient.WAIT)).isTrue();
    }

    @Test
    void cancelStopsAnInFlightRequestWhichAnswers2009() throws Exception {
        long index = ws.call(1, "list", null).get("data").get("stateIndex").asLong();
        ws.send("{\"action\":\"list\",\"id\":2,\"data\":{\"stateIndex\":" + index + "}}");
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1))
                .isTrue();
        JsonNode ack = ws.call(3, "cancel", "{\"id\":2}");
        assertEnvelope(ack, "cancel", 3, 0);
        JsonNode cancelled = ws.reply(2);
        assertEnvelope(cancelled, "error", 2, 2009);
        assertThat(cancelled.get("message").asText()).isEqualTo("cancelled by request 3");
        assertThat(harness.fake.awaitCancelled("List", WsTestClient.WAIT)).isTrue();

        JsonNode nothing = ws.call(4, "cancel", "{\"id\":99}");
        assertEnvelope(nothing, "error", 4, 2003);
        assertThat(nothing.get("message").asText()).isEqualTo("no request with id 99 is in flight");
    }

    @Test
    void requestsBeyondTheInFlightLimitAreRefusedWith2008() throws Exception {
        long index = ws.call(1, "list", null).get("data").get("stateIndex").asLong();
        for (int i = 0; i < 8; i++) {
            ws.send("{\"action\":\"list\",\"id\":" + (100 + i) + ",\"data\":{\"stateIndex\":" + index + "}}");
        }
        JsonNode refused = ws.call(200, "list", "{\"stateIndex\":" + index + "}");
        assertEnvelope(refused, "error", 200, 2008);
        assertThat(refused.get("message").asText()).contains("too many requests in flight");
    }

    @Test
    void everyConnectionLearnsWhenTheDaemonGoesAndComesBack() throws Exception {
        assertEnvelope(ws.call(1, "version", null), "version", 1, 0);
        harness.fake.stop();
        // "the daemon closed the connection", or the text of a call that was cut off by the stop.
        String lost = "lost the connection to the Mutagen daemon at " + harness.fake.socketPath() + ": ";
        String missing = "Mutagen daemon is not running: no socket at " + harness.fake.socketPath()
                + " (start it with 'mutagen daemon start')";
        String refused = "Mutagen daemon is not running: connection refused on " + harness.fake.socketPath()
                + " (start it with 'mutagen daemon start')";
        // First the loss itself, then each new reason as the daemon's probe finds it (refused while the socket
        // file outlives the listener, then missing).
        JsonNode down = ws.await(f -> f.get("action").asText().equals("daemon"));
        assertEnvelope(down, "daemon", 0, 0);
        assertThat(down.get("message").asText()).startsWith(lost);
        assertThat(down.get("data").toString()).isEqualTo("{\"connected\":false,\"version\":null}");
        JsonNode reason = down;
        while (!reason.get("message").asText().equals(missing)) {
            JsonNode previous = reason;
            reason = ws.await(f -> f.get("action").asText().equals("daemon"));
            assertThat(reason.get("data").get("connected").asBoolean()).isFalse();
            assertThat(reason.get("message").asText()).isNotEqualTo(previous.get("message").asText())
                    .satisfiesAnyOf(m -> assertThat(m).isIn(refused, missing), m -> assertThat(m).startsWith(lost));
        }

        JsonNode unavailable = ws.call(2, "list", null);
        assertEnvelope(unavailable, "error", 2, 2006);
        assertThat(unavailable.get("message").asText()).isEqualTo(missing);
        assertThat(unavailable.get("data").isNull()).isTrue();

        harness.fake.restart();
        JsonNode up = ws.await(f -> f.get("action").asText().equals("daemon"));
        assertThat(up.get("data").get("connected").asBoolean()).isTrue();
        assertThat(up.get("data").get("version").get("minor").asInt()).isEqualTo(18);
        assertEnvelope(ws.call(3, "list", null), "list", 3, 0);
    }

    @Test
    void badInputIsAnsweredAndTheConnectionStaysUsable() throws Exception {
        Object[][] cases = {
            // frame, expected id, code, message
            {"not json", 0L, 2003, "not JSON: syntax error at line 1, column 1"},
            {"{\"action\":\"answer\",\"id\":16,\"data\":hunter2}", 0L, 2003, "not JSON: syntax error at line 1, column 35"},
            {"[1,2]", 0L, 2003, "a request must be a JSON object with an \"action\", got an array"},
            {"{\"action\":\"list\",\"id\":\"x\"}", 0L, 2003, "id: expected an integer, got \"x\""},
            {"{\"action\":\"list\",\"id\":1.5}", 0L, 2003, "id: expected an integer, got 1.5"},
            {"{\"action\":5,\"id\":3}", 3L, 2003, "action: expected a string, got 5"},
            {"{\"id\":4}", 4L, 2003, "action: missing"},
            {"{\"action\":\"nope\",\"id\":5}", 5L, 2005, "unknown action \"nope\"; known actions: " + KNOWN},
            {"{\"action\":\"list\",\"id\":6,\"data\":{\"id\":5}}", 6L, 2003, "data.id: expected a string, got 5"},
            {"{\"action\":\"list\",\"id\":7,\"data\":{\"nmae\":\"x\"}}", 7L, 2003, "data.nmae: unknown field"},
            {"{\"action\":\"list\",\"id\":8,\"data\":\"x\"}", 8L, 2003, "data: expected an object, got \"x\""},
            {"{\"action\":\"creation\",\"id\":9,\"data\":{\"alpha\":{\"prot\":\"ssh\"}}}", 9L, 2003,
                "data.alpha.prot: unknown field"},
            {"{\"action\":\"creation\",\"id\":10,\"data\":{\"alpha\":{\"port\":\"x\"}}}", 10L, 2003, "data.alpha.port: expected a number, got \"x\""},
            {"{\"action\":\"creation\",\"id\":11}", 11L, 2003,
                "invalid create request: invalid creation specification: invalid alpha URL: nil URL"},
            {"{\"action\":\"answer\",\"id\":12,\"data\":\"pw\"}", 12L, 2003,
                "no prompt is waiting for an answer on this connection"},
            {"{\"action\":\"answer\",\"id\":13,\"data\":5}", 13L, 2003, "data: expected the answer as a string, or {\"promptId\", \"response\"}"},
            {"{\"action\":\"list\",\"id\":14,\"data\":{\"all\":true,\"name\":\"x\"}}", 14L, 2003,
                "data.all: cannot be combined with id, name, ids, names or label (got name)"},
            {"{\"action\":\"list\",\"id\":15,\"extra\":1}", 15L, 2003, "extra: unknown field (a request has \"action\", \"id\" and \"data\")"},
        };
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (Object[] c : cases) {
            ws.send((String) c[0]);
            long id = (Long) c[1];
            JsonNode reply = ws.await(f -> f.get("action").asText().equals("error") && f.get("id").asLong() == id);
            assertEnvelope(reply, "error", id, (Integer) c[2]);
            assertThat(reply.get("data").isNull()).isTrue();
            // Collected, so that one run shows every wrong message.
            expected.add(c[0] + " -> " + c[3]);
            actual.add(c[0] + " -> " + reply.get("message").asText());
            assertEnvelope(ws.call(1000, "version", null), "version", 1000, 0);
        }
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(ws.seen().toString()).doesNotContain("hunter2");
    }

    @Test
    void oversizedAndBinaryMessagesAreRefusedWithoutClosingTheConnection() throws Exception {
        ws.send("{\"action\":\"list\",\"id\":1,\"data\":{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}");
        JsonNode tooLarge = ws.await(f -> f.get("action").asText().equals("error"));
        assertEnvelope(tooLarge, "error", 0, 2008);
        assertThat(tooLarge.get("message").asText()).startsWith("message too large: ");
        assertEnvelope(ws.call(2, "version", null), "version", 2, 0);

        ws.sendBinary(new byte[] {1, 2, 3});
        JsonNode binary = ws.await(f -> f.get("action").asText().equals("error"));
        assertEnvelope(binary, "error", 0, 2003);
        assertThat(binary.get("message").asText()).startsWith("binary messages are not supported");
        assertEnvelope(ws.call(3, "version", null), "version", 3, 0);
    }

    @Test
    void aBurstOfTenThousandFramesGetsTenThousandAnswers() throws Exception {
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            ws.send(i % 2 == 0 ? "{\"action\":\"nope\",\"id\":" + i + "}" : "{\"action\":\"version\",\"id\":" + i + "}");
        }
        String version = "{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}";
        String tooMany = "too many requests in flight on this connection (limit 8); wait for replies before sending more";
        Set<Long> answered = new HashSet<>();
        int succeeded = 0;
        while (answered.size() < n) {
            JsonNode reply = ws.await(f -> !WsTestClient.isPush(f));
            long id = reply.get("id").asLong();
            assertThat(answered.add(id)).as("one answer for %s", id).isTrue();
            if (id % 2 == 0) {
                assertEnvelope(reply, "error", id, 2005);
                assertThat(reply.get("message").asText()).isEqualTo("unknown action \"nope\"; known actions: " + KNOWN);
            } else if (reply.get("code").asInt() == 0) {
                assertEnvelope(reply, "version", id, 0);
                assertThat(reply.get("message").asText()).isEmpty();
                assertThat(reply.get("data").toString()).isEqualTo(version);
                succeeded++;
            } else {
                assertEnvelope(reply, "error", id, 2008);
                assertThat(reply.get("message").asText()).isEqualTo(tooMany);
                assertThat(reply.get("data").isNull()).isTrue();
            }
        }
        System.out.println("burst: " + succeeded + " of " + n / 2 + " version requests succeeded");
        // The limit sheds load; it must not shed everything (a gateway answering only 2008 would pass otherwise).
        assertThat(succeeded).as("version replies that succeeded").isGreaterThanOrEqualTo(n / 2 / 20);
        assertEnvelope(ws.call(n + 1, "version", null), "version", n + 1, 0);
        assertEnvelope(ws.call(n + 2, "list", null), "list", n + 2, 0);
    }
}

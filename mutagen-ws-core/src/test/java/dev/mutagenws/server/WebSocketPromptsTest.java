package dev.mutagenws.server;

import static dev.mutagenws.server.GatewayWebSocketTest.assertEnvelope;
import static dev.mutagenws.server.GatewayWebSocketTest.ssh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.internal.server.ConnectionPrompts;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prompts, answers and cancellation on one WebSocket connection (docs/protocol.md sections 2 and 3), end to end
 * against the FakeDaemon's SSH scripts.
 */
class WebSocketPromptsTest {
    private GatewayHarness harness;
    private WsTestClient ws;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(),
                GatewayOptions.builder().promptTimeout(Duration.ofSeconds(8)).build());
        ws = harness.ws();
    }

    @AfterEach
    void stop() {
        ws.close();
        harness.close();
    }

    private JsonNode prompt(long requestId) throws InterruptedException {
        return ws.await(f -> f.get("action").asText().equals("prompt") && f.get("id").asLong() == requestId);
    }

    @Test
    void aStringAnswerGoesToTheOldestOpenPrompt() throws Exception {
        harness.fake.ssh().host("one.example").password("pw-one");
        harness.fake.ssh().host("two.example").password("pw-two");
        harness.fake.ssh().host("three.example").password("pw-three");
        // One at a time, so that the order in which the prompts opened is known.
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("one", "one.example") + "}");
        prompt(1);
        ws.send("{\"action\":\"creation\",\"id\":2,\"data\":" + ssh("two", "two.example") + "}");
        prompt(2);
        ws.send("{\"action\":\"creation\",\"id\":3,\"data\":" + ssh("three", "three.example") + "}");
        prompt(3);

        // Had it gone to the newest, three.example would have refused it and asked again, and 1 would wait.
        assertEnvelope(ws.call(11, "answer", "\"pw-one\""), "answer", 11, 0);
        assertEnvelope(ws.reply(1), "creation", 1, 0);
        assertEnvelope(ws.call(12, "answer", "\"pw-two\""), "answer", 12, 0);
        assertEnvelope(ws.reply(2), "creation", 2, 0);
        assertEnvelope(ws.call(13, "answer", "\"pw-three\""), "answer", 13, 0);
        assertEnvelope(ws.reply(3), "creation", 3, 0);
        assertThat(ws.seen()).filteredOn(f -> f.get("action").asText().equals("prompt")).hasSize(3);
        assertThat(harness.fake.sessions()).hasSize(3);
    }

    @Test
    void answersWithAnUnknownPromptIdOrMalformedDataAre2003AndTheConnectionStaysUsable() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        ws.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
        String promptId = prompt(1).get("data").get("promptId").asText();

        String[][] cases = {
            {"{\"promptId\":\"prompt-999\",\"response\":\"secret\"}",
                "no open prompt with promptId \"prompt-999\" on this connection (answered, timed out or cancelled)"},
            {"{\"promptId\":5,\"response\":\"secret\"}", "data.promptId: expected a string"},
            {"{\"response\":\"secret\"}", "data.promptId: expected a string"},
            {"{\"promptId\":\"" + promptId + "\"}", "data.response: expected a string"},
            {"{\"promptId\":\"" + promptId + "\",\"response\":7}", "data.response: expected a string"},
            {"{\"promptId\":\"" + promptId + "\",\"response\":\"secret\",\"remember\":true}",
                "data.remember: unknown field"},
            {"[\"secret\"]", "data: expected the answer as a string, or {\"promptId\", \"response\"}"},
            {"null", "data: expected the answer as a string, or {\"promptId\", \"response\"}"},
        };
        long id = 100;
        for (String[] c : cases) {
            JsonNode reply = ws.call(++id, "answer", c[0]);
            assertEnvelope(reply, "error", id, 2003);
            assertThat(reply.get("message").asText()).as("answer %s", c[0]).isEqualTo(c[1]);
            assertThat(reply.get("data").isNull()).isTrue();
        }
        // None of them consumed the prompt: the right answer still reaches it.
        assertEnvelope(ws.call(200, "answer", "{\"promptId\":\"" + promptId + "\",\"response\":\"secret\"}"),
                "answer", 200, 0);
        assertEnvelope(ws.reply(1), "creation", 1, 0);
        // An answer is never echoed, not even in an error.
        assertThat(ws.seen().toString()).doesNotContain("secret\"");
    }

    @Test
    void cancelWithBadDataIs2003NamingTheProblem() throws Exception {
        String[][] cases = {
            {null, "data: expected {\"id\": <id of a request in flight>}, got nothing"},
            {"5", "data: expected {\"id\": <id of a request in flight>}, got 5"},
            {"\"x\"", "data: expected {\"id\": <id of a request in flight>}, got \"x\""},
            {"{}", "data.id: expected the integer id of a request in flight"},
            {"{\"id\":\"2\"}", "data.id: expected the integer id of a request in flight"},
            {"{\"id\":1.5}", "data.id: expected the integer id of a request in flight"},
            {"{\"id\":2,\"also\":3}", "data: cancel takes only {\"id\": <id of a request in flight>}"},
            {"{\"id\":42}", "no request with id 42 is in flight"},
        };
        long id = 0;
        for (String[] c : cases) {
            JsonNode reply = ws.call(++id, "cancel", c[0]);
            assertEnvelope(reply, "error", id, 2003);
            assertThat(reply.get("message").asText()).as("cancel %s", c[0]).isEqualTo(c[1]);
        }
        assertEnvelope(ws.call(99, "version", null), "version", 99, 0);
    }

    @Test
    void closingTheSocketCancelsEveryCallInFlightOfThatConnection() throws Exception {
        harness.fake.ssh().host("one.example").password("pw-one");
        harness.fake.ssh().host("two.example").password("pw-two");
        long index = ws.call(1, "list", null).get("data").get("stateIndex").asLong();
        ws.send("{\"action\":\"creation\",\"id\":2,\"data\":" + ssh("one", "one.example") + "}");
        ws.send("{\"action\":\"creation\",\"id\":3,\"data\":" + ssh("two", "two.example") + "}");
        ws.send("{\"action\":\"list\",\"id\":4,\"data\":{\"stateIndex\":" + index + "}}");
        prompt(2);
        prompt(3);
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
        assertThat(harness.fake.prompters()).hasSize(2);

        // Another connection's long-poll must survive this one closing. It polls another selection: long-polls of
        // one selection share one daemon call, which would outlive this connection's.
        try (WsTestClient other = harness.ws()) {
            other.send("{\"action\":\"list\",\"id\":9,\"data\":{\"label\":\"team=web\",\"stateIndex\":" + index + "}}");
            assertThat(Await.until(() -> harness.fake.blockedListCalls() == 2)).isTrue();

            ws.close();
            assertThat(harness.fake.awaitCancelled("Create", 2, WsTestClient.WAIT)).isTrue();
            assertThat(harness.fake.awaitCancelled("List", 1, WsTestClient.WAIT)).isTrue();
            assertThat(harness.fake.awaitCancelled("Host", 2, WsTestClient.WAIT)).isTrue();
            assertThat(Await.until(() -> harness.fake.prompters().isEmpty())).isTrue();
            assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
            assertThat(harness.fake.cancelledCalls("List")).isEqualTo(1);
            assertThat(harness.fake.sessions()).isEmpty();

            // The survivor's long-poll still answers when the state changes.
            assertEnvelope(other.call(10, "creation", GatewayWebSocketTest.local("after")), "creation", 10, 0);
            JsonNode poll = other.reply(9);
            assertEnvelope(poll, "list", 9, 0);
            assertThat(poll.get("data").get("stateIndex").asLong()).isGreaterThan(index);
        }
        ws = harness.ws(); // for @AfterEach
    }

    @Test
    void aSubSecondPromptTimeoutIsNamedInMilliseconds() throws Exception {
        try (GatewayHarness quick = new GatewayHarness(FakeDaemon.builder().build().start(),
                GatewayOptions.builder().promptTimeout(Duration.ofMillis(300)).build());
                WsTestClient client = quick.ws()) {
            quick.fake.ssh().host("example.com").password("secret");
            client.send("{\"action\":\"creation\",\"id\":1,\"data\":" + ssh("remote", "example.com") + "}");
            JsonNode reply = client.reply(1);
            assertEnvelope(reply, "error", 1, 2007);
            // Whole seconds would have said "0 s".
            assertThat(reply.get("message").asText())
                    .isEqualTo("no answer within 300 ms to the prompt: alice@example.com's password:");
        }
    }

    @Test
    void promptTimeoutsReadNaturally() {
        assertThat(ConnectionPrompts.describe(Duration.ofMillis(300))).isEqualTo("300 ms");
        assertThat(ConnectionPrompts.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(ConnectionPrompts.describe(Duration.ofSeconds(120))).isEqualTo("120 s");
        assertThat(ConnectionPrompts.describe(Duration.ofMillis(2050))).isEqualTo("2.05 s");
    }
}

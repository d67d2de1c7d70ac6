package dev.mutagenws.server;

import static dev.mutagenws.server.GatewayWebSocketTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the WebSocket {@code list} long-poll ({@code data.stateIndex}, the old bridge's way to follow
 * changes): it waits on the shared state loop of its selection, as the REST long-poll does, answers exactly as a
 * direct {@code list}, and ends with its socket or a {@code cancel}. Following state by long-polling is
 * {@link LiveStateContract}'s ({@link WebSocketListLiveStateTest}).
 */
class WebSocketLongPollTest {
    private GatewayHarness harness;
    private WsTestClient ws;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.defaults());
        ws = harness.ws();
    }

    @AfterEach
    void stop() {
        ws.close();
        harness.close();
    }

    private void create(String name) throws InterruptedException {
        harness.createLocal(name);
    }

    private static String poll(long id, String selection, long stateIndex) {
        return "{\"action\":\"list\",\"id\":" + id + ",\"data\":{" + selection + (selection.isEmpty() ? "" : ",")
                + "\"stateIndex\":" + stateIndex + "}}";
    }

    /** Replies (not pushes) this client got for request {@code id} so far, without waiting. */
    private static long repliesTo(WsTestClient client, long id) {
        return client.seen().stream().filter(f -> f.path("id").asLong() == id && !WsTestClient.isPush(f)).count();
    }

    /** The selection's shared loop has made its first call and is parked in the next one. */
    private boolean parked(String selectionText, long callsBefore) {
        return Await.until(() -> harness.fake.blockedListCalls() == 1
                && harness.fake.listCalls(selectionText) - callsBefore >= 2);
    }

    @Test
    void fiftyClientsLongPollingOneSelectionShareOneDaemonLoopAndAllGetTheChange() throws Exception {
        create("web");
        long index = harness.fake.stateIndex();
        long callsBefore = harness.fake.listCalls("web");
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                WsTestClient client = harness.ws();
                clients.add(client);
                client.send(poll(1, "\"name\":\"web\"", index));
            }
            assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
            Thread.sleep(300); // time for any further (wrong) List calls to arrive
            assertThat(harness.fake.blockedListCalls()).isEqualTo(1);
            // One loop: its first call answers at once with the current index, its second waits for a change.
            assertThat(harness.fake.listCalls("web") - callsBefore).isEqualTo(2);
            assertThat(harness.gateway.states().activeSelections()).isEqualTo(1);
            assertThat(clients).allMatch(c -> repliesTo(c, 1) == 0);

            harness.fake.session("web").lastError("boom");
            for (WsTestClient client : clients) {
                JsonNode reply = client.reply(1);
                assertEnvelope(reply, "list", 1, 0);
                assertThat(reply.get("message").asText()).isEmpty();
                assertThat(reply.at("/data/stateIndex").asLong()).isGreaterThan(index);
                assertThat(reply.at("/data/sessionStates")).hasSize(1);
                assertThat(reply.at("/data/sessionStates/0/lastError").asText()).isEqualTo("boom");
            }
            assertThat(harness.fake.listCalls("web") - callsBefore).isLessThanOrEqualTo(4);
        } finally {
            clients.forEach(WsTestClient::close);
        }
    }

    @Test
    void theReplyIsByteForByteWhatADirectListAnswers() throws Exception {
        create("web");
        create("api");
        long index = ws.call(1, "list", "{\"name\":\"web\"}").at("/data/stateIndex").asLong();
        long callsBefore = harness.fake.listCalls("web");
        ws.send(poll(2, "\"name\":\"web\"", index));
        assertThat(parked("web", callsBefore)).isTrue();
        // Characters the encoder escapes (as Go does) and non-ASCII: the same bytes either way.
        harness.fake.session("web").lastError("<b> & \"quoted\" \u00e9\u65e5");

        JsonNode polled = ws.reply(2);
        JsonNode direct = ws.call(3, "list", "{\"name\":\"web\"}");
        String polledText = ws.text(polled);
        String directText = ws.text(direct);
        assertThat(polledText).startsWith("{\"action\":\"list\",\"id\":2,\"code\":0,\"message\":\"\",\"data\":"
                + "{\"stateIndex\":" + direct.at("/data/stateIndex").asLong() + ",\"sessionStates\":[{");
        assertThat(polledText).contains("\\u003cb\\u003e \\u0026 \\\"quoted\\\"");
        // Nothing changed in between (one write per change in the fake): the same state, the same index.
        assertThat(polledText.replaceFirst("^\\{\"action\":\"list\",\"id\":2,", "{\"action\":\"list\",\"id\":3,"))
                .isEqualTo(directText);

        // An empty selection too: "sessionStates":[] as in a direct reply.
        long labelled = ws.call(4, "list", "{\"label\":\"team=nobody\"}").at("/data/stateIndex").asLong();
        JsonNode stale = ws.call(5, "list", "{\"label\":\"team=nobody\",\"stateIndex\":" + (labelled + 1000) + "}");
        JsonNode empty = ws.call(6, "list", "{\"label\":\"team=nobody\"}");
        assertThat(ws.text(stale).replaceFirst("\"id\":5,", "\"id\":6,")).isEqualTo(ws.text(empty));
    }

    @Test
    void closingTheSocketMidPollCancelsItAndTheLoopStopsAfterItsLinger() throws Exception {
        create("web");
        long index = harness.fake.stateIndex();
        long callsBefore = harness.fake.listCalls("web");
        WsTestClient leaving = harness.ws();
        leaving.send(poll(1, "\"name\":\"web\"", index));
        assertThat(parked("web", callsBefore)).isTrue();
        assertThat(harness.gateway.states().activeSelections()).isEqualTo(1);

        leaving.close();
        assertThat(harness.fake.awaitCancelled("List", WsTestClient.WAIT)).isTrue();
        assertThat(Await.until(() -> harness.gateway.states().activeSelections() == 0)).isTrue();
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 0)).isTrue();
        assertThat(harness.fake.cancelledCalls("List")).isEqualTo(1);
    }

    @Test
    void cancelAnswers2009AndReleasesTheLoop() throws Exception {
        create("web");
        long index = harness.fake.stateIndex();
        long callsBefore = harness.fake.listCalls("web");
        ws.send(poll(2, "\"name\":\"web\"", index));
        assertThat(parked("web", callsBefore)).isTrue();

        JsonNode ack = ws.call(3, "cancel", "{\"id\":2}");
        assertEnvelope(ack, "cancel", 3, 0);
        JsonNode cancelled = ws.reply(2);
        assertEnvelope(cancelled, "error", 2, 2009);
        assertThat(cancelled.get("message").asText()).isEqualTo("cancelled by request 3");
        assertThat(cancelled.get("data").isNull()).isTrue();
        assertThat(Await.until(() -> harness.gateway.states().activeSelections() == 0)).isTrue();
        assertThat(harness.fake.awaitCancelled("List", WsTestClient.WAIT)).isTrue();
        assertThat(repliesTo(ws, 2)).isEqualTo(1);
    }

    @Test
    void stateIndexZeroIsAPlainList() throws Exception {
        create("web");
        JsonNode reply = ws.call(1, "list", "{\"name\":\"web\",\"stateIndex\":0}");
        assertEnvelope(reply, "list", 1, 0);
        assertThat(reply.at("/data/stateIndex").asLong()).isEqualTo(harness.fake.stateIndex());
        assertThat(harness.gateway.states().activeSelections()).isZero();
    }
}

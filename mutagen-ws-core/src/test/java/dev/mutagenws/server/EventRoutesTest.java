package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.server.EventRoutes;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to {@code GET /api/synchronization/events}: the SSE syntax ({@code retry:}, {@code id: N@EPOCH},
 * comments), {@code Last-Event-ID}, NDJSON with the {@code Accept} header, the query's parsing and refusals before the
 * stream starts. The live-state behaviour itself is {@link LiveStateContract}'s ({@link SseLiveStateTest},
 * {@link NdjsonLiveStateTest}).
 */
class EventRoutesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private GatewayHarness harness;
    private final List<EventStream> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.defaults());
    }

    @AfterEach
    void stop() {
        streams.forEach(EventStream::close);
        harness.close();
    }

    private String create(String name) throws InterruptedException {
        return harness.createLocal(name);
    }

    /** A streaming GET of the events route, closed after the test. */
    private EventStream stream(String query, Map<String, String> headers) {
        EventStream stream = new EventStream(harness, query, headers);
        streams.add(stream);
        return stream;
    }

    private static Predicate<String> event(String name) {
        return r -> r.contains("event: " + name + "\n");
    }

    /** The state index of a record's {@code id:} ({@code N@EPOCH}). */
    private static long id(String record) {
        String id = field(record, "id");
        return Long.parseLong(id.substring(0, id.indexOf('@')));
    }

    private static JsonNode data(String record) throws Exception {
        return WsTestClient.JSON.readTree(field(record, "data"));
    }

    private static String field(String record, String name) {
        for (String line : record.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        throw new AssertionError("no " + name + " in " + record);
    }

    private JsonNode plainGet(String query, Map<String, String> headers) throws Exception {
        String body = harness.http().headers(h -> headers.forEach(h::set)).get()
                .uri(EventStream.EVENTS + query)
                .responseSingle((response, content) -> content.asString()
                        .map(text -> response.status().code() + " " + text))
                .block(WAIT);
        int space = body.indexOf(' ');
        JsonNode envelope = WsTestClient.JSON.readTree(body.substring(space + 1));
        ((ObjectNode) envelope).put("httpStatus", Integer.parseInt(body.substring(0, space)));
        return envelope;
    }

    @Test
    void serverSentEventsStartWithARetryHintAndCarryTheIndexAndEpochAsId() throws Exception {
        String session = create("web");
        // The token as an EventSource sends it (it cannot set headers): taken, not refused as an unknown parameter.
        EventStream sse = stream("?name=web&events=true&token=" + GatewayHarness.TOKEN, Map.of());
        assertThat(sse.next(r -> true)).isEqualTo("retry: 1000");
        String first = sse.next(event("state"));
        assertThat(sse.status).isEqualTo(200);
        assertThat(sse.contentType).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(id(first)).isEqualTo(harness.fake.stateIndex());
        JsonNode state = data(first);
        assertThat(state.fieldNames()).toIterable().containsExactly("stateIndex", "epoch", "sessionStates");
        assertThat(field(first, "id")).isEqualTo(state.get("stateIndex").asLong() + "@" + state.get("epoch").asText());
        assertThat(state.at("/sessionStates/0/session/identifier").asText()).isEqualTo(session);

        harness.fake.session("web").status(Status.Scanning);
        String next = sse.next(event("state"));
        // Each event repeats its state's id, and follows it in the same write.
        String change = sse.next(r -> !r.startsWith(":"));
        assertThat(change).startsWith("id: " + field(next, "id") + "\nevent: status_changed\ndata: {");
    }

    @Test
    void lastEventIdWinsOverTheUrlsStateIndexAndAnUpToDateStreamSaysSoInAComment() throws Exception {
        create("web");
        EventStream first = stream("?name=web", Map.of());
        String seen = field(first.next(event("state")), "id");
        first.close();

        // Nothing changed: the reconnect gets no state again (the URL's stateIndex is the original, older one).
        EventStream same = stream("?name=web&stateIndex=1", Map.of("Last-Event-ID", seen));
        assertThat(same.next(r -> !r.startsWith("retry:"))).isEqualTo(": unchanged since " + seen);
        harness.fake.session("web").status(Status.Scanning);
        assertThat(id(same.next(event("state")))).isGreaterThan(Long.parseLong(seen.substring(0, seen.indexOf('@'))));
    }

    @Test
    void newlineDelimitedJsonWithTheAcceptHeader() throws Exception {
        create("web");
        // An empty label selects every session, and events=1 is true.
        EventStream lines = stream("?label=&events=1", Map.of("Accept", "application/x-ndjson"));
        JsonNode state = WsTestClient.JSON.readTree(lines.next(r -> r.contains("\"type\":\"state\"")));
        assertThat(lines.contentType).isEqualTo("application/x-ndjson; charset=utf-8");
        assertThat(lines.all.get(0)).startsWith("{\"type\":\"state\","); // no retry hint
        assertThat(state.fieldNames()).toIterable().containsExactly("type", "stateIndex", "epoch", "sessionStates");
        assertThat(state.get("stateIndex").asLong()).isEqualTo(harness.fake.stateIndex());
        harness.fake.session("web").successfulCycles(5);
        JsonNode cycle = WsTestClient.JSON.readTree(lines.next(r -> r.contains("cycle_completed")));
        assertThat(cycle.get("type").asText()).isEqualTo("cycle_completed");
        assertThat(cycle.get("successfulCycles").asLong()).isEqualTo(5);
    }

    @Test
    void badRequestsAreJsonEnvelopesWithTheirStatusBeforeTheStreamStarts() throws Exception {
        JsonNode unknown = plainGet("?bogus=1", Map.of());
        assertThat(unknown.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(unknown.get("code").asInt()).isEqualTo(2003);
        assertThat(unknown.get("message").asText()).isEqualTo("query.bogus: unknown query parameter; known here:"
                + " epoch, events, id, label, name, stateIndex");
        JsonNode bare = plainGet("?events", Map.of());
        assertThat(bare.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(bare.get("message").asText()).isEqualTo("query.events: expected true or false, got \"\"");
        assertThat(plainGet("?stateIndex=x", Map.of()).get("code").asInt()).isEqualTo(2003);
        assertThat(plainGet("", Map.of("Last-Event-ID", "nope")).get("code").asInt()).isEqualTo(2003);
        JsonNode events = plainGet("?events=maybe", Map.of());
        assertThat(events.get("code").asInt()).isEqualTo(2003);
        assertThat(events.get("message").asText()).startsWith("query.events: ");
    }
}

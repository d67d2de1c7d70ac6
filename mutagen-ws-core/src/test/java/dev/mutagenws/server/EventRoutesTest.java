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

/** {@code GET /api/synchronization/events} as SSE and NDJSON against the FakeDaemon. */
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
                .uri(EventRoutes.EVENTS + query)
                .responseSingle((response, content) -> content.asString()
                        .map(text -> response.status().code() + " " + text))
                .block(WAIT);
        int space = body.indexOf(' ');
        JsonNode envelope = WsTestClient.JSON.readTree(body.substring(space + 1));
        ((ObjectNode) envelope).put("httpStatus",
                Integer.parseInt(body.substring(0, space)));
        return envelope;
    }

    @Test
    void serverSentEventsCarryTheStateWithTheIndexAsIdAndEachChangeWithItsEvents() throws Exception {
        String session = create("web");
        // The token as an EventSource sends it (it cannot set headers): taken, not refused as an unknown parameter.
        EventStream sse = stream("?name=web&events=true&token=" + GatewayHarness.TOKEN, Map.of());
        assertThat(sse.next(r -> true)).isEqualTo("retry: 1000");
        String first = sse.next(event("state"));
        assertThat(sse.status).isEqualTo(200);
        assertThat(sse.contentType).startsWith("text/event-stream");
        assertThat(id(first)).isEqualTo(harness.fake.stateIndex());
        JsonNode state = data(first);
        assertThat(state.fieldNames()).toIterable().containsExactly("stateIndex", "epoch", "sessionStates");
        assertThat(field(first, "id")).isEqualTo(state.get("stateIndex").asLong() + "@" + state.get("epoch").asText());
        assertThat(state.get("stateIndex").asLong()).isEqualTo(id(first));
        assertThat(state.at("/sessionStates/0/session/identifier").asText()).isEqualTo(session);

        harness.fake.session("web").status(Status.Scanning);
        String next = sse.next(event("state"));
        assertThat(data(next).at("/sessionStates/0/status").asText()).isEqualTo("scanning");
        String change = sse.next(event("status_changed"));
        assertThat(id(change)).isEqualTo(id(next));
        assertThat(data(change).get("to").asText()).isEqualTo("scanning");
        assertThat(data(change).get("session").asText()).isEqualTo(session);
    }

    @Test
    void reconnectWithLastEventIdLosesNoFinalStateAndDuplicatesNothing() throws Exception {
        create("web");
        EventStream first = stream("?name=web", Map.of());
        String seenRecord = first.next(event("state"));
        long seen = id(seenRecord);
        first.close();

        // Nothing changed: the reconnect gets no state again (the URL's stateIndex is the original, older one).
        EventStream same = stream("?name=web&stateIndex=1", Map.of("Last-Event-ID", field(seenRecord, "id")));
        assertThat(same.next(r -> r.startsWith(":"))).isEqualTo(": unchanged since " + field(seenRecord, "id"));
        harness.fake.session("web").status(Status.Scanning);
        String changed = same.next(event("state"));
        assertThat(id(changed)).isNotEqualTo(seen);
        same.close();

        // Changes while away: the final state at once, and once.
        harness.fake.session("web").status(Status.Reconciling);
        harness.fake.session("web").lastError("last one");
        long last = harness.fake.stateIndex();
        EventStream back = stream("?name=web", Map.of("Last-Event-ID", field(changed, "id")));
        String resumed = back.next(event("state"));
        if (id(resumed) != last) { // the hub may hand over an intermediate state first: the final one follows
            resumed = back.next(r -> event("state").test(r) && id(r) == last);
        }
        assertThat(data(resumed).at("/sessionStates/0/lastError").asText()).isEqualTo("last one");
        Thread.sleep(300);
        assertThat(back.all).filteredOn(event("state")).extracting(EventRoutesTest::id).doesNotHaveDuplicates()
                .doesNotContain(id(changed));
    }

    @Test
    void newlineDelimitedJsonWithTheAcceptHeader() throws Exception {
        create("web");
        EventStream lines = stream("?label=&events=1", Map.of("Accept", "application/x-ndjson"));
        JsonNode state = WsTestClient.JSON.readTree(lines.next(r -> r.contains("\"type\":\"state\"")));
        assertThat(lines.contentType).startsWith("application/x-ndjson");
        assertThat(state.fieldNames()).toIterable().containsExactly("type", "stateIndex", "epoch", "sessionStates");
        assertThat(state.get("stateIndex").asLong()).isEqualTo(harness.fake.stateIndex());
        harness.fake.session("web").successfulCycles(5);
        JsonNode cycle = WsTestClient.JSON.readTree(lines.next(r -> r.contains("cycle_completed")));
        assertThat(cycle.get("type").asText()).isEqualTo("cycle_completed");
        assertThat(cycle.get("successfulCycles").asLong()).isEqualTo(5);
    }

    @Test
    void theDaemonGoingAwayAndComingBackIsInTheStream() throws Exception {
        create("web");
        EventStream sse = stream("", Map.of());
        sse.next(event("state"));
        harness.fake.stop();
        JsonNode down = data(sse.next(event("daemon")));
        assertThat(down.get("connected").asBoolean()).isFalse();
        assertThat(down.get("error").asText()).isNotEmpty();
        harness.fake.start();
        // Any new reason while it was down came as another false before this.
        JsonNode up = data(sse.next(r -> event("daemon").test(r) && r.contains("\"connected\":true")));
        assertThat(up.get("connected").asBoolean()).isTrue();
        assertThat(data(sse.next(event("state"))).at("/sessionStates/0/session/name").asText()).isEqualTo("web");
    }

    @Test
    void badRequestsAndDaemonErrorsAreJsonEnvelopesWithTheirStatus() throws Exception {
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
        JsonNode missing = plainGet("?name=nosuch", Map.of());
        assertThat(missing.get("httpStatus").asInt()).isEqualTo(500);
        assertThat(missing.get("code").asInt()).isEqualTo(2001);
        assertThat(missing.get("message").asText()).startsWith("unable to locate requested sessions");
    }

    // ---------------------------------------------------------------- keep-alives and the end of a stream

    @Test
    void idleStreamsGetKeepAlivesAtTheConfiguredInterval() throws Exception {
        GatewayOptions quick = GatewayOptions.defaults().toBuilder().keepAlive(Duration.ofMillis(300)).build();
        try (GatewayHarness idle = new GatewayHarness(FakeDaemon.builder().build().start(), quick)) {
            idle.createLocal("web");
            EventStream sse = new EventStream(idle, "?name=web", Map.of());
            EventStream ndjson = new EventStream(idle, "?name=web", Map.of("Accept", "application/x-ndjson"));
            try (sse; ndjson) {
                assertThat(sse.next(r -> true)).isEqualTo("retry: 1000");
                sse.next(event("state"));
                assertThat(sse.next(r -> r.startsWith(":"))).isEqualTo(": keep-alive");
                long first = System.nanoTime();
                assertThat(sse.next(r -> r.startsWith(":"))).isEqualTo(": keep-alive");
                // One per interval (300 ms; half of it allows for when each was read), not a flood.
                assertThat(Duration.ofNanos(System.nanoTime() - first)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
                assertThat(sse.all).filteredOn(event("state")).hasSize(1);
                ndjson.next(r -> r.contains("\"type\":\"state\""));
                assertThat(ndjson.next(r -> !r.contains("\"type\":\"state\""))).isEqualTo("{\"type\":\"keep-alive\"}");
            }
        }
    }

    @Test
    void theStreamEndsWithAFailureRecordWhenTheSubscriptionFails() throws Exception {
        String session = create("web");
        EventStream sse = stream("?name=web", Map.of());
        EventStream ndjson = stream("?name=web", Map.of("Accept", "application/x-ndjson"));
        sse.next(event("state"));
        ndjson.next(r -> r.contains("\"type\":\"state\""));
        harness.daemon.terminate(SessionSelection.of(session), Prompter.silent()).block(WAIT);
        JsonNode failure = data(sse.next(event("failure")));
        assertThat(failure.fieldNames()).toIterable().containsExactly("code", "message");
        assertThat(failure.get("code").asInt()).isEqualTo(2001);
        assertThat(failure.get("message").asText()).isEqualTo(
                "unable to locate requested sessions: specification \"web\" did not match any sessions");
        JsonNode line = WsTestClient.JSON.readTree(ndjson.next(r -> r.contains("\"type\":\"failure\"")));
        assertThat(line.fieldNames()).toIterable().containsExactly("type", "code", "message");
        assertThat(line.get("code").asInt()).isEqualTo(2001);
    }
}

package dev.mutagenws.server;

import static dev.mutagenws.server.GatewayWebSocketTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.core.SynchronizationMode;
import dev.mutagenws.testkit.Endpoint;
import dev.mutagenws.testkit.FakeDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference server's captures (shared/captures/reference-server, copied to the test resources) replayed
 * end to end: the FakeDaemon is driven into the captured state, the same request goes through the real
 * gateway, and the reply must equal the capture except for what varies (identifiers, times, the state index)
 * and the protocol's deliberate differences (docs/protocol.md section 5: echoed action, status and
 * sessionStates always present, endpoint configurations not copied, numeric enums accepted).
 */
class ReferenceReplayTest {
    private GatewayHarness harness;
    private WsTestClient ws;
    private RestTestClient http;
    private long ids;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(),
                GatewayOptions.builder().promptTimeout(Duration.ofSeconds(5)).build());
        ws = harness.ws();
        http = new RestTestClient(harness.port());
    }

    @AfterEach
    void stop() {
        ws.close();
        harness.close();
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode capture(String name) {
        try (InputStream in = ReferenceReplayTest.class.getResourceAsStream("/json/captures/" + name)) {
            assertThat(in).as("capture %s", name).isNotNull();
            return WsTestClient.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request's data of a WebSocket capture. */
    static String requestData(JsonNode capture) {
        return capture.get("request").get("data").toString();
    }

    /**
     * Replaces what differs between runs (identifiers, creation times, the state index) by placeholders, and
     * adds what the protocol always prints: {@code "status":"disconnected"} right after {@code session}, and
     * {@code "sessionStates":[]}.
     */
    static JsonNode normalized(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = WsTestClient.JSON.createArrayNode();
            node.forEach(e -> out.add(normalized(e)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = WsTestClient.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "identifier" -> out.put(key, value.asText().startsWith("sync_") ? "sync_*" : value.asText());
                case "creationTime" -> out.put(key, "<time>");
                case "stateIndex" -> out.put(key, "<index>");
                default -> out.set(key, normalized(value));
            }
            if (key.equals("session") && !node.has("status")) {
                out.put("status", "disconnected");
            }
        }
        if (node.has("stateIndex") && !node.has("sessionStates")) {
            out.set("sessionStates", WsTestClient.JSON.createArrayNode());
        }
        return out;
    }

    private JsonNode wsCall(String action, String data) throws InterruptedException {
        long id = ++ids;
        JsonNode reply = ws.call(id, action, data);
        assertEnvelope(reply, action, id, 0);
        assertThat(reply.get("message").asText()).isEmpty();
        return reply.get("data");
    }

    private String create(String data) throws InterruptedException {
        String session = wsCall("creation", data).get("session").asText();
        assertThat(harness.fake.awaitIdle(WsTestClient.WAIT)).isTrue();
        return session;
    }

    private static String local(String name, String labels, int n) {
        return "{\"name\":\"" + name + "\"" + (labels == null ? "" : ",\"labels\":" + labels)
                + ",\"alpha\":{\"path\":\"/home/dev/projects/a" + n + "\"},\"beta\":{\"path\":\"/home/dev/projects/b"
                + n + "\"}}";
    }

    /** Sets what the capture's daemon reported for a watching session with identical endpoints. */
    private void watching(String name, long cycles, long directories, long files, long size) {
        harness.fake.session(name).status(Status.Watching).successfulCycles(cycles)
                .connected(Endpoint.ALPHA, true).connected(Endpoint.BETA, true)
                .scanResults(Endpoint.ALPHA, directories, files, size)
                .scanResults(Endpoint.BETA, directories, files, size);
    }

    private JsonNode restData(String uri, int status) {
        RestTestClient.Response r = http.get(uri);
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("action", "id", "code", "message", "data");
        assertThat(r.json().get("id").asLong()).isZero();
        return r.json().get("data");
    }

    // ------------------------------------------------------------------ cases

    @Test
    void capture06ABaseSynchronizationModeWithoutEndpointConfigurationsNowSucceeds() throws Exception {
        JsonNode capture = capture("06-ws-creation-config-copied-rejected.json");
        // The reference server copied the base configuration into the endpoint ones, and the daemon said no.
        assertThat(capture.get("frames").get(0).get("code").asInt()).isEqualTo(2003);

        String session = create(requestData(capture));
        assertThat(session).matches("sync_[0-9a-zA-Z]{43}");
        JsonNode listed = wsCall("list", "{\"name\":\"rejected\"}").get("sessionStates").get(0).get("session");
        assertThat(listed.get("configuration").toString()).isEqualTo("{\"synchronizationMode\":\"two-way-resolved\"}");
        assertThat(listed.get("configurationAlpha").toString()).isEqualTo("{}");
        assertThat(listed.get("configurationBeta").toString()).isEqualTo("{}");
        assertThat(harness.fake.requests("Create")).hasSize(1);
        // What the daemon was sent: the base configuration as given, both endpoint ones present and empty.
        CreationSpecification sent = ((CreateRequest) harness.fake.requests("Create").get(0).message())
                .getSpecification();
        assertThat(sent.getConfiguration().getSynchronizationMode()).isEqualTo(SynchronizationMode.SynchronizationModeTwoWayResolved);
        assertThat(sent.hasConfigurationAlpha()).isTrue();
        assertThat(sent.getConfigurationAlpha()).isEqualTo(Configuration.getDefaultInstance());
        assertThat(sent.hasConfigurationBeta()).isTrue();
        assertThat(sent.getConfigurationBeta()).isEqualTo(Configuration.getDefaultInstance());
    }

    @Test
    void capture22ANumericEnumIsAcceptedOverTheWebSocket() throws Exception {
        JsonNode capture = capture("22-ws-creation-numeric-enum.json");
        // The reference server refused the number; the protocol accepts every enum's number (1 = two-way-safe).
        assertThat(capture.get("frames").get(0).get("code").asInt()).isEqualTo(2001);

        create(requestData(capture));
        JsonNode listed = wsCall("list", "{\"name\":\"numeric\"}").get("sessionStates").get(0).get("session");
        assertThat(listed.get("configuration").toString()).isEqualTo("{\"synchronizationMode\":\"two-way-safe\"}");
        assertThat(listed.get("alpha").toString()).isEqualTo("{\"path\":\"/home/dev/projects/a3\"}");
    }

    @Test
    void captures03And17And18RestListsHaveTheReferenceShape() throws Exception {
        create(local("local-basic", "{\"env\":\"test\",\"team\":\"web\"}", 1));

        watching("local-basic", 2, 1, 1, 6);
        JsonNode byName = restData(RestContractTest.SESSIONS + "?name=local-basic", 200);
        assertThat(normalized(byName)).isEqualTo(normalized(capture("03-rest-list-local-watching.json")
                .get("body").get("data")));

        watching("local-basic", 1, 1, 1, 6);
        JsonNode byLabel = restData(RestContractTest.SESSIONS + "?label=env%3Dtest", 200);
        assertThat(normalized(byLabel)).isEqualTo(normalized(capture("17-rest-list-by-label.json")
                .get("body").get("data")));

        JsonNode none = restData(RestContractTest.SESSIONS + "?label=env%3Dnone", 200);
        assertThat(normalized(none)).isEqualTo(normalized(capture("18-rest-list-label-no-match.json")
                .get("body").get("data")));
        assertThat(none.get("stateIndex").asLong()).isEqualTo(byLabel.get("stateIndex").asLong());
    }

    @Test
    void capture27SshSessionListHasTheReferenceShape() throws Exception {
        create("{\"name\":\"over-ssh\",\"alpha\":{\"path\":\"/home/dev/projects/a1\"},\"beta\":{\"protocol\":\"ssh\","
                + "\"user\":\"root\",\"host\":\"localhost\",\"port\":2222,\"path\":\"/srv/remote/copy\"}}");
        watching("over-ssh", 2, 1, 1, 6);
        JsonNode capture = capture("27-ws-list-ssh-watching.json");
        JsonNode data = wsCall("list", requestData(capture));
        assertThat(normalized(data)).isEqualTo(normalized(capture.get("frames").get(0).get("data")));
    }

    @Test
    void capture30EverySessionAtTheEndHasTheReferenceShape() throws Exception {
        JsonNode capture = capture("30-ws-list-all-at-end.json");
        JsonNode states = capture.get("frames").get(0).get("data").get("sessionStates");

        // The same creations as the capture's run (requests of captures 04, 07 and 09), in the same order.
        create("{\"name\":\"configured\",\"alpha\":{\"path\":\"/home/dev/projects/a2\"},\"beta\":{\"path\":"
                + "\"/home/dev/projects/b2\"},\"configuration\":" + states.get(0).get("session").get("configuration")
                + ",\"configurationAlpha\":{\"watchPollingInterval\":5},\"configurationBeta\":{\"defaultOwner\":"
                + "\"root\",\"defaultGroup\":\"root\"}}");
        create("{\"name\":\"paused-at-start\",\"paused\":true,\"alpha\":{\"path\":\"/home/dev/projects/a3\"},"
                + "\"beta\":{\"path\":\"/home/dev/projects/b3\"}}");
        create("{\"name\":\"conflicting\",\"alpha\":{\"path\":\"/home/dev/projects/a4\"},\"beta\":{\"path\":"
                + "\"/home/dev/projects/b4\"},\"configuration\":{},\"configurationAlpha\":{},\"configurationBeta\":{}}");
        create(local("staging", null, 5));

        watching("configured", 1, 1, 0, 0);
        // The conflict and the problem as the daemon reported them (read with the gateway's decoder, so that
        // digests are bytes again).
        ProtoJson json = ProtoJson.standard();
        JsonNode conflicting = states.get(2);
        List<Conflict> conflicts = new ArrayList<>();
        for (JsonNode c : conflicting.get("conflicts")) {
            conflicts.add(json.read(c, Conflict.getDefaultInstance(), "conflict"));
        }
        List<Problem> problems = new ArrayList<>();
        for (JsonNode p : conflicting.get("alphaState").get("scanProblems")) {
            problems.add(json.read(p, Problem.getDefaultInstance(), "problem"));
        }
        harness.fake.session("conflicting").status(Status.Watching).successfulCycles(1)
                .connected(Endpoint.ALPHA, true).connected(Endpoint.BETA, true)
                .scanResults(Endpoint.ALPHA, 1, 1, 14).scanResults(Endpoint.BETA, 1, 1, 21)
                .conflicts(conflicts).scanProblems(Endpoint.ALPHA, problems);
        watching("staging", 3, 1, 8, 402653184);

        JsonNode data = wsCall("list", requestData(capture));
        assertThat(normalized(data)).isEqualTo(normalized(capture.get("frames").get(0).get("data")));
        // Key order too (the trees compare equal whatever the order).
        assertThat(normalized(data).toString()).isEqualTo(normalized(capture.get("frames").get(0).get("data"))
                .toString());
    }

    @Test
    void restBodiesAreIndentedByteForByteLikeGosMarshalIndent() {
        // 01 and 18 as json.MarshalIndent(reply, "", "    ") prints them, with the protocol's differences:
        // the echoed action, the key order action/id/code/message/data and sessionStates always present.
        long index = harness.fake.stateIndex();
        RestTestClient.Response empty = http.get(RestContractTest.SESSIONS);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEqualTo("{\n"
                + "    \"action\": \"list\",\n"
                + "    \"id\": 0,\n"
                + "    \"code\": 0,\n"
                + "    \"message\": \"\",\n"
                + "    \"data\": {\n"
                + "        \"stateIndex\": " + index + ",\n"
                + "        \"sessionStates\": []\n"
                + "    }\n"
                + "}");
        assertThat(http.get(RestContractTest.SESSIONS + "?label=env%3Dnone").body()).isEqualTo(empty.body());

        // An operation's empty object: "data": {} (Jackson's default printer says "{ }").
        RestTestClient.Response paused = http.post(RestContractTest.SESSIONS + "/pause?all=true", null);
        assertThat(paused.body()).isEqualTo("{\n"
                + "    \"action\": \"pause\",\n"
                + "    \"id\": 0,\n"
                + "    \"code\": 0,\n"
                + "    \"message\": \"\",\n"
                + "    \"data\": {}\n"
                + "}");
    }
}

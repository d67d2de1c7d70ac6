package dev.mutagenws.internal.json;

import static dev.mutagenws.internal.json.JsonAssert.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import org.junit.jupiter.api.Test;

/**
 * The reference server's real output (copies of shared/captures/reference-server) decodes into the
 * daemon messages and re-encodes to the same JSON.
 */
class ReferenceCaptureTest {
    private final ProtoJson json = ProtoJson.standard();

    private static JsonNode capture(String name) {
        return JsonAssert.tree(JsonAssert.resource("captures/" + name));
    }

    @Test
    void configuredSessionListRoundTrips() throws Exception {
        JsonNode data = capture("05-ws-list-configured.json").path("frames").get(0).path("data");
        ListResponse list = json.read(data, ListResponse.getDefaultInstance(), "data");

        assertThat(list.getStateIndex()).isEqualTo(36);
        State s = list.getSessionStates(0);
        assertThat(s.getStatus()).isEqualTo(Status.Watching);
        assertThat(s.getSession().getConfiguration().getDefaultFileMode()).isEqualTo(0644);
        assertThat(s.getSession().getConfiguration().getIgnoreVCSModeValue()).isEqualTo(1);
        assertThat(s.getSession().getConfigurationAlpha().getWatchPollingInterval()).isEqualTo(5);

        // status is non-zero here, so the protocol's output equals the reference server's exactly.
        assertSameJson(json.toJson(list), JsonAssert.compact(data));
    }

    @Test
    void conflictAndProblemListRoundTrips() throws Exception {
        JsonNode data = capture("10-ws-list-conflict-and-problem.json").path("frames").get(0).path("data");
        ListResponse list = json.read(data, ListResponse.getDefaultInstance(), "data");
        assertThat(list.getSessionStates(0).getConflicts(0).getAlphaChanges(0).getNew().getDigest().size()).isEqualTo(20);
        assertSameJson(json.toJson(list), JsonAssert.compact(data));
    }

    @Test
    void stagingStateRoundTrips() throws Exception {
        JsonNode state = capture("11-ws-list-staging-progress.json").path("state");
        State s = json.read(state, State.getDefaultInstance(), "state");
        assertThat(s).isEqualTo(Samples.staging());
        assertSameJson(json.toJson(s), JsonAssert.compact(state));
    }

    @Test
    void disconnectedStateGainsItsStatus() throws Exception {
        // The reference server left status out for Disconnected; mutagen-ws prints it (protocol.md 5).
        ObjectNode data = (ObjectNode) capture("05-ws-list-configured.json").path("frames").get(0).path("data").deepCopy();
        ObjectNode state = (ObjectNode) data.path("sessionStates").get(0);
        state.remove("status");
        state.remove("successfulCycles");
        ListResponse list = json.read(data, ListResponse.getDefaultInstance(), "data");
        assertThat(list.getSessionStates(0).getStatus()).isEqualTo(Status.Disconnected);

        // Expected: the same object with "status":"disconnected" right after "session".
        ObjectNode expectedState = JsonAssert.MAPPER.createObjectNode();
        expectedState.set("session", state.get("session"));
        expectedState.put("status", "disconnected");
        state.properties().stream().filter(e -> !e.getKey().equals("session"))
                .forEach(e -> expectedState.set(e.getKey(), e.getValue()));
        data.withArray("sessionStates").set(0, expectedState);
        assertSameJson(json.toJson(list), JsonAssert.compact(data));
    }
}

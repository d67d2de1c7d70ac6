package dev.mutagenws.internal.json;

import static dev.mutagenws.internal.json.JsonAssert.assertMatchesGolden;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encoded messages against hand-written expected JSON (content and key order). */
class ProtoJsonGoldenTest {
    private final ProtoJson json = ProtoJson.standard();

    static Stream<Arguments> goldens() {
        return Stream.of(
                golden("state-local.json", Samples::localWatching),
                golden("state-ssh.json", Samples::sshPaused),
                golden("state-conflict.json", Samples::conflictStaging),
                golden("state-conflict-problem.json", Samples::conflictAndProblem),
                golden("state-staging.json", Samples::staging),
                golden("session.json", Samples::session),
                golden("url-local.json", () -> Samples.local("/home/alice/project")),
                golden("url-ssh.json", Samples::sshUrl),
                golden("url-docker.json", Samples::dockerUrl),
                golden("configuration-all.json", Samples::configurationAll),
                golden("configuration-defaults.json", Samples::configurationDefaults),
                golden("creation-specification.json", Samples::creationSpecification),
                golden("list-empty.json", () -> ListResponse.newBuilder().setStateIndex(1).build()),
                golden("list-several.json", Samples::listSeveral),
                // Written by hand from section 10.5 of the facts (status words of section 9, "disconnected" printed).
                golden("list-every-status.json", Samples::listEveryStatus),
                golden("entry-tree.json", Samples::entryTree));
    }

    private static Arguments golden(String file, Supplier<? extends Message> message) {
        return Arguments.of(file, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void encodesAsGolden(String file, Supplier<? extends Message> message) {
        Message m = message.get();
        assertMatchesGolden(json.toJson(m), file);
        assertMatchesGolden(new String(json.toJsonBytes(m), StandardCharsets.UTF_8), file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void decodesGoldenBackToTheMessage(String file, Supplier<? extends Message> message) throws Exception {
        Message m = message.get();
        Message decoded = json.read(JsonAssert.tree(JsonAssert.resource(file)), m.getDefaultInstanceForType(), "data");
        assertThat(decoded).isEqualTo(m);
    }

    @Test
    void exampleAIsByteExactWithTheReferenceServerPlusNothingElse() {
        // Example A of 10.9: status is non-zero, so nothing differs from the reference server.
        String expected = "{\"session\":{\"identifier\":\"sync_3kTq0Y8wzFJ4mQyY2xVbR7cN1pLhG5sDa9eUoWiK6tB\",\"version\":1,"
                + "\"creationTime\":{\"seconds\":1718000000,\"nanos\":250000000},\"creatingVersionMinor\":18,"
                + "\"creatingVersionPatch\":1,\"alpha\":{\"path\":\"/home/alice/project\"},\"beta\":{\"path\":\"/tmp/project-copy\"},"
                + "\"configuration\":{},\"configurationAlpha\":{},\"configurationBeta\":{},\"name\":\"demo\","
                + "\"labels\":{\"owner\":\"alice\"}},\"status\":\"watching\",\"successfulCycles\":1,"
                + "\"alphaState\":{\"connected\":true,\"scanned\":true,\"directories\":2,\"files\":3,\"totalFileSize\":4096},"
                + "\"betaState\":{\"connected\":true,\"scanned\":true,\"directories\":2,\"files\":3,\"totalFileSize\":4096}}";
        assertThat(json.toJson(Samples.localWatching())).isEqualTo(expected);
    }

    @Test
    void exampleCEscapesLikeGoByteForByte() {
        String out = json.toJson(Samples.conflictStaging());
        assertThat(out).startsWith("{\"session\":{\"identifier\":\"sync_y\"},\"status\":\"staging-alpha\","
                + "\"lastError\":\"x \\u003cy\\u003e \\u0026 z\",\"conflicts\":[{\"root\":\"a.txt\","
                + "\"alphaChanges\":[{\"path\":\"a.txt\",\"new\":{\"kind\":\"file\",\"digest\":\"AQID\"}}],"
                + "\"betaChanges\":[{\"path\":\"a.txt\",\"old\":{},\"new\":{\"kind\":\"file\",\"digest\":\"BAU=\",\"executable\":true}}]}]");
        assertThat(out).doesNotContain("<", ">", "&");
    }

    @Test
    void emptyListIsExact() {
        assertThat(json.toJson(ListResponse.newBuilder().setStateIndex(1).build()))
                .isEqualTo("{\"stateIndex\":1,\"sessionStates\":[]}");
        assertThat(json.toJson(ListResponse.getDefaultInstance())).isEqualTo("{\"sessionStates\":[]}");
    }

    @Test
    void aStatusOutsideTheKnownSetPrintsUnknown() {
        // 10.5 rule 5: a value outside the known set prints "unknown".
        State state = State.newBuilder().setStatusValue(99).build();
        assertThat(json.toJson(state)).isEqualTo("{\"status\":\"unknown\"}");
    }

    @Test
    void everyStatusHasItsOwnWord() {
        ListResponse every = Samples.listEveryStatus();
        assertThat(every.getSessionStatesCount()).isEqualTo(14);
        JsonNode states = JsonAssert.tree(json.toJson(every)).get("sessionStates");
        Set<String> words = new HashSet<>();
        states.forEach(s -> words.add(s.get("status").asText()));
        assertThat(words).hasSize(14).doesNotContain("unknown", "");
    }
}

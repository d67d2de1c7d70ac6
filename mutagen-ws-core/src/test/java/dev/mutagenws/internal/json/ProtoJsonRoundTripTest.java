package dev.mutagenws.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.url.URL;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** decode(encode(m)) == m for random messages; a failure names the seed that reproduces it. */
class ProtoJsonRoundTripTest {
    private static final int RUNS = 500;
    /** Override with -Dprotojson.seed=N to replay a failure. */
    private static final long BASE_SEED = Long.getLong("protojson.seed", 0x6d757461L);

    private final ProtoJson json = ProtoJson.standard();

    static Stream<Arguments> types() {
        return Stream.of(
                type(State.getDefaultInstance(), 6),
                type(Session.getDefaultInstance(), 3),
                type(CreationSpecification.getDefaultInstance(), 3),
                type(ListResponse.getDefaultInstance(), 6),
                type(Configuration.getDefaultInstance(), 1),
                type(URL.getDefaultInstance(), 1),
                type(Entry.getDefaultInstance(), 3),
                type(dev.mutagenws.proto.forwarding.State.getDefaultInstance(), 4),
                type(dev.mutagenws.proto.service.forwarding.CreationSpecification.getDefaultInstance(), 3));
    }

    private static Arguments type(Message type, int depth) {
        return Arguments.of(type.getDescriptorForType().getFullName(), type, depth);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void roundTrips(String name, Message type, int depth) throws Exception {
        for (int i = 0; i < RUNS; i++) {
            long seed = BASE_SEED + i;
            Message m = new RandomMessages(seed).next(type, depth);
            String text = json.toJson(m);
            String fromBytes = new String(json.toJsonBytes(m), StandardCharsets.UTF_8);
            assertThat(fromBytes).as("seed %d: String and byte output differ", seed).isEqualTo(text);
            // A builder takes the getField path, the message the bound getters: same output.
            assertThat(json.toJson(m.toBuilder())).as("seed %d: getField path differs", seed).isEqualTo(text);
            Message back;
            try {
                back = json.read(JsonAssert.tree(text), type, "data");
            } catch (JsonDecodeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\n" + text, e);
            }
            assertThat(back).as("seed %d, JSON %s", seed, text).isEqualTo(m);
            assertThat(text).as("seed %d: unescaped HTML characters", seed).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        }
    }

    /** Guards the property against a generator that silently stopped producing the hard cases. */
    @Test
    void generatorCoversTheHardCases() {
        StringBuilder all = new StringBuilder();
        boolean aboveSignedRange = false;
        for (int i = 0; i < RUNS; i++) {
            String text = json.toJson(new RandomMessages(BASE_SEED + i).next(State.getDefaultInstance(), 6));
            all.append(text).append('\n');
            aboveSignedRange |= hasBigInteger(JsonAssert.tree(text));
        }
        String out = all.toString();
        assertThat(aboveSignedRange).as("a uint64 >= 2^63").isTrue();
        assertThat(out).contains("\"contents\":{", "\"digest\":\"", "\"old\":{", "\"ignoreVCSMode\":true",
                "\"ignoreVCSMode\":false", "\"kind\":\"phantom-directory\"", "\"status\":\"disconnected\"",
                "\\u003c", "\\u0026", "\\u2028", "\"labels\":{", "\"environment\":{", "\"nanos\":");
        assertThat(out.codePoints().anyMatch(c -> c > 0xffff)).as("characters outside the BMP").isTrue();
    }

    private static boolean hasBigInteger(JsonNode n) {
        if (n.isBigInteger()) {
            return true;
        }
        for (JsonNode child : n) {
            if (hasBigInteger(child)) {
                return true;
            }
        }
        return false;
    }
}

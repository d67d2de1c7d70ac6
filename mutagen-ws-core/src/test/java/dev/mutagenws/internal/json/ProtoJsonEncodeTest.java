package dev.mutagenws.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import dev.mutagenws.proto.filesystem.behavior.ProbeMode;
import dev.mutagenws.proto.forwarding.SocketOverwriteMode;
import dev.mutagenws.proto.service.forwarding.ListResponse;
import dev.mutagenws.proto.service.synchronization.CreateResponse;
import dev.mutagenws.proto.service.synchronization.PauseResponse;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.EndpointState;
import dev.mutagenws.proto.synchronization.ScanMode;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.StageMode;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.WatchMode;
import dev.mutagenws.proto.synchronization.core.Change;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.PermissionsMode;
import dev.mutagenws.proto.synchronization.core.SymbolicLinkMode;
import dev.mutagenws.proto.synchronization.core.SynchronizationMode;
import dev.mutagenws.proto.synchronization.core.ignore.Syntax;
import dev.mutagenws.proto.url.URL;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtoJsonEncodeTest {
    private final ProtoJson json = ProtoJson.standard();

    @ParameterizedTest(name = "synchronization status {0} -> {1}")
    @CsvSource({
            "0, disconnected", "1, halted-on-root-emptied", "2, halted-on-root-deletion",
            "3, halted-on-root-type-change", "4, connecting-alpha", "5, connecting-beta", "6, watching",
            "7, scanning", "8, waiting-for-rescan", "9, reconciling", "10, staging-alpha", "11, staging-beta",
            "12, transitioning", "13, saving", "14, unknown", "99, unknown", "-1, unknown"})
    void everySynchronizationStatusHasItsText(int number, String text) {
        State s = State.newBuilder().setStatusValue(number).build();
        // Always present, also for Disconnected (protocol difference from the reference server).
        assertThat(json.toJson(s)).isEqualTo("{\"status\":\"" + text + "\"}");
    }

    @ParameterizedTest(name = "forwarding status {0} -> {1}")
    @CsvSource({"0, disconnected", "1, connecting-source", "2, connecting-destination", "3, forwarding", "4, unknown"})
    void everyForwardingStatusHasItsText(int number, String text) {
        var s = dev.mutagenws.proto.forwarding.State.newBuilder().setStatusValue(number).build();
        assertThat(json.toJson(s)).isEqualTo("{\"status\":\"" + text + "\"}");
    }

    @Test
    void forwardingSessionStatesAlwaysPresent() {
        assertThat(json.toJson(ListResponse.newBuilder().setStateIndex(3).build()))
                .isEqualTo("{\"stateIndex\":3,\"sessionStates\":[]}");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
            "synchronizationMode, 1, two-way-safe", "synchronizationMode, 2, two-way-resolved",
            "synchronizationMode, 3, one-way-safe", "synchronizationMode, 4, one-way-replica", "synchronizationMode, 5, unknown",
            "hashingAlgorithm, 1, sha1", "hashingAlgorithm, 2, sha256", "hashingAlgorithm, 3, xxh128", "hashingAlgorithm, 4, unknown",
            "probeMode, 1, probe", "probeMode, 2, assume", "probeMode, 3, unknown",
            "scanMode, 1, full", "scanMode, 2, accelerated", "scanMode, 3, unknown",
            "stageMode, 1, mutagen", "stageMode, 2, neighboring", "stageMode, 3, internal", "stageMode, 4, unknown",
            "symbolicLinkMode, 1, ignore", "symbolicLinkMode, 2, portable", "symbolicLinkMode, 3, posix-raw",
            "symbolicLinkMode, 4, unknown",
            "watchMode, 1, portable", "watchMode, 2, force-poll", "watchMode, 3, no-watch", "watchMode, 4, unknown",
            "ignoreSyntax, 1, mutagen", "ignoreSyntax, 2, docker", "ignoreSyntax, 3, unknown",
            "permissionsMode, 1, portable", "permissionsMode, 2, manual", "permissionsMode, 3, unknown",
            "compressionAlgorithm, 1, none", "compressionAlgorithm, 2, deflate", "compressionAlgorithm, 3, zstandard",
            "compressionAlgorithm, 4, unknown"})
    void configurationEnumsPrintTheirText(String field, int number, String text) {
        Configuration.Builder b = Configuration.newBuilder();
        b.setField(Configuration.getDescriptor().findFieldByName(field),
                Configuration.getDescriptor().findFieldByName(field).getEnumType().findValueByNumberCreatingIfUnknown(number));
        assertThat(json.toJson(b)).isEqualTo("{\"" + field + "\":\"" + text + "\"}");
    }

    @Test
    void defaultEnumValuesAreOmitted() {
        Configuration c = Configuration.newBuilder()
                .setSynchronizationMode(SynchronizationMode.SynchronizationModeDefault)
                .setProbeMode(ProbeMode.ProbeModeDefault).setScanMode(ScanMode.ScanModeDefault)
                .setStageMode(StageMode.StageModeDefault).setSymbolicLinkMode(SymbolicLinkMode.SymbolicLinkModeDefault)
                .setWatchMode(WatchMode.WatchModeDefault).setIgnoreSyntax(Syntax.SyntaxDefault)
                .setPermissionsMode(PermissionsMode.PermissionsModeDefault).build();
        assertThat(json.toJson(c)).isEqualTo("{}");
    }

    @ParameterizedTest(name = "ignoreVCSMode {0} -> {1}")
    @CsvSource({"0, '{}'", "1, '{\"ignoreVCSMode\":true}'", "2, '{\"ignoreVCSMode\":false}'",
            "3, '{\"ignoreVCSMode\":3}'"})
    void ignoreVcsModeIsABoolean(int number, String expected) {
        assertThat(json.toJson(Configuration.newBuilder().setIgnoreVCSModeValue(number))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "entry kind {0} -> {1}")
    @CsvSource({"1, file", "2, symlink", "100, untracked", "101, problematic", "102, phantom-directory",
            "3, unknown", "103, unknown", "1000, unknown"})
    void entryKindsPrintTheirText(int number, String text) {
        assertThat(json.toJson(Entry.newBuilder().setKindValue(number))).isEqualTo("{\"kind\":\"" + text + "\"}");
    }

    @ParameterizedTest(name = "protocol {0} -> {1}")
    @CsvSource({"1, '\"ssh\"'", "11, '\"docker\"'", "2, '\"unknown\"'"})
    void protocolPrintsItsText(int number, String text) {
        assertThat(json.toJson(URL.newBuilder().setProtocolValue(number))).isEqualTo("{\"protocol\":" + text + "}");
    }

    @Test
    void kindAndVersionsAreNumbers() {
        assertThat(json.toJson(URL.newBuilder().setKindValue(1))).isEqualTo("{\"kind\":1}");
        assertThat(json.toJson(URL.newBuilder().setKindValue(7))).isEqualTo("{\"kind\":7}");
        assertThat(json.toJson(Session.newBuilder().setVersionValue(1))).isEqualTo("{\"version\":1}");
        assertThat(json.toJson(dev.mutagenws.proto.forwarding.Session.newBuilder().setVersionValue(1)))
                .isEqualTo("{\"version\":1}");
    }

    @Test
    void socketOverwriteModeText() {
        assertThat(json.toJson(dev.mutagenws.proto.forwarding.Configuration.newBuilder()
                .setSocketOverwriteMode(SocketOverwriteMode.SocketOverwriteModeOverwrite).setSocketPermissionMode(0600)))
                .isEqualTo("{\"socketOverwriteMode\":\"overwrite\",\"socketPermissionMode\":384}");
    }

    @Test
    void unsignedIntegersAboveTheSignedRange() {
        EndpointState s = EndpointState.newBuilder()
                .setDirectories(Long.MIN_VALUE) // 2^63
                .setFiles(-1L) // 2^64 - 1
                .setSymbolicLinks(Long.MAX_VALUE)
                .build();
        assertThat(json.toJson(s)).isEqualTo(
                "{\"directories\":9223372036854775808,\"files\":18446744073709551615,\"symbolicLinks\":9223372036854775807}");
        assertThat(json.toJson(URL.newBuilder().setPort(-1))).isEqualTo("{\"port\":4294967295}");
    }

    @Test
    void stringsAreEscapedLikeGo() {
        String tricky = "<y> & z \u2028\u2029 \"q\" \\ / \n\r\t \b\f \u0001\u001f \u007f é 😀";
        String out = json.toJson(State.newBuilder().setLastError(tricky));
        assertThat(out).isEqualTo("{\"status\":\"disconnected\",\"lastError\":\""
                + "\\u003cy\\u003e \\u0026 z \\u2028\\u2029 \\\"q\\\" \\\\ / \\n\\r\\t \\u0008\\u000c \\u0001\\u001f \u007f é 😀"
                + "\"}");
        // The UTF-8 form writes characters outside the BMP as raw 4-byte UTF-8, like Go.
        assertThat(new String(json.toJsonBytes(State.newBuilder().setLastError(tricky)), StandardCharsets.UTF_8))
                .isEqualTo(out);
    }

    @Test
    void mapKeysAreEscapedAndSortedByUtf8Bytes() {
        URL u = URL.newBuilder()
                .putParameters("b", "1").putParameters("😀", "2").putParameters("a", "3").putParameters("\uFFFD", "4")
                .putParameters("é", "5").putParameters("B", "6").putParameters("<k>", "7").putParameters("", "8")
                .build();
        // UTF-16 order would put the emoji (D83D...) before U+FFFD; UTF-8 byte order puts it last.
        String expected = "{\"parameters\":{\"\":\"8\",\"\\u003ck\\u003e\":\"7\",\"B\":\"6\",\"a\":\"3\",\"b\":\"1\","
                + "\"é\":\"5\",\"\uFFFD\":\"4\",\"😀\":\"2\"}}";
        assertThat(json.toJson(u)).isEqualTo(expected);
        assertThat(new String(json.toJsonBytes(u), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void compareUtf8MatchesByteOrder() {
        String[] samples = {"", "a", "ab", "b", "é", "\uE000", "\uFFFF", "😀", "😀a", "\uD7FF", "z\u0000"};
        for (String x : samples) {
            for (String y : samples) {
                int bytes = Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
                assertThat(Integer.signum(ProtoJson.compareUtf8(x, y))).as("%s vs %s", x, y).isEqualTo(Integer.signum(bytes));
            }
        }
    }

    @Test
    void bytesAreStandardBase64WithPadding() {
        Entry e = Entry.newBuilder().setDigest(Samples.bytes(0xfb, 0xff, 0xfe, 0x3e)).build();
        assertThat(json.toJson(e)).isEqualTo("{\"digest\":\"+//+Pg==\"}");
    }

    @Test
    void presentEmptyMessagesPrintAsEmptyObjects() {
        assertThat(json.toJson(PauseResponse.getDefaultInstance())).isEqualTo("{}");
        assertThat(json.toJson(State.newBuilder().setAlphaState(EndpointState.getDefaultInstance())))
                .isEqualTo("{\"status\":\"disconnected\",\"alphaState\":{}}");
        assertThat(json.toJson(CreateResponse.newBuilder().setSession("sync_abc"))).isEqualTo("{\"session\":\"sync_abc\"}");
    }

    @Test
    void unknownFieldsFromANewerDaemonAreIgnored() {
        URL u = URL.newBuilder().setPath("/p")
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build())
                .build();
        assertThat(json.toJson(u)).isEqualTo("{\"path\":\"/p\"}");
    }

    @Test
    void buildersEncodeLikeTheirMessages() {
        State m = Samples.conflictStaging();
        assertThat(json.toJson(m.toBuilder())).isEqualTo(json.toJson(m));
    }

    @Test
    void writesIntoACallersGeneratorAndMakesItEscapeLikeGo() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("action", "list");
            g.writeFieldName("data");
            json.write(Samples.local("/a<b>"), g);
            g.writeStringField("message", "<ok>");
            g.writeEndObject();
        }
        assertThat(out.toString()).isEqualTo(
                "{\"action\":\"list\",\"data\":{\"path\":\"/a\\u003cb\\u003e\"},\"message\":\"\\u003cok\\u003e\"}");
    }

    @Test
    void factoryGeneratorsEscapeLikeGo() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.jsonFactory().createGenerator(out)) {
            g.writeString("a&b");
        }
        assertThat(out.toString()).isEqualTo("\"a\\u0026b\"");
    }

    @Test
    void daemonTypesEncodeThroughDirectGetters() {
        for (var d : List.of(State.getDescriptor(), Session.getDescriptor(), Configuration.getDescriptor(),
                URL.getDescriptor(), EndpointState.getDescriptor(), Entry.getDescriptor(),
                dev.mutagenws.proto.service.synchronization.ListResponse.getDescriptor(),
                Conflict.getDescriptor(),
                Change.getDescriptor(),
                Timestamp.getDescriptor(),
                dev.mutagenws.proto.forwarding.State.getDescriptor())) {
            assertThat(json.fieldsWithoutDirectGetters(d)).as(d.getFullName()).isEmpty();
        }
    }

    @Test
    void dynamicMessagesUseTheGetFieldPath() throws Exception {
        State m = Samples.conflictStaging();
        var dynamic = DynamicMessage.parseFrom(State.getDescriptor(), m.toByteString());
        assertThat(json.toJson(dynamic)).isEqualTo(json.toJson(m));
    }
}

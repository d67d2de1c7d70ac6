package dev.mutagenws.internal.json;

import static dev.mutagenws.internal.json.JsonAssert.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.EndpointState;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.ignore.IgnoreVCSMode;
import dev.mutagenws.proto.url.Kind;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ProtoJsonDecodeTest {
    private final ProtoJson json = ProtoJson.standard();

    private <T extends Message> T read(String text, T type) throws JsonDecodeException {
        return json.read(tree(text), type, "data");
    }

    /** A Configuration enum field accepts its word and its number, both giving the same value. */
    @ParameterizedTest(name = "{0}: \"{1}\" or {2}")
    @CsvSource({
            "synchronizationMode, two-way-safe, 1", "synchronizationMode, two-way-resolved, 2",
            "synchronizationMode, one-way-safe, 3", "synchronizationMode, one-way-replica, 4",
            "hashingAlgorithm, sha1, 1", "hashingAlgorithm, sha256, 2", "hashingAlgorithm, xxh128, 3",
            "probeMode, probe, 1", "probeMode, assume, 2",
            "scanMode, full, 1", "scanMode, accelerated, 2",
            "stageMode, mutagen, 1", "stageMode, neighboring, 2", "stageMode, internal, 3",
            "symbolicLinkMode, ignore, 1", "symbolicLinkMode, portable, 2", "symbolicLinkMode, posix-raw, 3",
            "watchMode, portable, 1", "watchMode, force-poll, 2", "watchMode, no-watch, 3",
            "ignoreSyntax, mutagen, 1", "ignoreSyntax, docker, 2",
            "ignoreVCSMode, ignore, 1", "ignoreVCSMode, propagate, 2",
            "permissionsMode, portable, 1", "permissionsMode, manual, 2",
            "compressionAlgorithm, none, 1", "compressionAlgorithm, deflate, 2", "compressionAlgorithm, zstandard, 3"})
    void configurationEnumsAcceptTextAndNumber(String field, String word, int number) throws Exception {
        FieldDescriptor fd = Configuration.getDescriptor().findFieldByName(field);
        Configuration byWord = read("{\"" + field + "\":\"" + word + "\"}", Configuration.getDefaultInstance());
        Configuration byNumber = read("{\"" + field + "\":" + number + "}", Configuration.getDefaultInstance());
        assertThat(((Descriptors.EnumValueDescriptor) byWord.getField(fd)).getNumber()).isEqualTo(number);
        assertThat(byNumber).isEqualTo(byWord);
        // A number 0 means Default, which the text form cannot express.
        assertThat(read("{\"" + field + "\":0}", Configuration.getDefaultInstance())).isEqualTo(Configuration.getDefaultInstance());
    }

    @ParameterizedTest(name = "status \"{0}\" = {1}")
    @CsvSource({
            "disconnected, 0", "halted-on-root-emptied, 1", "halted-on-root-deletion, 2",
            "halted-on-root-type-change, 3", "connecting-alpha, 4", "connecting-beta, 5", "watching, 6",
            "scanning, 7", "waiting-for-rescan, 8", "reconciling, 9", "staging-alpha, 10", "staging-beta, 11",
            "transitioning, 12", "saving, 13"})
    void statusAcceptsTextAndNumber(String word, int number) throws Exception {
        assertThat(read("{\"status\":\"" + word + "\"}", State.getDefaultInstance()).getStatusValue()).isEqualTo(number);
        assertThat(read("{\"status\":" + number + "}", State.getDefaultInstance()).getStatusValue()).isEqualTo(number);
    }

    @ParameterizedTest(name = "entry kind \"{0}\" = {1}")
    @CsvSource({"directory, 0", "file, 1", "symlink, 2", "untracked, 100", "problematic, 101", "phantom-directory, 102"})
    void entryKindAcceptsTextAndNumber(String word, int number) throws Exception {
        assertThat(read("{\"kind\":\"" + word + "\"}", Entry.getDefaultInstance()).getKindValue()).isEqualTo(number);
        assertThat(read("{\"kind\":" + number + "}", Entry.getDefaultInstance()).getKindValue()).isEqualTo(number);
    }

    @Test
    void urlEnums() throws Exception {
        assertThat(read("{\"protocol\":\"ssh\"}", URL.getDefaultInstance()).getProtocol()).isEqualTo(Protocol.SSH);
        assertThat(read("{\"protocol\":\"docker\"}", URL.getDefaultInstance()).getProtocol()).isEqualTo(Protocol.Docker);
        assertThat(read("{\"protocol\":\"local\"}", URL.getDefaultInstance()).getProtocol()).isEqualTo(Protocol.Local);
        assertThat(read("{\"protocol\":11}", URL.getDefaultInstance()).getProtocol()).isEqualTo(Protocol.Docker);
        assertThat(read("{\"kind\":1}", URL.getDefaultInstance()).getKind()).isEqualTo(Kind.Forwarding);
        assertThat(read("{\"kind\":\"forwarding\"}", URL.getDefaultInstance()).getKind()).isEqualTo(Kind.Forwarding);
        assertThat(read("{\"kind\":\"synchronization\"}", URL.getDefaultInstance()).getKind()).isEqualTo(Kind.Synchronization);
        assertThat(read("{\"version\":1}", Session.getDefaultInstance()).getVersionValue()).isEqualTo(1);
    }

    @Test
    void ignoreVcsModeAcceptsBooleans() throws Exception {
        assertThat(read("{\"ignoreVCSMode\":true}", Configuration.getDefaultInstance()).getIgnoreVCSMode())
                .isEqualTo(IgnoreVCSMode.IgnoreVCSModeIgnore);
        assertThat(read("{\"ignoreVCSMode\":false}", Configuration.getDefaultInstance()).getIgnoreVCSMode())
                .isEqualTo(IgnoreVCSMode.IgnoreVCSModePropagate);
    }

    @Test
    void aliasesOfEndpointConfigurations() throws Exception {
        CreationSpecification s = read("{\"alphaConfiguration\":{\"watchMode\":\"portable\"},"
                + "\"betaConfiguration\":{\"defaultOwner\":\"root\"},\"configurationAlpha\":null}",
                CreationSpecification.getDefaultInstance());
        assertThat(s.getConfigurationAlpha().getWatchModeValue()).isEqualTo(1);
        assertThat(s.getConfigurationBeta().getDefaultOwner()).isEqualTo("root");
        assertThat(s.hasConfiguration()).isFalse();
        // The canonical names still work.
        CreationSpecification c = read("{\"configurationBeta\":{}}", CreationSpecification.getDefaultInstance());
        assertThat(c.hasConfigurationBeta()).isTrue();
        assertThat(c.hasConfigurationAlpha()).isFalse();
    }

    @Test
    void aliasesAreOnlyForTheSynchronizationCreationSpecification() {
        assertThatThrownBy(() -> read("{\"alphaConfiguration\":{}}", Session.getDefaultInstance()))
                .hasMessage("data.alphaConfiguration: unknown field");
    }

    @Test
    void nullMeansAbsent() throws Exception {
        CreationSpecification s = read("{\"alpha\":null,\"name\":null,\"labels\":null,\"paused\":null,"
                + "\"configuration\":{\"ignores\":null,\"synchronizationMode\":null,\"ignoreVCSMode\":null,"
                + "\"maximumEntryCount\":null}}", CreationSpecification.getDefaultInstance());
        assertThat(s).isEqualTo(CreationSpecification.newBuilder().setConfiguration(Configuration.getDefaultInstance()).build());
    }

    @Test
    void exceptionCarriesPathAndReason() {
        assertThatThrownBy(() -> read("{\"alpha\":{\"prot\":\"ssh\"}}", CreationSpecification.getDefaultInstance()))
                .isInstanceOfSatisfying(JsonDecodeException.class, e -> {
                    assertThat(e.path()).isEqualTo("data.alpha.prot");
                    assertThat(e.reason()).isEqualTo("unknown field");
                    assertThat(e.getMessage()).isEqualTo("data.alpha.prot: unknown field");
                });
    }

    static Stream<Arguments> badInputs() {
        Message spec = CreationSpecification.getDefaultInstance();
        Message list = ListResponse.getDefaultInstance();
        Message entry = Entry.getDefaultInstance();
        Message endpoint = EndpointState.getDefaultInstance();
        return Stream.of(
                // unknown fields, with their exact paths
                bad(spec, "{\"alpha\":{\"prot\":\"ssh\"}}", "data.alpha.prot: unknown field"),
                bad(spec, "{\"Alpha\":{}}", "data.Alpha: unknown field"),
                bad(spec, "{\"configuration\":{\"synchronisationMode\":\"two-way-safe\"}}",
                        "data.configuration.synchronisationMode: unknown field"),
                bad(list, "{\"sessionStates\":[{},{\"sesion\":{}}]}", "data.sessionStates[1].sesion: unknown field"),
                bad(spec, "{\"a.b\":1}", "data[\"a.b\"]: unknown field"),
                bad(spec, "{\"alphaConfiguration\":{},\"configurationAlpha\":{}}",
                        "data.alphaConfiguration: is an alias of configurationAlpha; give only one of them"),
                bad(spec, "{\"configurationBeta\":{},\"betaConfiguration\":{}}",
                        "data.betaConfiguration: is an alias of configurationBeta; give only one of them"),
                // wrong JSON types
                bad(spec, "[]", "data: expected an object, got an array"),
                bad(spec, "\"x\"", "data: expected an object, got \"x\""),
                bad(spec, "null", "data: expected an object, got null"),
                bad(spec, "{\"alpha\":{\"port\":\"x\"}}", "data.alpha.port: expected a number, got \"x\""),
                bad(spec, "{\"alpha\":{\"port\":true}}", "data.alpha.port: expected a number, got true"),
                bad(spec, "{\"alpha\":\"/path\"}", "data.alpha: expected an object, got \"/path\""),
                bad(spec, "{\"name\":5}", "data.name: expected a string, got 5"),
                bad(spec, "{\"paused\":\"true\"}", "data.paused: expected true or false, got \"true\""),
                bad(spec, "{\"paused\":1}", "data.paused: expected true or false, got 1"),
                bad(spec, "{\"labels\":[]}", "data.labels: expected an object, got an array"),
                bad(spec, "{\"labels\":{\"team\":5}}", "data.labels.team: expected a string, got 5"),
                bad(spec, "{\"labels\":{\"team\":null}}", "data.labels.team: expected a string, got null"),
                bad(spec, "{\"labels\":{\"a b\":{}}}", "data.labels[\"a b\"]: expected a string, got an object"),
                bad(spec, "{\"configuration\":{\"ignores\":\"*.log\"}}",
                        "data.configuration.ignores: expected an array, got \"*.log\""),
                bad(spec, "{\"configuration\":{\"ignores\":[\"a\",\"b\",3]}}",
                        "data.configuration.ignores[2]: expected a string, got 3"),
                bad(spec, "{\"configuration\":{\"ignores\":[\"a\",null]}}",
                        "data.configuration.ignores[1]: expected a string, got null"),
                bad(list, "{\"sessionStates\":[1]}", "data.sessionStates[0]: expected an object, got 1"),
                // integers: fractions, negatives, out of range
                bad(spec, "{\"alpha\":{\"port\":1.5}}", "data.alpha.port: expected an integer from 0 to 4294967295, got 1.5"),
                bad(spec, "{\"alpha\":{\"port\":22.0}}", "data.alpha.port: expected an integer from 0 to 4294967295, got 22.0"),
                bad(spec, "{\"alpha\":{\"port\":-1}}", "data.alpha.port: expected an integer from 0 to 4294967295, got -1"),
                bad(spec, "{\"alpha\":{\"port\":4294967296}}",
                        "data.alpha.port: expected an integer from 0 to 4294967295, got 4294967296"),
                bad(spec, "{\"configuration\":{\"maximumEntryCount\":-5}}",
                        "data.configuration.maximumEntryCount: expected an integer from 0 to 18446744073709551615, got -5"),
                bad(spec, "{\"configuration\":{\"maximumEntryCount\":18446744073709551616}}",
                        "data.configuration.maximumEntryCount: expected an integer from 0 to 18446744073709551615, got 18446744073709551616"),
                bad(spec, "{\"configuration\":{\"maximumEntryCount\":1e3}}",
                        "data.configuration.maximumEntryCount: expected an integer from 0 to 18446744073709551615, got 1000.0"),
                bad(spec, "{\"configuration\":{\"maximumEntryCount\":\"10\"}}",
                        "data.configuration.maximumEntryCount: expected a number, got \"10\""),
                bad(Session.getDefaultInstance(), "{\"creationTime\":{\"seconds\":9223372036854775808}}",
                        "data.creationTime.seconds: expected an integer from -9223372036854775808 to 9223372036854775807, got 9223372036854775808"),
                bad(Session.getDefaultInstance(), "{\"creationTime\":{\"nanos\":1000000000}}",
                        "data.creationTime.nanos: expected an integer from 0 to 999999999, got 1000000000"),
                bad(Session.getDefaultInstance(), "{\"creationTime\":{\"nanos\":-1}}",
                        "data.creationTime.nanos: expected an integer from 0 to 999999999, got -1"),
                bad(Session.getDefaultInstance(), "{\"creationTime\":\"2024-01-01T00:00:00Z\"}",
                        "data.creationTime: expected an object, got \"2024-01-01T00:00:00Z\""),
                // enums
                bad(spec, "{\"alpha\":{\"protocol\":\"SSH\"}}",
                        "data.alpha.protocol: expected one of \"local\", \"ssh\", \"docker\" or a defined number, got \"SSH\""),
                bad(spec, "{\"alpha\":{\"protocol\":2}}",
                        "data.alpha.protocol: expected one of \"local\", \"ssh\", \"docker\" or a defined number, got 2"),
                bad(spec, "{\"alpha\":{\"protocol\":1.0}}",
                        "data.alpha.protocol: expected one of \"local\", \"ssh\", \"docker\" or a defined number, got 1.0"),
                bad(spec, "{\"alpha\":{\"kind\":\"sync\"}}",
                        "data.alpha.kind: expected one of \"synchronization\", \"forwarding\" or a defined number, got \"sync\""),
                bad(spec, "{\"alpha\":{\"kind\":2}}",
                        "data.alpha.kind: expected one of \"synchronization\", \"forwarding\" or a defined number, got 2"),
                bad(spec, "{\"configuration\":{\"synchronizationMode\":\"\"}}",
                        "data.configuration.synchronizationMode: expected one of \"two-way-safe\", \"two-way-resolved\", "
                                + "\"one-way-safe\", \"one-way-replica\" or a defined number, got \"\""),
                bad(spec, "{\"configuration\":{\"synchronizationMode\":\"unknown\"}}",
                        "data.configuration.synchronizationMode: expected one of \"two-way-safe\", \"two-way-resolved\", "
                                + "\"one-way-safe\", \"one-way-replica\" or a defined number, got \"unknown\""),
                bad(spec, "{\"configuration\":{\"synchronizationMode\":5}}",
                        "data.configuration.synchronizationMode: expected one of \"two-way-safe\", \"two-way-resolved\", "
                                + "\"one-way-safe\", \"one-way-replica\" or a defined number, got 5"),
                bad(spec, "{\"configuration\":{\"synchronizationMode\":\"SynchronizationModeTwoWaySafe\"}}",
                        "data.configuration.synchronizationMode: expected one of \"two-way-safe\", \"two-way-resolved\", "
                                + "\"one-way-safe\", \"one-way-replica\" or a defined number, got \"SynchronizationModeTwoWaySafe\""),
                bad(spec, "{\"configuration\":{\"ignoreVCSMode\":\"true\"}}",
                        "data.configuration.ignoreVCSMode: expected one of true, false, \"ignore\", \"propagate\" or 0 to 2, got \"true\""),
                bad(spec, "{\"configuration\":{\"ignoreVCSMode\":3}}",
                        "data.configuration.ignoreVCSMode: expected one of true, false, \"ignore\", \"propagate\" or 0 to 2, got 3"),
                bad(spec, "{\"configuration\":{\"scanMode\":[]}}",
                        "data.configuration.scanMode: expected one of \"full\", \"accelerated\" or a defined number, got an array"),
                bad(Session.getDefaultInstance(), "{\"version\":\"1\"}",
                        "data.version: expected a defined number, got \"1\""),
                bad(Session.getDefaultInstance(), "{\"version\":2}", "data.version: expected a defined number, got 2"),
                bad(State.getDefaultInstance(), "{\"status\":\"Watching\"}",
                        "data.status: expected one of \"disconnected\", \"halted-on-root-emptied\", \"halted-on-root-deletion\", "
                                + "\"halted-on-root-type-change\", \"connecting-alpha\", \"connecting-beta\", \"watching\", "
                                + "\"scanning\", \"waiting-for-rescan\", \"reconciling\", \"staging-alpha\", \"staging-beta\", "
                                + "\"transitioning\", \"saving\" or a defined number, got \"Watching\""),
                // bytes
                bad(entry, "{\"digest\":\"not base64!\"}", "data.digest: expected a standard Base64 string, got \"not base64!\""),
                bad(entry, "{\"digest\":\"-_8=\"}", "data.digest: expected a standard Base64 string, got \"-_8=\""),
                bad(entry, "{\"digest\":[1,2]}", "data.digest: expected a standard Base64 string, got an array"),
                bad(entry, "{\"contents\":{\"a\":{\"contents\":{\"b\":{\"kind\":\"fiel\"}}}}}",
                        "data.contents.a.contents.b.kind: expected one of \"directory\", \"file\", \"symlink\", \"untracked\", "
                                + "\"problematic\", \"phantom-directory\" or a defined number, got \"fiel\""),
                bad(endpoint, "{\"scanProblems\":[{\"path\":\"a\",\"eror\":\"x\"}]}", "data.scanProblems[0].eror: unknown field"));
    }

    private static Arguments bad(Message type, String input, String message) {
        return Arguments.of(type, input, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInputs")
    void rejectsBadInputWithItsPath(Message type, String input, String message) {
        assertThatThrownBy(() -> read(input, type))
                .isInstanceOf(JsonDecodeException.class)
                .hasMessage(message);
    }

    @Test
    void longStringsAreCutInMessages() {
        String value = "y".repeat(100);
        assertThatThrownBy(() -> read("{\"alpha\":{\"port\":\"" + value + "\"}}", CreationSpecification.getDefaultInstance()))
                .hasMessage("data.alpha.port: expected a number, got \"" + "y".repeat(40) + "...\"");
    }

    @Test
    void missingRootIsAnError() {
        assertThatThrownBy(() -> json.read(MissingNode.getInstance(),
                CreationSpecification.getDefaultInstance(), "data"))
                .hasMessage("data: expected an object, got nothing");
        assertThatThrownBy(() -> json.read(NullNode.getInstance(), CreationSpecification.getDefaultInstance(), "body"))
                .hasMessage("body: expected an object, got null");
    }

    @Test
    void integerLimitsAreAccepted() throws Exception {
        URL u = read("{\"port\":4294967295}", URL.getDefaultInstance());
        assertThat(Integer.toUnsignedLong(u.getPort())).isEqualTo(4294967295L);
        Configuration c = read("{\"maximumEntryCount\":18446744073709551615,\"maximumStagingFileSize\":9223372036854775808}",
                Configuration.getDefaultInstance());
        assertThat(c.getMaximumEntryCount()).isEqualTo(-1L);
        assertThat(c.getMaximumStagingFileSize()).isEqualTo(Long.MIN_VALUE);
        Session s = read("{\"creationTime\":{\"seconds\":-9223372036854775808,\"nanos\":999999999}}", Session.getDefaultInstance());
        assertThat(s.getCreationTime().getSeconds()).isEqualTo(Long.MIN_VALUE);
        assertThat(s.getCreationTime().getNanos()).isEqualTo(999999999);
    }

    @Test
    void base64Bytes() throws Exception {
        assertThat(read("{\"digest\":\"+//+Pg==\"}", Entry.getDefaultInstance()).getDigest())
                .isEqualTo(Samples.bytes(0xfb, 0xff, 0xfe, 0x3e));
        assertThat(read("{\"digest\":\"\"}", Entry.getDefaultInstance()).getDigest().isEmpty()).isTrue();
    }

    @Test
    void presentEmptyObjectsStayPresent() throws Exception {
        State s = read("{\"alphaState\":{},\"session\":{\"configuration\":{}}}", State.getDefaultInstance());
        assertThat(s.hasAlphaState()).isTrue();
        assertThat(s.hasBetaState()).isFalse();
        assertThat(s.getSession().hasConfiguration()).isTrue();
        assertThat(s.getSession().hasConfigurationAlpha()).isFalse();
    }
}

package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.error;
import static dev.mutagenws.testkit.TestClient.local;
import static dev.mutagenws.testkit.TestClient.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.synchronization.CreateRequest;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.FlushRequest;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.PauseRequest;
import dev.mutagenws.proto.service.synchronization.ResetRequest;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.service.synchronization.TerminateRequest;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.core.SynchronizationMode;
import dev.mutagenws.proto.url.Kind;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ValidationTest {
    @RegisterExtension
    static FakeDaemonExtension fake = FakeDaemonExtension.perClass().configure(b -> b.manualLifecycle(true));
    static TestClient c;
    static TestClient.Host host;

    @BeforeAll
    static void connect() throws Exception {
        c = new TestClient(fake.daemon().socketPath());
        host = c.host(true);
    }

    @AfterAll
    static void disconnect() {
        host.close();
        c.close();
    }

    /** Sends op with (prompter, selection-or-null) and returns the error text. */
    private static Map<String, BiFunction<String, Selection, String>> ops() {
        Map<String, BiFunction<String, Selection, String>> ops = new LinkedHashMap<>();
        ops.put("flush", (p, s) -> error(() -> c.sync().flush(with(FlushRequest.newBuilder().setPrompter(p), s,
                FlushRequest.Builder::setSelection).build())));
        ops.put("pause", (p, s) -> error(() -> c.sync().pause(with(PauseRequest.newBuilder().setPrompter(p), s,
                PauseRequest.Builder::setSelection).build())));
        ops.put("resume", (p, s) -> error(() -> c.sync().resume(with(ResumeRequest.newBuilder().setPrompter(p), s,
                ResumeRequest.Builder::setSelection).build())));
        ops.put("reset", (p, s) -> error(() -> c.sync().reset(with(ResetRequest.newBuilder().setPrompter(p), s,
                ResetRequest.Builder::setSelection).build())));
        ops.put("terminate", (p, s) -> error(() -> c.sync().terminate(with(TerminateRequest.newBuilder()
                .setPrompter(p), s, TerminateRequest.Builder::setSelection).build())));
        return ops;
    }

    private static <B> B with(B builder, Selection s, BiFunction<B, Selection, B> set) {
        return s == null ? builder : set.apply(builder, s);
    }

    private static final Map<Selection, String> BAD_SELECTIONS = new LinkedHashMap<>();

    static {
        BAD_SELECTIONS.put(Selection.getDefaultInstance(), "no selection mechanisms present");
        BAD_SELECTIONS.put(Selection.newBuilder().setAll(true).addSpecifications("x").build(),
                "multiple selection mechanisms present");
        BAD_SELECTIONS.put(Selection.newBuilder().setAll(true).setLabelSelector("a=b").build(),
                "multiple selection mechanisms present");
        BAD_SELECTIONS.put(Selection.newBuilder().addSpecifications("x").setLabelSelector("a=b").build(),
                "multiple selection mechanisms present");
        BAD_SELECTIONS.put(Selection.newBuilder().addSpecifications("name").addSpecifications("").build(),
                "empty specification");
    }

    @Test
    void selectionErrorsForEveryOperation() {
        Function<Selection, String> list = s -> error(() -> c.sync().list(
                with(ListRequest.newBuilder(), s, ListRequest.Builder::setSelection).build()));
        assertThat(list.apply(null)).isEqualTo("invalid list request: invalid selection specification: nil selection");
        BAD_SELECTIONS.forEach((s, reason) -> assertThat(list.apply(s))
                .isEqualTo("invalid list request: invalid selection specification: " + reason));
        assertThat(list.apply(TestClient.spec("nosuch"))).isEqualTo(
                "unable to locate requested sessions: specification \"nosuch\" did not match any sessions");
        ops().forEach((op, call) -> {
            assertThat(call.apply("", null)).isEqualTo("invalid " + op + " request: no prompter specified");
            assertThat(call.apply(host.id(), null))
                    .isEqualTo("invalid " + op + " request: invalid selection specification: nil selection");
            BAD_SELECTIONS.forEach((s, reason) -> assertThat(call.apply(host.id(), s))
                    .isEqualTo("invalid " + op + " request: invalid selection specification: " + reason));
            assertThat(call.apply(host.id(), TestClient.spec("nosuch"))).isEqualTo(
                    "unable to locate requested sessions: specification \"nosuch\" did not match any sessions");
            assertThat(call.apply(host.id(), Selection.newBuilder().setLabelSelector("a b").build())).isEqualTo(
                    "unable to locate requested sessions: unable to parse label selector: unable to parse "
                            + "requirement: found 'b', expected: '=', '!=', '==', 'in', notin'");
        });
        assertThat(list.apply(Selection.newBuilder().setLabelSelector("=x").build())).isEqualTo(
                "unable to locate requested sessions: unable to parse label selector: "
                        + "found '=', expected: !, identifier, or 'end of string'");
        // Rejected requests send no prompter messages and do not move the index.
        assertThat(host.messages()).isEmpty();
        assertThat(fake.daemon().stateIndex()).isEqualTo(1);
    }

    private static String create(CreationSpecification.Builder spec) {
        return error(() -> c.create(host.id(), spec));
    }

    private static final String P = "invalid create request: invalid creation specification: ";
    private static final String QUALIFIED = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    @Test
    void createValidationTexts() {
        assertThat(error(() -> c.sync().create(CreateRequest.getDefaultInstance())))
                .isEqualTo("invalid create request: no prompter specified");
        assertThat(error(() -> c.sync().create(CreateRequest.newBuilder().setPrompter(host.id()).build())))
                .isEqualTo(P + "nil creation specification");
        CreationSpecification.Builder ok = TestClient.localSpec("");
        assertThat(create(ok.clone().clearAlpha())).isEqualTo(P + "invalid alpha URL: nil URL");
        assertThat(create(ok.clone().clearBeta())).isEqualTo(P + "invalid beta URL: nil URL");
        assertThat(create(ok.clone().setAlpha(local("relative/alpha"))))
                .isEqualTo(P + "invalid alpha URL: local URL with relative path");
        assertThat(create(ok.clone().setBeta(local("relative/beta"))))
                .isEqualTo(P + "invalid beta URL: local URL with relative path");
        assertThat(create(ok.clone().setAlpha(URL.getDefaultInstance()))).isEqualTo(P + "invalid alpha URL: empty path");
        assertThat(create(ok.clone().setAlpha(local("/a").toBuilder().setHost("example").build())))
                .isEqualTo(P + "invalid alpha URL: local URL with non-empty hostname");
        assertThat(create(ok.clone().setAlpha(URL.newBuilder().setKind(Kind.Forwarding).setPath("tcp:localhost:8080")
                .build()))).isEqualTo(P + "alpha URL is not a synchronization URL");
        assertThat(create(ok.clone().setBeta(URL.newBuilder().setProtocol(Protocol.SSH).setUser("root")
                .setPath("/srv/x").build()))).isEqualTo(P + "invalid beta URL: SSH URL with empty hostname");
        assertThat(create(ok.clone().setBeta(URL.newBuilder().setProtocolValue(5).setPath("/b").build())))
                .isEqualTo(P + "invalid beta URL: unknown or unsupported protocol");
        assertThat(create(ok.clone().setName("1abc"))).isEqualTo(P + "invalid name: name does not start with Unicode letter");
        assertThat(create(ok.clone().setName("bad name")))
                .isEqualTo(P + "invalid name: invalid name character at index 3: ' '");
        assertThat(create(ok.clone().setName("defaults"))).isEqualTo(P + "invalid name: \"defaults\" is disallowed as a name");
        assertThat(create(ok.clone().setName("a23e4567-e89b-12d3-a456-426614174000")))
                .isEqualTo(P + "invalid name: name must not be a UUID");
        assertThat(create(ok.clone().putLabels("", "v")))
                .isEqualTo(P + "invalid label key: name part must be non-empty, " + QUALIFIED);
        assertThat(create(ok.clone().putLabels("k", "v".repeat(64))))
                .isEqualTo(P + "invalid label value: must be no more than 63 characters");
        Configuration oneWay = Configuration.newBuilder()
                .setSynchronizationMode(SynchronizationMode.SynchronizationModeOneWayReplica).build();
        assertThat(create(ok.clone().setConfigurationAlpha(oneWay))).isEqualTo(
                P + "invalid alpha-specific configuration: synchronization mode cannot be specified on an endpoint-specific basis");
        assertThat(create(ok.clone().setConfiguration(oneWay).setConfigurationAlpha(oneWay).setConfigurationBeta(oneWay)))
                .isEqualTo(P + "invalid alpha-specific configuration: synchronization mode cannot be specified on an "
                        + "endpoint-specific basis");
        assertThat(create(ok.clone().setConfiguration(Configuration.newBuilder().setSynchronizationModeValue(99))))
                .isEqualTo(P + "invalid session configuration: unknown or unsupported synchronization mode");
        assertThat(create(ok.clone().clearConfiguration())).isEqualTo(P + "invalid session configuration: nil configuration");
        assertThat(create(ok.clone().clearConfigurationBeta()))
                .isEqualTo(P + "invalid beta-specific configuration: nil configuration");
        assertThat(create(ok.clone().setConfigurationBeta(Configuration.newBuilder().addIgnores("x"))))
                .isEqualTo(P + "invalid beta-specific configuration: ignores cannot be specified on an endpoint-specific basis");
        assertThat(create(ok.clone().setConfiguration(Configuration.newBuilder().setDefaultFileMode(0755))))
                .isEqualTo(P + "invalid session configuration: invalid default file permission mode specified: "
                        + "executability bits detected in file mode in portable permissions propagation mode");
        // URLs are checked before configurations, configurations before the name, the name before labels.
        assertThat(create(ok.clone().clearConfiguration().setAlpha(local("rel")).setName("1")))
                .isEqualTo(P + "invalid alpha URL: local URL with relative path");
        assertThat(create(ok.clone().clearConfiguration().setName("1"))).isEqualTo(P + "invalid session configuration: nil configuration");
        assertThat(create(ok.clone().setName("1").putLabels("", ""))).isEqualTo(P + "invalid name: name does not start with Unicode letter");
        // Ignores are validated only when a (non-paused) local endpoint is created.
        assertThat(create(ok.clone().setConfiguration(Configuration.newBuilder().addIgnores(""))))
                .isEqualTo("unable to connect to alpha: unable to connect to endpoint: unable to create local endpoint: "
                        + "unable to create Mutagen-style ignorer: unable to parse pattern: empty pattern");
        assertThat(fake.daemon().sessions()).isEmpty();
        assertThat(fake.daemon().stateIndex()).isEqualTo(1);
    }
}

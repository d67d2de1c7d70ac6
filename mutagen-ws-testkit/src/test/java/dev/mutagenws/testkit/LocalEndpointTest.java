package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.error;
import static dev.mutagenws.testkit.TestClient.local;
import static dev.mutagenws.testkit.TestClient.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.security.auth.module.UnixSystem;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.ignore.Syntax;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What connecting an endpoint checks during Create (and Resume), over the fake's real socket: local endpoint
 * construction (ignorer, then owner and group against this machine's accounts), the Docker transport's probing,
 * SSH URL parameters, and the agent-side ignorer of dialed remote endpoints.
 */
class LocalEndpointTest {
    @RegisterExtension
    static FakeDaemonExtension fake = FakeDaemonExtension.perClass().configure(b -> b.manualLifecycle(true));
    static TestClient c;
    TestClient.Host host;

    private static final String ALPHA = "unable to connect to alpha: unable to connect to endpoint: ";
    private static final String BETA = "unable to connect to beta: unable to connect to endpoint: ";
    private static final String LOCAL = "unable to create local endpoint: ";
    private static final String OWNERSHIP = LOCAL + "unable to create ownership specification: ";
    private static final String MUTAGEN = LOCAL + "unable to create Mutagen-style ignorer: unable to parse pattern: ";
    private static final String DOCKER = LOCAL + "unable to create Docker-style ignorer: unable to construct pattern "
            + "matcher: ";
    private static final String BAD = "unable to validate pattern: syntax error in pattern";
    private static final String NO_DOCKER = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
            + "Is the docker daemon running?";
    private static final String PROBE = "unable to dial agent endpoint: unable to create agent command: "
            + "unable to probe container: ";

    @BeforeAll
    static void connect() {
        c = new TestClient(fake.daemon().socketPath());
    }

    @AfterAll
    static void disconnect() {
        c.close();
    }

    @BeforeEach
    void freshHost() throws Exception {
        fake.daemon().docker().clear();
        host = c.host(true);
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    private static CreationSpecification.Builder withBase(Configuration.Builder base) {
        return TestClient.localSpec("").setConfiguration(base);
    }

    /** Creates and expects a failure that leaves nothing behind: no session, no index change. */
    private String failedCreate(CreationSpecification.Builder spec) {
        int sessions = fake.daemon().sessions().size();
        long index = fake.daemon().stateIndex();
        String text = error(() -> c.create(host.id(), spec));
        assertThat(fake.daemon().sessions()).hasSize(sessions);
        assertThat(fake.daemon().stateIndex()).isEqualTo(index);
        return text;
    }

    private String created(CreationSpecification.Builder spec) {
        return c.create(host.id(), spec);
    }

    @Test
    void theFourCreationsTheRealDaemonRefusedAndTheFakeAccepted() {
        assertThat(failedCreate(withBase(Configuration.newBuilder().setDefaultOwner("no-such-user-xyz"))))
                .isEqualTo("unable to connect to alpha: unable to connect to endpoint: unable to create local endpoint: "
                        + "unable to create ownership specification: unable to lookup user by ID: user: unknown user "
                        + "no-such-user-xyz");
        assertThat(failedCreate(withBase(Configuration.newBuilder().setDefaultGroup("no-such-group-xyz"))))
                .isEqualTo("unable to connect to alpha: unable to connect to endpoint: unable to create local endpoint: "
                        + "unable to create ownership specification: unable to lookup group by ID: group: unknown group "
                        + "no-such-group-xyz");
        assertThat(failedCreate(withBase(Configuration.newBuilder().addIgnores("["))))
                .isEqualTo("unable to connect to alpha: unable to connect to endpoint: unable to create local endpoint: "
                        + "unable to create Mutagen-style ignorer: unable to parse pattern: unable to validate pattern: "
                        + "syntax error in pattern");
        URL container = URL.newBuilder().setProtocol(Protocol.Docker).setHost("web").setPath("/srv/app").build();
        assertThat(failedCreate(spec(container, local("/tmp/beta"))))
                .isEqualTo("unable to connect to alpha: unable to connect to endpoint: unable to dial agent endpoint: "
                        + "unable to create agent command: unable to probe container: container probing failed under "
                        + "POSIX hypothesis (" + NO_DOCKER + ") and Windows hypothesis (" + NO_DOCKER + ")");
        // The session-level message goes first; the dialer's message before the probing.
        assertThat(host.messages()).containsExactly("M Creating session...", "M Creating session...",
                "M Creating session...", "M Creating session...", "M Connecting to agent (POSIX)...");
    }

    @Test
    void ownerAndGroupAreLookedUpInThisMachinesAccounts() throws IOException {
        String uid = Long.toString(new UnixSystem().getUid());
        String user = passwdName(uid);
        String freeUid = unused(column("/etc/passwd", 2), uid);
        String freeGid = unused(column("/etc/group", 2), null);
        String group = Files.readAllLines(Path.of("/etc/group")).stream().filter(l -> !l.isBlank()
                && !l.startsWith("#")).findFirst().orElseThrow().split(":")[0];

        Map<Configuration.Builder, String> failures = new LinkedHashMap<>();
        failures.put(Configuration.newBuilder().setDefaultOwner("id:" + freeUid),
                "unable to lookup user by ID: user: unknown userid " + freeUid);
        failures.put(Configuration.newBuilder().setDefaultOwner("id:99999999999999999999"),
                "unable to lookup user by ID: user: invalid userid 99999999999999999999");
        failures.put(Configuration.newBuilder().setDefaultGroup("id:" + freeGid),
                "unable to lookup group by ID: group: unknown groupid " + freeGid);
        failures.put(Configuration.newBuilder().setDefaultGroup("id:99999999999999999999"),
                "unable to lookup group by ID: group: unknown groupid 99999999999999999999");
        failures.put(Configuration.newBuilder().setDefaultOwner("sid:S-1-5-18"),
                "Windows SIDs not supported on POSIX systems");
        failures.put(Configuration.newBuilder().setDefaultGroup("sid:S-1-5-32-544"),
                "Windows SIDs not supported on POSIX systems");
        // A name is looked up as a name, even when it looks like a number.
        failures.put(Configuration.newBuilder().setDefaultOwner(freeUid), "unable to lookup user by ID: user: "
                + "unknown user " + freeUid);
        // The owner is resolved before the group.
        failures.put(Configuration.newBuilder().setDefaultOwner("no-such-user-xyz").setDefaultGroup("no-such-group-xyz"),
                "unable to lookup user by ID: user: unknown user no-such-user-xyz");
        failures.forEach((config, reason) -> assertThat(failedCreate(withBase(config))).as(config.toString())
                .isEqualTo(ALPHA + OWNERSHIP + reason));

        // Existing accounts, by name and by id, connect.
        created(withBase(Configuration.newBuilder().setDefaultOwner(user).setDefaultGroup(group)));
        created(withBase(Configuration.newBuilder().setDefaultOwner("id:" + uid).setDefaultGroup("id:0")));

        // Endpoint-specific owners win over the session's and are checked for their endpoint only.
        assertThat(failedCreate(TestClient.localSpec("").setConfigurationBeta(
                Configuration.newBuilder().setDefaultOwner("no-such-user-xyz"))))
                .isEqualTo(BETA + OWNERSHIP + "unable to lookup user by ID: user: unknown user no-such-user-xyz");
        assertThat(failedCreate(TestClient.localSpec("").setConfigurationAlpha(
                Configuration.newBuilder().setDefaultGroup("no-such-group-xyz"))))
                .isEqualTo(ALPHA + OWNERSHIP + "unable to lookup group by ID: group: unknown group no-such-group-xyz");
        created(withBase(Configuration.newBuilder().setDefaultOwner("no-such-user-xyz"))
                .setConfigurationAlpha(Configuration.newBuilder().setDefaultOwner(user))
                .setConfigurationBeta(Configuration.newBuilder().setDefaultOwner("id:" + uid)));
        // The ignorer is built before the ownership specification.
        assertThat(failedCreate(withBase(Configuration.newBuilder().setDefaultOwner("no-such-user-xyz").addIgnores(""))))
                .isEqualTo(ALPHA + MUTAGEN + "empty pattern");
    }

    @Test
    void mutagenStyleIgnores() {
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("", "empty pattern");
        failures.put("!", "negated empty pattern");
        failures.put("/", "root pattern");
        failures.put("!/", "root pattern");
        failures.put("/..", "root pattern"); // cleaned first
        failures.put("//", "root directory pattern");
        failures.put("/./", "root directory pattern");
        failures.put("!///", "root directory pattern");
        failures.put("[", BAD);
        failures.put("[]", BAD);
        failures.put("*.[", BAD);
        failures.put("{a,b", BAD);
        failures.put("}", BAD);
        failures.put("build/}", BAD);
        failures.put("trailing\\", BAD);
        failures.forEach((pattern, reason) -> assertThat(failedCreate(withBase(Configuration.newBuilder()
                .addIgnores(pattern)))).as(pattern).isEqualTo(ALPHA + MUTAGEN + reason));
        // Default ignores come first; the first bad pattern is reported.
        assertThat(failedCreate(withBase(Configuration.newBuilder().addIgnores("[").addDefaultIgnores("!"))))
                .isEqualTo(ALPHA + MUTAGEN + "negated empty pattern");
        // Malformed parts the matcher never reaches against "a" are not noticed, as in doublestar.
        created(withBase(Configuration.newBuilder().addAllIgnores(List.of("*.log", "node_modules/", "!keep", "/build",
                "**/tmp/**", "{a,[}", "[z-a]", "a/..", "\\}", "[!x]"))));
    }

    @Test
    void dockerStyleIgnores() {
        Configuration.Builder docker = Configuration.newBuilder().setIgnoreSyntax(Syntax.SyntaxDocker);
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("dir\\file", "escape sequences and backslash-separated paths disallowed in portable "
                + ".dockerignore patterns");
        failures.put("  \t", "whitespace-only pattern");
        failures.put("", "whitespace-only pattern");
        failures.put("! ", "whitespace-only negated pattern");
        failures.put("/", "root pattern");
        failures.put(" /a/.. ", "root pattern");
        failures.put("[", "syntax error in pattern");
        failures.put("x[^]", "syntax error in pattern");
        failures.put("[z-a]", "syntax error in pattern"); // accepted by filepath.Match, refused as a regexp
        failures.put("[[:nope:]]", "syntax error in pattern");
        failures.forEach((pattern, reason) -> assertThat(failedCreate(withBase(docker.clone().addIgnores(pattern))))
                .as(pattern).isEqualTo(ALPHA + DOCKER + reason));
        // Mutagen's clean-up runs over every pattern before any is matched.
        assertThat(failedCreate(withBase(docker.clone().addIgnores("[").addIgnores(" "))))
                .isEqualTo(ALPHA + DOCKER + "whitespace-only pattern");
        created(withBase(docker.clone().addAllIgnores(List.of("*.log", "!keep.log", " ! spaced ", "**/tmp", "/build/",
                "[[:alpha:]]", "[*]", "a]"))).setName("dockerSyntax"));
    }

    @Test
    void dockerEndpoints() {
        URL web = URL.newBuilder().setProtocol(Protocol.Docker).setHost("web").setPath("/srv/app").build();
        String none = "container probing failed under POSIX hypothesis (" + NO_DOCKER + ") and Windows hypothesis ("
                + NO_DOCKER + ")";
        assertThat(failedCreate(spec(local("/tmp/alpha"), web))).isEqualTo(BETA + PROBE + none);
        String tcp = "Cannot connect to the Docker daemon at tcp://10.0.0.9:2375. Is the docker daemon running?";
        assertThat(failedCreate(spec(web.toBuilder().putEnvironment("DOCKER_HOST", "tcp://10.0.0.9:2375").build(),
                local("/tmp/beta")))).isEqualTo(ALPHA + PROBE + "container probing failed under POSIX hypothesis ("
                + tcp + ") and Windows hypothesis (" + tcp + ")");
        String flag = "Cannot connect to the Docker daemon at unix:///run/other.sock. Is the docker daemon running?";
        assertThat(failedCreate(spec(web.toBuilder().putParameters("host", "unix:///run/other.sock")
                .putEnvironment("DOCKER_HOST", "tcp://10.0.0.9:2375").build(), local("/tmp/beta"))))
                .isEqualTo(ALPHA + PROBE + "container probing failed under POSIX hypothesis (" + flag
                        + ") and Windows hypothesis (" + flag + ")");
        // Parameters are turned into daemon flags before anything is dialed (and before any message).
        int before = host.messages().size();
        String transport = "unable to create Docker transport: unable to compute Docker daemon connection flags: ";
        assertThat(failedCreate(spec(web.toBuilder().putParameters("colour", "blue").build(), local("/tmp/beta"))))
                .isEqualTo(ALPHA + transport + "unknown parameter: colour");
        assertThat(failedCreate(spec(web.toBuilder().putParameters("context", "").build(), local("/tmp/beta"))))
                .isEqualTo(ALPHA + transport + "context parameter has empty value");
        assertThat(failedCreate(spec(web.toBuilder().putParameters("tlscacert", "").build(), local("/tmp/beta"))))
                .isEqualTo(ALPHA + transport + "tlacacert parameter has empty value");
        assertThat(failedCreate(spec(web.toBuilder().putParameters("tlsverify", "yes").build(), local("/tmp/beta"))))
                .isEqualTo(ALPHA + transport + "tlsverify parameter has non-empty value");
        assertThat(host.messages().subList(before, host.messages().size())).containsExactly("M Creating session...",
                "M Creating session...", "M Creating session...", "M Creating session...");

        // A reachable Docker: scripted containers connect, stopped ones and unknown names do not.
        fake.daemon().docker().container("web");
        fake.daemon().docker().container("stopped").running(false);
        created(spec(web, local("/tmp/beta")).setName("inDocker"));
        assertThat(failedCreate(spec(local("/tmp/alpha"), web.toBuilder().setHost("stopped").build())))
                .isEqualTo(BETA + PROBE + "container not running");
        assertThat(failedCreate(spec(local("/tmp/alpha"), web.toBuilder().setHost("gone").build())))
                .isEqualTo(BETA + PROBE + "container does not exist");
        // The agent builds the endpoint inside the container and refuses bad ignores there. Local alpha goes first.
        assertThat(failedCreate(spec(web, local("/tmp/beta")).setConfiguration(Configuration.newBuilder()
                .addIgnores("["))))
                .isEqualTo(ALPHA + "remote error: unable to create underlying endpoint: unable to create Mutagen-style "
                        + "ignorer: unable to parse pattern: " + BAD);
        assertThat(failedCreate(spec(local("/tmp/alpha"), web).setConfiguration(Configuration.newBuilder()
                .addIgnores("["))))
                .isEqualTo(ALPHA + MUTAGEN + BAD);
    }

    @Test
    void sshEndpoints() {
        URL ssh = URL.newBuilder().setProtocol(Protocol.SSH).setUser("dev").setHost("remote.example")
                .setPath("/srv/copy").build();
        int before = host.messages().size();
        assertThat(failedCreate(spec(local("/tmp/alpha"), ssh.toBuilder().putParameters("x", "y").build())))
                .isEqualTo(BETA + "SSH URL contains internal parameters");
        assertThat(host.messages().subList(before, host.messages().size())).containsExactly("M Creating session...");
        assertThat(failedCreate(spec(ssh, local("/tmp/beta")).setConfiguration(Configuration.newBuilder()
                .setIgnoreSyntax(Syntax.SyntaxDocker).addIgnores("/"))))
                .isEqualTo(ALPHA + "remote error: unable to create underlying endpoint: unable to create Docker-style "
                        + "ignorer: unable to construct pattern matcher: root pattern");
        // Owners and groups of a remote endpoint belong to the remote machine: not checked here.
        created(spec(ssh, local("/tmp/beta")).setConfigurationAlpha(Configuration.newBuilder()
                .setDefaultOwner("no-such-user-xyz")));
    }

    @Test
    void aPausedCreationConnectsNothingAndResumeReportsTheFailure() {
        String owner = OWNERSHIP + "unable to lookup user by ID: user: unknown user no-such-user-xyz";
        String id = created(withBase(Configuration.newBuilder().setDefaultOwner("no-such-user-xyz"))
                .setName("pausedOwner").setPaused(true));
        assertThat(fake.daemon().session("pausedOwner").state().getSession().getPaused()).isTrue();
        assertThat(error(() -> c.sync().resume(ResumeRequest.newBuilder().setPrompter(host.id())
                .setSelection(TestClient.spec(id)).build()))).isEqualTo("unable to resume session: " + ALPHA + owner);
        // As with any failed Resume: unpaused, stuck connecting, lastError empty.
        var state = fake.daemon().session("pausedOwner").state();
        assertThat(state.getSession().getPaused()).isFalse();
        assertThat(state.getStatus()).isEqualTo(Status.ConnectingAlpha);
        assertThat(state.getLastError()).isEmpty();

        URL web = URL.newBuilder().setProtocol(Protocol.Docker).setHost("web").setPath("/srv/app").build();
        String docker = created(spec(local("/tmp/alpha"), web).setName("pausedDocker").setPaused(true));
        assertThat(error(() -> c.sync().resume(ResumeRequest.newBuilder().setPrompter(host.id())
                .setSelection(TestClient.spec(docker)).build()))).isEqualTo("unable to resume session: " + BETA + PROBE
                + "container probing failed under POSIX hypothesis (" + NO_DOCKER + ") and Windows hypothesis ("
                + NO_DOCKER + ")");
        assertThat(fake.daemon().session("pausedDocker").state().getStatus()).isEqualTo(Status.ConnectingBeta);
    }

    // ---------------------------------------------------------------- this machine's accounts

    private static Set<String> column(String file, int index) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(Path.of(file))) {
            String[] parts = line.trim().split(":");
            if (parts.length > index && !line.trim().startsWith("#")) {
                out.add(parts[index]);
            }
        }
        return out;
    }

    private static String unused(Set<String> taken, String also) {
        for (long id = 4242; ; id++) {
            String s = Long.toString(id);
            if (!taken.contains(s) && !s.equals(also)) {
                return s;
            }
        }
    }

    private static String passwdName(String uid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] parts = line.trim().split(":");
            if (parts.length > 2 && parts[2].equals(uid)) {
                return parts[0];
            }
        }
        return System.getenv("USER");
    }
}

package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.error;
import static dev.mutagenws.testkit.TestClient.local;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent-install path over SSH, message by message and prompt by prompt as in the captures
 * (ssh-host-key.jsonl seq 2-4, ssh-password.jsonl seq 2-5), plus OpenSSH's host-key confirmation loop.
 */
class SshAgentInstallTest {
    @RegisterExtension
    FakeDaemonExtension fake = FakeDaemonExtension.perTest().configure(b -> b.manualLifecycle(true));

    static final String FINGERPRINT = "SHA256:rnXVpPIlH2Tlc59Pyi/H46QgDrnXLGBCERg3odvPsTQ";
    static final String HOST_KEY_PROMPT = "P The authenticity of host '[localhost]:2222 ([127.0.0.1]:2222)' can't be "
            + "established.\nED25519 key fingerprint is " + FINGERPRINT + ".\nThis key is not known by any other "
            + "names.\nAre you sure you want to continue connecting (yes/no/[fingerprint])? ";
    static final String PW = "P root@127.0.0.1's password: ";
    static final String CREATING = "M Creating session...";
    static final String CONNECTING = "M Connecting to agent (POSIX)...";
    static final String PROBING = "M Probing endpoint (POSIX)...";
    static final String EXTRACTING = "M Extracting agent...";
    static final String COPYING = "M Copying agent...";
    static final String INSTALLING = "M Installing agent...";
    static final String DIAL = "unable to connect to beta: unable to connect to endpoint: unable to dial agent endpoint: ";
    static final String HANDSHAKE = DIAL + "unable to handshake with agent process: unable to receive server magic "
            + "number: EOF (error output: ";
    static final String DENIED = HANDSHAKE + "Permission denied, please try again.\\r\nPermission denied, please try "
            + "again.\\r\nroot@127.0.0.1: Permission denied (publickey,password).)";

    static URL beta(String user, String host, int port, String path) {
        return URL.newBuilder().setProtocol(Protocol.SSH).setUser(user).setHost(host).setPort(port).setPath(path)
                .build();
    }

    @Test
    void freshRemoteWithUnknownHostKeyAsCaptured(FakeDaemon daemon) throws Exception {
        SshHost host = daemon.ssh().host("localhost").address("127.0.0.1").unknownHostKey(FINGERPRINT)
                .agentInstalled(false);
        try (TestClient c = new TestClient(daemon.socketPath())) {
            try (TestClient.Host h = c.host(true, "no")) { // seq 2
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/home/dev/alpha1"),
                        beta("root", "localhost", 2222, "/srv/remote/one")).setName("hostkeyno"))))
                        .isEqualTo(HANDSHAKE + "Host key verification failed.)");
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, HOST_KEY_PROMPT);
            }
            assertThat(host.hostKeyKnown()).isFalse();
            assertThat(host.agentInstalled()).isFalse();
            try (TestClient.Host h = c.host(true, "yes")) { // seq 3: one host-key prompt for all five processes
                c.create(h.id(), TestClient.spec(local("/home/dev/alpha1"),
                        beta("root", "localhost", 2222, "/srv/remote/one")).setName("hostkey"));
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, HOST_KEY_PROMPT, PROBING, EXTRACTING,
                        COPYING, INSTALLING, CONNECTING);
            }
            assertThat(host.agentInstalled()).isTrue();
            try (TestClient.Host h = c.host(true)) { // seq 4: key known, agent installed
                c.create(h.id(), TestClient.spec(local("/home/dev/alpha2"),
                        beta("root", "localhost", 2222, "/srv/remote/two")).setName("hostkey2"));
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING);
            }
            assertThat(daemon.sessions()).extracting(s -> s.getSession().getName())
                    .containsExactly("hostkey", "hostkey2");
        }
    }

    @Test
    void freshRemoteWithPasswordAuthPromptsOncePerProcess(FakeDaemon daemon) throws Exception {
        daemon.ssh().host("pwhost").address("127.0.0.1").password("tracer-pass-1").agentInstalled(false);
        try (TestClient c = new TestClient(daemon.socketPath())) {
            try (TestClient.Host h = c.host(true, "tracer-pass-1", "tracer-pass-1", "tracer-pass-1", "tracer-pass-1",
                    "tracer-pass-1")) { // seq 2
                c.create(h.id(), TestClient.spec(local("/home/dev/alpha1"), beta("root", "pwhost", 0, "/srv/remote/pw1"))
                        .setName("pw1"));
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, PW, PROBING, PW, EXTRACTING, COPYING, PW,
                        INSTALLING, PW, CONNECTING, PW);
            }
            try (TestClient.Host h = c.host(true, "tracer-pass-1")) { // seq 3
                c.create(h.id(), TestClient.spec(local("/home/dev/alpha2"), beta("root", "pwhost", 0, "/srv/remote/pw2"))
                        .setName("pw2"));
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, PW);
            }
        }
    }

    /** Right passwords up to ssh/scp process {@code step}, then wrong (empty) ones: where the install path stops. */
    @Test
    void wrongPasswordAtEachStepOfTheInstall(FakeDaemon daemon) throws Exception {
        String install = DIAL + "unable to install agent: ";
        List<List<String>> sequences = List.of(
                List.of(CREATING, CONNECTING, PW, PW, PW),
                List.of(CREATING, CONNECTING, PW, PROBING, PW, PW, PW, "M Probing endpoint (Windows)...", PW, PW, PW),
                List.of(CREATING, CONNECTING, PW, PROBING, PW, EXTRACTING, COPYING, PW, PW, PW),
                List.of(CREATING, CONNECTING, PW, PROBING, PW, EXTRACTING, COPYING, PW, INSTALLING, PW, PW, PW),
                List.of(CREATING, CONNECTING, PW, PROBING, PW, EXTRACTING, COPYING, PW, INSTALLING, PW, CONNECTING,
                        PW, PW, PW));
        List<String> errors = List.of(
                DENIED,
                install + "unable to probe remote platform: exhausted probing methods",
                install + "unable to copy agent binary: unable to run SCP process: Permission denied, please try "
                        + "again.\\r\nPermission denied, please try again.\\r\nroot@127.0.0.1: Permission denied "
                        + "(publickey,password).",
                install + "unable to invoke agent installation: exit status 255",
                DENIED);
        List<Boolean> installedAfter = List.of(false, false, false, false, true);
        try (TestClient c = new TestClient(daemon.socketPath())) {
            for (int step = 0; step < sequences.size(); step++) {
                daemon.ssh().clear();
                SshHost host = daemon.ssh().host("pwhost").address("127.0.0.1").password("tracer-pass-1")
                        .agentInstalled(false);
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < step; i++) {
                    answers.add("tracer-pass-1");
                }
                long index = daemon.stateIndex();
                try (TestClient.Host h = c.host(true, answers.toArray(String[]::new))) {
                    assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"),
                            beta("root", "pwhost", 0, "/srv/remote/pw3")))))
                            .as("error when process %d is refused", step).isEqualTo(errors.get(step));
                    assertThat(h.messages()).as("exchanges when process %d is refused", step)
                            .containsExactlyElementsOf(sequences.get(step));
                }
                assertThat(host.agentInstalled()).as("installed after failing at %d", step)
                        .isEqualTo(installedAfter.get(step));
                assertThat(daemon.sessions()).isEmpty();
                assertThat(daemon.stateIndex()).isEqualTo(index);
            }
            // The install of the last round stuck: the next connection needs a single password.
            try (TestClient.Host h = c.host(true, "tracer-pass-1")) {
                c.create(h.id(), TestClient.spec(local("/a"), beta("root", "pwhost", 0, "/srv/remote/pw3")));
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, PW);
            }
        }
    }

    @Test
    void hostKeyAnswersOtherThanYesOrNoAreAskedAgain(FakeDaemon daemon) throws Exception {
        daemon.ssh().host("localhost").address("127.0.0.1").unknownHostKey(FINGERPRINT);
        String again = "P Please type 'yes', 'no' or the fingerprint: ";
        URL beta = beta("root", "localhost", 2222, "/srv/remote/one");
        try (TestClient c = new TestClient(daemon.socketPath())) {
            try (TestClient.Host h = c.host(true, "maybe", "sure", "No")) {
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), beta))))
                        .isEqualTo(HANDSHAKE + "Host key verification failed.)");
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, HOST_KEY_PROMPT, again, again);
            }
            try (TestClient.Host h = c.host(true, "maybe", "")) { // an empty answer is a no
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), beta))))
                        .isEqualTo(HANDSHAKE + "Host key verification failed.)");
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, HOST_KEY_PROMPT, again);
            }
            try (TestClient.Host h = c.host(true, "SHA256:wrong", FINGERPRINT)) { // the fingerprint accepts
                c.create(h.id(), TestClient.spec(local("/a"), beta));
                assertThat(h.messages()).containsExactly(CREATING, CONNECTING, HOST_KEY_PROMPT, again);
            }
            assertThat(daemon.ssh().host("localhost").hostKeyKnown()).isTrue();
        }
    }

    @Test
    void hostKeyYesIsCaseInsensitive(FakeDaemon daemon) throws Exception {
        daemon.ssh().host("localhost").address("127.0.0.1").unknownHostKey(FINGERPRINT);
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true, "YES")) {
            c.create(h.id(), TestClient.spec(local("/a"), beta("root", "localhost", 2222, "/srv/remote/one")));
            assertThat(h.messages()).containsExactly(CREATING, CONNECTING, HOST_KEY_PROMPT);
        }
    }

    @Test
    void aUrlWithoutUserPromptsForTheLocalUser(FakeDaemon daemon) throws Exception {
        daemon.ssh().host("pwhost").address("127.0.0.1").password("tracer-pass-1");
        String saved = System.getProperty("user.name");
        System.setProperty("user.name", "tracer"); // not "root", whoever runs the build
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true, "x", "y", "z")) {
            assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), beta("", "pwhost", 0, "/srv/x")))))
                    .endsWith("\\r\ntracer@127.0.0.1: Permission denied (publickey,password).)");
            assertThat(h.messages()).containsExactly(CREATING, CONNECTING, "P tracer@127.0.0.1's password: ",
                    "P tracer@127.0.0.1's password: ", "P tracer@127.0.0.1's password: ");
        } finally {
            System.setProperty("user.name", saved);
        }
    }
}

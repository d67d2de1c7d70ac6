package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.error;
import static dev.mutagenws.testkit.TestClient.local;
import static dev.mutagenws.testkit.TestClient.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.proto.service.prompting.HostRequest;
import dev.mutagenws.proto.service.prompting.PromptRequest;
import dev.mutagenws.proto.service.prompting.PromptingGrpc;
import dev.mutagenws.proto.service.synchronization.PauseRequest;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PromptingTest {
    @RegisterExtension
    FakeDaemonExtension fake = FakeDaemonExtension.perTest().configure(b -> b.manualLifecycle(true));

    private static final String DIAL = "unable to connect to beta: unable to connect to endpoint: unable to dial agent "
            + "endpoint: ";
    private static final String HANDSHAKE = DIAL + "unable to handshake with agent process: unable to receive server "
            + "magic number: EOF (error output: ";

    static URL ssh(String user, String host, int port) {
        return URL.newBuilder().setProtocol(Protocol.SSH).setUser(user).setHost(host).setPort(port).setPath("/srv/x")
                .build();
    }

    @Test
    void hostProtocolMessagesPromptsAndUnregistration(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            TestClient.Host h = c.host(true, "answer");
            assertThat(h.id()).startsWith("pmtr_").hasSize(48);
            assertThat(daemon.prompters()).containsExactly(h.id());
            PromptingGrpc.PromptingBlockingStub prompting = PromptingGrpc.newBlockingStub(c.channel);
            assertThat(prompting.prompt(PromptRequest.newBuilder().setPrompter(h.id()).setPrompt("q? ").build())
                    .getResponse()).isEqualTo("answer");
            assertThat(h.messages()).containsExactly("P q? ");
            assertThat(error(() -> prompting.prompt(PromptRequest.newBuilder().setPrompt("q").build())))
                    .isEqualTo("invalid prompt request: empty prompter identifier");

            TestClient.Host messagesOnly = c.host(false);
            assertThat(error(() -> prompting.prompt(PromptRequest.newBuilder().setPrompter(messagesOnly.id())
                    .setPrompt("q").build()))).isEqualTo("unable to prompt: unable to prompt: prompter only supports messaging");
            messagesOnly.close();

            // Half-close does not end hosting; cancelling does.
            h.requests.onCompleted();
            assertThat(daemon.prompters()).contains(h.id());
            h.requests.cancel("done", null);
            assertThat(daemon.awaitCancelled("Host", 2, Duration.ofSeconds(5))).isTrue();
            assertThat(daemon.prompters()).isEmpty();
            assertThat(error(() -> prompting.prompt(PromptRequest.newBuilder().setPrompter(h.id()).setPrompt("q")
                    .build()))).isEqualTo("unable to prompt: prompter not found");
        }
    }

    @Test
    void invalidInitialRequestAndBadAcknowledgement(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            TestClient.Host bad = new TestClient.Host();
            PromptingGrpc.newStub(c.channel).host(bad);
            bad.send(HostRequest.newBuilder().setResponse("x").build());
            Throwable t = bad.ended.get(5, TimeUnit.SECONDS);
            assertThat(((StatusRuntimeException) t).getStatus().getDescription())
                    .isEqualTo("received invalid initial request: unexpected response value on initial request");

            TestClient.Host h = c.host(true);
            h.autoReply = false;
            CompletableFuture<String> create = CompletableFuture.supplyAsync(() -> c.create(h.id(),
                    TestClient.spec(local("/a"), ssh("", "remote", 0))));
            waitFor(() -> h.messages().size() == 1);
            h.send(HostRequest.newBuilder().setResponse("nope").build()); // a message must be acked with {}
            StatusRuntimeException e = (StatusRuntimeException) catchCause(create);
            assertThat(e.getStatus().getDescription()).isEqualTo(
                    DIAL + "unable to message prompter: prompter encountered previous error");
            h.close();
        }
    }

    @Test
    void unknownPrompterIsIgnoredLocallyButFatalForSsh(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            String id = c.create("pmtr_doesnotexist", TestClient.localSpec("u"));
            c.sync().pause(PauseRequest.newBuilder().setPrompter("pmtr_doesnotexist").setSelection(spec(id)).build());
            assertThat(error(() -> c.create("pmtr_doesnotexist", TestClient.spec(local("/a"), ssh("root", "h", 22)))))
                    .isEqualTo(DIAL + "unable to message prompter: prompter not found");
            assertThat(daemon.sessions()).hasSize(1);
        }
    }

    @Test
    void sshPasswordRightAndWrong(FakeDaemon daemon) throws Exception {
        daemon.ssh().host("pwhost").address("127.0.0.1").password("tracer-pass-1");
        try (TestClient c = new TestClient(daemon.socketPath())) {
            try (TestClient.Host h = c.host(true, "tracer-pass-1")) {
                c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "pwhost", 2222)).setName("pw1"));
                assertThat(h.messages()).containsExactly("M Creating session...", "M Connecting to agent (POSIX)...",
                        "P root@127.0.0.1's password: ");
            }
            try (TestClient.Host h = c.host(true, "wrong-1", "wrong-2", "")) {
                long index = daemon.stateIndex();
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "pwhost", 2222)))))
                        .isEqualTo(HANDSHAKE + "Permission denied, please try again.\\r\nPermission denied, please "
                                + "try again.\\r\nroot@127.0.0.1: Permission denied (publickey,password).)");
                assertThat(h.messages()).filteredOn(m -> m.startsWith("P ")).hasSize(3);
                assertThat(daemon.stateIndex()).isEqualTo(index);
                assertThat(daemon.sessions()).hasSize(1);
            }
            daemon.runPendingSteps();
            try (TestClient.Host h = c.host(false)) {
                c.sync().pause(PauseRequest.newBuilder().setPrompter(h.id()).setSelection(spec("pw1")).build());
            }
            try (TestClient.Host h = c.host(true, "bad", "bad", "bad")) {
                assertThat(error(() -> c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id())
                        .setSelection(spec("pw1")).build()))).startsWith("unable to resume session: " + HANDSHAKE);
                String id = daemon.session("pw1").id();
                assertThat(h.messages()).startsWith("M Resuming session " + id + "...", "M Connecting to agent (POSIX)...");
            }
            State s = daemon.session("pw1").state();
            assertThat(s.getSession().getPaused()).isFalse();
            assertThat(s.getStatus()).isEqualTo(Status.ConnectingBeta);
            assertThat(s.getAlphaState().getConnected()).isTrue();
            assertThat(s.getBetaState().getConnected()).isFalse();
            assertThat(s.getLastError()).isEmpty();
            try (TestClient.Host h = c.host(true, "tracer-pass-1")) {
                c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id()).setSelection(spec("pw1")).build());
                assertThat(daemon.session("pw1").state().getStatus()).isEqualTo(Status.Watching);
            }
        }
    }

    @Test
    void sshHostKeyPromptAndUnreachableHost(FakeDaemon daemon) throws Exception {
        daemon.ssh().host("localhost").address("127.0.0.1").unknownHostKey("SHA256:rnXVpPIlH2Tlc59Pyi/H46QgDrnXLGBCERg3odvPsTQ");
        daemon.ssh().host("down").address("127.0.0.1").unreachable(true);
        String prompt = "The authenticity of host '[localhost]:2222 ([127.0.0.1]:2222)' can't be established.\n"
                + "ED25519 key fingerprint is SHA256:rnXVpPIlH2Tlc59Pyi/H46QgDrnXLGBCERg3odvPsTQ.\n"
                + "This key is not known by any other names.\n"
                + "Are you sure you want to continue connecting (yes/no/[fingerprint])? ";
        try (TestClient c = new TestClient(daemon.socketPath())) {
            try (TestClient.Host h = c.host(true, "no")) {
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "localhost", 2222)))))
                        .isEqualTo(HANDSHAKE + "Host key verification failed.)");
                assertThat(h.messages()).containsExactly("M Creating session...", "M Connecting to agent (POSIX)...",
                        "P " + prompt);
            }
            try (TestClient.Host h = c.host(false)) { // prompts not allowed: the question cannot be asked
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "localhost", 2222)))))
                        .isEqualTo(HANDSHAKE + "Host key verification failed.)");
            }
            try (TestClient.Host h = c.host(true, "yes")) {
                c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "localhost", 2222)));
            }
            try (TestClient.Host h = c.host(true)) {
                c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "localhost", 2222)));
                assertThat(h.messages()).containsExactly("M Creating session...", "M Connecting to agent (POSIX)...");
                assertThat(error(() -> c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "down", 2999)))))
                        .isEqualTo(HANDSHAKE + "ssh: connect to host 127.0.0.1 port 2999: Connection refused)");
                String paused = c.create(h.id(), TestClient.spec(local("/a"), ssh("root", "down", 2999)).setPaused(true));
                assertThat(daemon.session(paused).state().getSession().getPaused()).isTrue();
            }
        }
    }

    private static Throwable catchCause(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }
}

package dev.mutagenws.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.prompting.PromptException;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.prompting.HostRequest;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.Endpoint;
import dev.mutagenws.testkit.FakeDaemon;
import dev.mutagenws.testkit.RecordedRequest;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every RPC through {@link MutagenDaemon} against the FakeDaemon on a real Unix socket. */
class MutagenDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeDaemon fake;
    private MutagenDaemon client;

    @BeforeEach
    void connect() {
        fake = FakeDaemon.builder().build().start();
        client = MutagenDaemon.builder().socket(fake.socketPath()).build();
    }

    @AfterEach
    void close() {
        client.close();
        fake.close();
    }

    static CreationSpecification local(String name) {
        return CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/alpha-" + name))
                .setBeta(URL.newBuilder().setPath("/tmp/beta-" + name))
                .setName(name)
                .putAllLabels(Map.of("team", "web"))
                .build();
    }

    static CreationSpecification ssh(String name, String host) {
        return CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/alpha-" + name))
                .setBeta(URL.newBuilder().setProtocol(Protocol.SSH).setUser("alice").setHost(host).setPath("~/b"))
                .setName(name)
                .build();
    }

    /** Records messages; answers prompts from a script. */
    static class ScriptedPrompter implements Prompter {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> prompts = new CopyOnWriteArrayList<>();
        private final List<String> answers;

        ScriptedPrompter(String... answers) {
            this.answers = new CopyOnWriteArrayList<>(answers);
        }

        @Override
        public Mono<Void> message(String text) {
            return Mono.fromRunnable(() -> messages.add(text));
        }

        @Override
        public Mono<String> prompt(String text) {
            prompts.add(text);
            return answers.isEmpty() ? Mono.never() : Mono.just(answers.remove(0));
        }
    }

    @Test
    void versionIsTheDaemons() throws Exception {
        StepVerifier.create(client.version())
                .expectNext(new DaemonVersion(0, 18, 1, ""))
                .verifyComplete();
    }

    @Test
    void createSendsTheCreationMessageAndTheSessionAppearsInList() throws Exception {
        ScriptedPrompter prompter = new ScriptedPrompter();
        String id = client.create(local("web"), prompter).block(WAIT);
        assertThat(id).matches("sync_[0-9a-zA-Z]{43}");
        assertThat(prompter.messages).containsExactly("Creating session...");

        StepVerifier.create(client.list(SessionSelection.of("web"), 0))
                .assertNext(r -> {
                    assertThat(r.getStateIndex()).isGreaterThan(1);
                    assertThat(r.getSessionStatesList()).extracting(s -> s.getSession().getIdentifier())
                            .containsExactly(id);
                    State state = r.getSessionStates(0);
                    assertThat(state.getSession().getLabelsMap()).containsEntry("team", "web");
                    // The client fills in the three configurations, as the CLI does.
                    assertThat(state.getSession().hasConfiguration()).isTrue();
                    assertThat(state.getSession().hasConfigurationAlpha()).isTrue();
                    assertThat(state.getSession().hasConfigurationBeta()).isTrue();
                })
                .verifyComplete();
        // The prompter was hosted only for the operation.
        assertThat(fake.prompters()).isEmpty();
    }

    @Test
    void longPollBlocksUntilAChangeAndReturnsTheNewIndex() throws Exception {
        String id = client.create(local("poll"), Prompter.silent()).block(WAIT);
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        long index = client.list(SessionSelection.all(), 0).block(WAIT).getStateIndex();

        StepVerifier.create(client.list(SessionSelection.all(), index))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(300))
                .then(() -> fake.session(id).lastError("boom"))
                .assertNext(r -> {
                    assertThat(r.getStateIndex()).isEqualTo(index + 1);
                    assertThat(r.getSessionStates(0).getLastError()).isEqualTo("boom");
                })
                .verifyComplete();
    }

    @Test
    void anIndexOtherThanTheCurrentOneAnswersAtOnce() throws Exception {
        long index = client.list(SessionSelection.all(), 0).block(WAIT).getStateIndex();
        StepVerifier.create(client.list(SessionSelection.all(), index + 1000))
                .assertNext(r -> assertThat(r.getStateIndex()).isEqualTo(index))
                .verifyComplete();
    }

    @Test
    void cancellingALongPollCancelsTheCallInTheDaemon() throws Exception {
        long index = client.list(SessionSelection.all(), 0).block(WAIT).getStateIndex();
        Disposable poll = client.list(SessionSelection.all(), index).subscribe();
        assertThat(awaitCondition(() -> fake.blockedListCalls() == 1)).isTrue();
        poll.dispose();
        assertThat(fake.awaitCancelled("List", WAIT)).isTrue();
        assertThat(awaitCondition(() -> fake.blockedListCalls() == 0)).isTrue();
    }

    @Test
    void selectionErrorsCarryTheDaemonsExactText() throws Exception {
        StepVerifier.create(client.pause(SessionSelection.of("nosuch"), Prompter.silent()))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DaemonOperationException.class);
                    assertThat(((DaemonOperationException) e).daemonMessage()).isEqualTo(
                            "unable to locate requested sessions: specification \"nosuch\" did not match any sessions");
                    assertThat(((DaemonOperationException) e).reason())
                            .isEqualTo(DaemonOperationException.Reason.NOT_FOUND);
                })
                .verify(WAIT);
        StepVerifier.create(client.list(SessionSelection.labels("a b"), 0))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DaemonOperationException.class)
                        .hasMessage("unable to locate requested sessions: unable to parse label selector: unable to"
                                + " parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'")
                        .extracting(r -> ((DaemonOperationException) r).reason())
                        .isEqualTo(DaemonOperationException.Reason.FAILED))
                .verify(WAIT);
        // A label selector that matches nothing is an empty success.
        StepVerifier.create(client.list(SessionSelection.labels("team=nobody"), 0))
                .assertNext(r -> assertThat(r.getSessionStatesList()).isEmpty())
                .verifyComplete();
    }

    @Test
    void createValidationErrorsCarryTheDaemonsExactText() throws Exception {
        CreationSpecification relative = local("rel").toBuilder().setAlpha(URL.newBuilder().setPath("relative")).build();
        StepVerifier.create(client.create(relative, Prompter.silent()))
                .expectErrorMessage("invalid create request: invalid creation specification: invalid alpha URL:"
                        + " local URL with relative path")
                .verify(WAIT);
        assertThat(fake.sessions()).isEmpty();
    }

    @Test
    void pauseResumeFlushResetTerminateHaveTheirEffectsAndMessages() throws Exception {
        String id = client.create(local("ops"), Prompter.silent()).block(WAIT);
        assertThat(fake.awaitIdle(WAIT)).isTrue();

        ScriptedPrompter pause = new ScriptedPrompter();
        StepVerifier.create(client.pause(SessionSelection.of(id), pause)).verifyComplete();
        assertThat(pause.messages).containsExactly("Pausing session " + id + "...");
        assertThat(state(id).getSession().getPaused()).isTrue();
        assertThat(state(id).getStatus()).isEqualTo(Status.Disconnected);

        StepVerifier.create(client.flush(SessionSelection.of(id), false, Prompter.silent()))
                .expectErrorMessage("unable to flush session: session is paused")
                .verify(WAIT);

        ScriptedPrompter resume = new ScriptedPrompter();
        StepVerifier.create(client.resume(SessionSelection.of(id), resume)).verifyComplete();
        assertThat(resume.messages).containsExactly("Resuming session " + id + "...");
        assertThat(state(id).getSession().getPaused()).isFalse();
        assertThat(fake.awaitIdle(WAIT)).isTrue();

        long cycles = state(id).getSuccessfulCycles();
        ScriptedPrompter flush = new ScriptedPrompter();
        StepVerifier.create(client.flush(SessionSelection.of(id), false, flush)).verifyComplete();
        assertThat(flush.messages).containsExactly("Forcing synchronization cycle for session " + id + "...");
        assertThat(state(id).getSuccessfulCycles()).isGreaterThan(cycles);

        ScriptedPrompter reset = new ScriptedPrompter();
        StepVerifier.create(client.reset(SessionSelection.of(id), reset)).verifyComplete();
        assertThat(reset.messages).containsExactly("Pausing session " + id + "...", "Resuming session " + id + "...");

        ScriptedPrompter terminate = new ScriptedPrompter();
        StepVerifier.create(client.terminate(SessionSelection.of(id), terminate)).verifyComplete();
        assertThat(terminate.messages).containsExactly("Terminating session " + id + "...");
        StepVerifier.create(client.list(SessionSelection.of(id), 0))
                .expectErrorMessage("unable to locate requested sessions: specification \"" + id
                        + "\" did not match any sessions")
                .verify(WAIT);
    }

    @Test
    void sshPasswordPromptAnsweredRightCreatesTheSession() throws Exception {
        fake.ssh().host("example.com").password("secret");
        ScriptedPrompter prompter = new ScriptedPrompter("secret");
        String id = client.create(ssh("remote", "example.com"), prompter).block(WAIT);
        assertThat(id).startsWith("sync_");
        assertThat(prompter.prompts).containsExactly("alice@example.com's password: ");
        assertThat(prompter.messages).containsExactly("Creating session...", "Connecting to agent (POSIX)...");
    }

    @Test
    void sshPasswordAnsweredWrongFailsWithTheDaemonsTextAndLeavesNothing() throws Exception {
        fake.ssh().host("example.com").password("secret");
        ScriptedPrompter prompter = new ScriptedPrompter("wrong", "wrong", "wrong");
        StepVerifier.create(client.create(ssh("remote", "example.com"), prompter))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DaemonOperationException.class)
                        .hasMessageStartingWith("unable to connect to beta: unable to connect to endpoint: unable to"
                                + " dial agent endpoint: unable to handshake with agent process: unable to receive"
                                + " server magic number: EOF (error output: Permission denied, please try again.")
                        .hasMessageEndingWith("alice@example.com: Permission denied (publickey,password).)")
                        .hasMessageNotContaining("wrong"))
                .verify(WAIT);
        assertThat(prompter.prompts).hasSize(3);
        assertThat(fake.sessions()).isEmpty();
    }

    @Test
    void aPrompterThatCannotAnswerFailsTheCreation() throws Exception {
        fake.ssh().host("example.com").password("secret");
        StepVerifier.create(client.create(ssh("remote", "example.com"), Prompter.silent()))
                .expectError(DaemonOperationException.class)
                .verify(WAIT);
        assertThat(fake.sessions()).isEmpty();
    }

    @Test
    void aFailingPromptFailsTheOperationWithAPromptException() throws Exception {
        fake.ssh().host("example.com").password("secret");
        Prompter failing = new ScriptedPrompter() {
            @Override
            public Mono<String> prompt(String text) {
                return Mono.error(new PromptException("nobody is there"));
            }
        };
        StepVerifier.create(client.create(ssh("remote", "example.com"), failing))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PromptException.class)
                        .hasMessage("nobody is there"))
                .verify(WAIT);
        // Hosting ends with the operation, and the failed creation leaves nothing behind.
        assertThat(awaitCondition(() -> fake.prompters().isEmpty())).isTrue();
        assertThat(fake.sessions()).isEmpty();
    }

    @Test
    void cancellingAnOperationWaitingOnAPromptCancelsTheCallAndTheHosting() throws Exception {
        fake.ssh().host("example.com").password("secret");
        ScriptedPrompter neverAnswers = new ScriptedPrompter();
        Disposable create = client.create(ssh("remote", "example.com"), neverAnswers).subscribe();
        assertThat(awaitCondition(() -> neverAnswers.prompts.size() == 1)).isTrue();
        assertThat(fake.prompters()).hasSize(1);
        create.dispose();
        assertThat(fake.awaitCancelled("Create", WAIT)).isTrue();
        assertThat(awaitCondition(() -> fake.prompters().isEmpty())).isTrue();
        assertThat(fake.sessions()).isEmpty();
    }

    @Test
    void aMissingSocketFailsFastWithATypedError(@TempDir Path dir) throws Exception {
        try (MutagenDaemon absent = MutagenDaemon.builder().socket(dir.resolve("daemon.sock")).build()) {
            StepVerifier.create(absent.version())
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(DaemonUnavailableException.class);
                        assertThat(((DaemonUnavailableException) e).reason())
                                .isEqualTo(DaemonUnavailableException.Reason.SOCKET_MISSING);
                        assertThat(e).hasMessageContaining("no socket at " + dir.resolve("daemon.sock"));
                    })
                    .verify(Duration.ofSeconds(3));
        }
    }

    @Test
    void callsRecoverAfterTheDaemonRestartsWithoutANewClient() throws Exception {
        FakeDaemon daemon = fake;
        client.create(local("survivor"), Prompter.silent()).block(WAIT);
        StepVerifier.create(client.version()).expectNextCount(1).verifyComplete();

        daemon.stop();
        StepVerifier.create(client.version())
                .expectError(DaemonUnavailableException.class)
                .verify(Duration.ofSeconds(3));

        daemon.restart();
        StepVerifier.create(client.list(SessionSelection.of("survivor"), 0))
                .assertNext(r -> assertThat(r.getSessionStatesCount()).isEqualTo(1))
                .verifyComplete();
    }

    @Test
    void aBlockedLongPollFailsAsConnectionLostWhenTheDaemonStops() throws Exception {
        long index = client.list(SessionSelection.all(), 0).block(WAIT).getStateIndex();
        AtomicBoolean blockedWhenStopped = new AtomicBoolean();
        StepVerifier.create(client.list(SessionSelection.all(), index))
                .expectSubscription()
                .then(() -> {
                    // Stop only once the List is parked in the daemon; the flag is checked after verify.
                    blockedWhenStopped.set(awaitCondition(() -> fake.blockedListCalls() == 1));
                    fake.stop();
                })
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DaemonUnavailableException.class);
                    assertThat(((DaemonUnavailableException) e).reason())
                            .isEqualTo(DaemonUnavailableException.Reason.CONNECTION_LOST);
                })
                .verify(WAIT);
        assertThat(blockedWhenStopped).as("the List was blocked in the daemon when it stopped").isTrue();
    }

    @Test
    void operationsHostPromptsOnlyWhereTheCliDoes() throws Exception {
        String id = client.create(local("hosting"), Prompter.silent()).block(WAIT);
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        SessionSelection one = SessionSelection.of(id);
        ScriptedPrompter asks = new ScriptedPrompter();
        // Flush, Pause and Terminate never need an answer: message-only, whatever the prompter can do.
        assertThat(allowPrompts(client.flush(one, false, asks))).isFalse();
        assertThat(allowPrompts(client.pause(one, asks))).isFalse();
        // Create, Resume and Reset allow prompts exactly when the prompter can answer.
        assertThat(allowPrompts(client.resume(one, asks))).isTrue();
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        assertThat(allowPrompts(client.reset(one, asks))).isTrue();
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        assertThat(allowPrompts(client.reset(one, Prompter.silent()))).isFalse();
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        assertThat(allowPrompts(client.pause(one, Prompter.silent()))).isFalse();
        assertThat(allowPrompts(client.resume(one, Prompter.silent()))).isFalse();
        assertThat(allowPrompts(client.create(local("a"), asks))).isTrue();
        assertThat(allowPrompts(client.create(local("b"), Prompter.silent()))).isFalse();
        assertThat(allowPrompts(client.terminate(SessionSelection.all(), asks))).isFalse();
        assertThat(fake.sessions()).isEmpty();
    }

    /**
     * Runs one operation and returns the allowPrompts flag of the Prompting.Host it opened: the first Host message
     * recorded (the ones after it are the empty acknowledgements of the daemon's messages).
     */
    private Boolean allowPrompts(Mono<?> operation) {
        fake.clearRequests();
        operation.block(WAIT);
        List<RecordedRequest> hosts = fake.requests("Host");
        assertThat(hosts).as("Host requests").isNotEmpty();
        assertThat(hosts.subList(1, hosts.size())).as("acknowledgements")
                .allSatisfy(r -> assertThat(r.message()).isEqualTo(HostRequest.getDefaultInstance()));
        return ((HostRequest) hosts.get(0).message()).getAllowPrompts();
    }

    @Test
    void aSocketFileWithNothingListeningFailsFastAsRefused(@TempDir Path dir) throws Exception {
        Path dead = dir.resolve("dead.sock");
        // A daemon that died without cleaning up: the socket file stays behind with no listener.
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dead));
        }
        assertThat(Files.exists(dead)).isTrue();
        Path regular = Files.writeString(dir.resolve("regular.sock"), "not a socket");
        for (Path socket : List.of(dead, regular)) {
            try (MutagenDaemon absent = MutagenDaemon.builder().socket(socket).build()) {
                long start = System.nanoTime();
                StepVerifier.create(absent.version())
                        .expectErrorSatisfies(e -> {
                            assertThat(e).isInstanceOf(DaemonUnavailableException.class);
                            assertThat(((DaemonUnavailableException) e).reason())
                                    .isEqualTo(DaemonUnavailableException.Reason.CONNECTION_REFUSED);
                            assertThat(e).hasMessageContaining("connection refused on " + socket);
                        })
                        .verify(Duration.ofSeconds(3));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(socket.toString())
                        .isLessThan(Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void aResponseOverTheMessageLimitFailsAsResourceExhausted() throws Exception {
        try (MutagenDaemon small = MutagenDaemon.builder().socket(fake.socketPath()).maxMessageSize(4096).build()) {
            String id = small.create(local("big"), Prompter.silent()).block(WAIT);
            StepVerifier.create(small.list(SessionSelection.of(id), 0))
                    .assertNext(r -> assertThat(r.getSerializedSize()).isLessThan(4096))
                    .verifyComplete();
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                problems.add(Problem.newBuilder().setPath("p" + i).setError("x".repeat(500)).build());
            }
            fake.session(id).scanProblems(Endpoint.ALPHA, problems);
            StepVerifier.create(small.list(SessionSelection.of(id), 0))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(DaemonProtocolException.class);
                        assertThat(((DaemonProtocolException) e).reason())
                                .isEqualTo(DaemonProtocolException.Reason.MESSAGE_TOO_LARGE);
                    })
                    .verify(WAIT);
            // The default client takes the same response.
            StepVerifier.create(client.list(SessionSelection.of(id), 0))
                    .assertNext(r -> assertThat(r.getSerializedSize()).isGreaterThan(4096))
                    .verifyComplete();
        }
    }

    @Test
    void aRequestOverTheMessageLimitIsRejectedBeforeItIsSent() throws Exception {
        try (MutagenDaemon small = MutagenDaemon.builder().socket(fake.socketPath()).maxMessageSize(4096).build()) {
            CreationSpecification big = local("big").toBuilder()
                    .putLabels("note", "n").setConfiguration(Configuration
                            .newBuilder().addAllIgnores(Collections.nCopies(500, "*.tmp")))
                    .build();
            fake.clearRequests();
            StepVerifier.create(small.create(big, Prompter.silent()))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(DaemonProtocolException.class);
                        assertThat(((DaemonProtocolException) e).reason())
                                .isEqualTo(DaemonProtocolException.Reason.MESSAGE_TOO_LARGE);
                        assertThat(e).hasMessageStartingWith("request too large for the Mutagen daemon: Create is ")
                                .hasMessageEndingWith(" bytes, the limit is 4096 bytes");
                    })
                    .verify(WAIT);
            assertThat(fake.requests("Create")).isEmpty();
            assertThat(awaitCondition(() -> fake.prompters().isEmpty())).isTrue();
            // Within the limit the same client goes through.
            StepVerifier.create(small.create(local("fits"), Prompter.silent()))
                    .assertNext(id -> assertThat(id).startsWith("sync_"))
                    .verifyComplete();
            assertThat(fake.requests("Create")).hasSize(1);
        }
    }

    @Test
    void availabilityFollowsTheDaemonDownAndUp() throws Exception {
        FakeDaemon daemon = fake;
        // "the daemon closed the connection", or the text of a probe cut off by the stop.
        String lost = "lost the connection to the Mutagen daemon at " + daemon.socketPath() + ": ";
        String missing = "Mutagen daemon is not running: no socket at " + daemon.socketPath()
                + " (start it with 'mutagen daemon start')";
        StepVerifier.create(client.availability())
                .assertNext(a -> assertThat(a.isConnected()).isTrue())
                .then(daemon::stop)
                .assertNext(a -> assertThat(a.problem()).startsWith(lost))
                // Each new reason as the probes find it: refused while the file outlives the listener, then missing.
                .thenConsumeWhile(a -> !a.problem().equals(missing), a -> assertThat(a.isConnected()).isFalse())
                .assertNext(a -> assertThat(a.problem()).isEqualTo(missing))
                .then(daemon::restart)
                .assertNext(a -> {
                    assertThat(a.isConnected()).isTrue();
                    assertThat(a.version()).isEqualTo(new DaemonVersion(0, 18, 1, ""));
                })
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void aRestartFasterThanAnyProbeIsStillALossThenARecovery() throws Exception {
        FakeDaemon daemon = fake;
        assertThat(client.version().block(WAIT)).isNotNull();
        long epoch = client.connectionEpoch();
        StepVerifier.create(client.availability())
                .assertNext(a -> assertThat(a.isConnected()).isTrue())
                .then(daemon::restart) // no call fails: the connection closing is the only trace
                .assertNext(a -> assertThat(a.problem()).startsWith("lost the connection to the Mutagen daemon at "
                        + daemon.socketPath() + ": "))
                .thenConsumeWhile(a -> !a.isConnected())
                .assertNext(a -> assertThat(a.version()).isEqualTo(new DaemonVersion(0, 18, 1, "")))
                .thenCancel()
                .verify(WAIT);
        assertThat(client.version().block(WAIT)).isNotNull();
        assertThat(client.connectionEpoch()).as("closed, then opened again").isGreaterThanOrEqualTo(epoch + 2);
    }

    @Test
    void theConnectionEpochStaysPutWhileOneConnectionServesEveryCall() {
        assertThat(client.version().block(WAIT)).isNotNull();
        long epoch = client.connectionEpoch();
        for (int i = 0; i < 20; i++) {
            client.list(SessionSelection.all(), 0).block(WAIT);
        }
        assertThat(client.connectionEpoch()).isEqualTo(epoch);
    }

    private State state(String id) {
        ListResponse r = client.list(SessionSelection.of(id), 0).block(WAIT);
        return r.getSessionStates(0);
    }

    static boolean awaitCondition(BooleanSupplier condition) {
        return Await.until(condition);
    }
}

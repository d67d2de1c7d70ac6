package dev.mutagenws.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.protocol.ProtocolDescription;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.Endpoint;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** {@link StateHub} against the FakeDaemon on a real Unix socket: what the daemon sees and what subscribers get. */
class StateHubFakeDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SessionSelection ALL = SessionSelection.all();

    private FakeDaemon fake;
    private MutagenDaemon client;
    private StateHub hub;
    private final List<Disposable> subscriptions = new ArrayList<>();

    @BeforeEach
    void start() {
        fake = FakeDaemon.builder().build().start();
        client = MutagenDaemon.builder().socket(fake.socketPath()).availabilityRetry(Duration.ofMillis(200)).build();
        hub = StateHub.create(client, StateOptions.builder().backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build());
    }

    @AfterEach
    void stop() {
        subscriptions.forEach(Disposable::dispose);
        hub.close();
        client.close();
        fake.close();
    }

    private String create(String name, String team) throws InterruptedException {
        String id = client.create(CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/alpha-" + name))
                .setBeta(URL.newBuilder().setPath("/tmp/beta-" + name))
                .setName(name).putAllLabels(Map.of("team", team)).build(), Prompter.silent()).block(WAIT);
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        return id;
    }

    /** Collects a subscription's signals without blocking the thread that delivers them. */
    private final class Collector {
        final LinkedTransferQueue<StateSignal> inbox = new LinkedTransferQueue<>();
        final List<StateSignal> all = new CopyOnWriteArrayList<>();

        Collector(SessionSelection selection, long resumeAfter) {
            subscriptions.add(hub.signals(selection, resumeAfter).subscribe(s -> {
                all.add(s);
                inbox.add(s);
            }));
        }

        StateSignal next(Predicate<StateSignal> matching) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                StateSignal s = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new AssertionError("no matching signal within " + WAIT + "; got " + all);
                }
                if (matching.test(s)) {
                    return s;
                }
            }
        }

        StateEvent event(String type) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                StateSignal s = next(x -> x.kind() == StateSignal.Kind.SNAPSHOT);
                for (StateEvent e : s.events()) {
                    if (e.type().equals(type)) {
                        return e;
                    }
                }
            }
            throw new AssertionError("no " + type + " event");
        }

        SessionStates latest() {
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).kind() == StateSignal.Kind.SNAPSHOT) {
                    return all.get(i).snapshot();
                }
            }
            return null;
        }
    }

    private static boolean snapshot(StateSignal s) {
        return s.kind() == StateSignal.Kind.SNAPSHOT;
    }

    @Test
    void oneLongPollPerSelectionFor1Or500Subscribers() throws Exception {
        create("web", "web");
        create("api", "api");
        Collector first = new Collector(ALL, 0);
        first.next(StateHubFakeDaemonTest::snapshot);
        assertThat(Await.until(() -> fake.blockedListCalls() == 1)).isTrue();
        long callsWithOne = fake.listCalls("all");
        assertThat(callsWithOne).isEqualTo(2); // the first answer, then the long-poll

        List<Collector> many = new ArrayList<>();
        for (int i = 0; i < 499; i++) {
            many.add(new Collector(ALL, 0));
        }
        for (Collector c : many) {
            c.next(StateHubFakeDaemonTest::snapshot); // the current state, at once
        }
        assertThat(fake.listCalls("all")).isEqualTo(callsWithOne);
        assertThat(fake.blockedListCalls()).isEqualTo(1);

        Collector web = new Collector(SessionSelection.labels("team=web"), 0);
        web.next(StateHubFakeDaemonTest::snapshot);
        assertThat(Await.until(() -> fake.blockedListCalls() == 2)).isTrue();

        fake.session("web").status(Status.Scanning);
        many.add(first);
        for (Collector c : many) {
            StateSignal s = c.next(StateHubFakeDaemonTest::snapshot);
            assertThat(s.snapshot().states()).extracting(State::getStatus).contains(Status.Scanning);
        }
        // One change for 500 subscribers: the blocked call answers, and one new long-poll follows.
        assertThat(Await.until(() -> fake.blockedListCalls() == 2 && fake.listCalls("all") == callsWithOne + 1))
                .as("calls of all: %d", fake.listCalls("all")).isTrue();
        Thread.sleep(200);
        assertThat(fake.listCalls("all")).isEqualTo(callsWithOne + 1);
    }

    @Test
    void aLateSubscriberGetsTheCurrentStateAtOnce() throws Exception {
        create("web", "web");
        Collector first = new Collector(ALL, 0);
        SessionStates current = first.next(StateHubFakeDaemonTest::snapshot).snapshot();
        assertThat(Await.until(() -> fake.blockedListCalls() == 1)).isTrue();
        long calls = fake.listCalls();
        StepVerifier.create(hub.watch(ALL))
                .assertNext(s -> {
                    assertThat(s).isSameAs(current);
                    assertThat(s.stateIndex()).isEqualTo(fake.stateIndex());
                })
                .thenCancel()
                .verify(WAIT);
        assertThat(fake.listCalls()).isEqualTo(calls);
    }

    @Test
    void aSubscriberThatReadsNothingThrough10000ChangesHoldsBoundedMemoryThenGetsTheLatest() throws Exception {
        create("big", "web");
        List<Integer> pending = new CopyOnWriteArrayList<>();
        long finalSize = 10_000L * 65536;
        StepVerifier.create(hub.signals(ALL, 0), 1)
                .assertNext(s -> assertThat(s.kind()).isEqualTo(StateSignal.Kind.SNAPSHOT))
                .then(() -> {
                    var burst = fake.session("big").burst(10_000, Duration.ZERO);
                    while (!burst.isDone()) {
                        pending.add(hub.pendingSignals());
                        Thread.onSpinWait();
                    }
                    assertThat(Await.until(() -> {
                        pending.add(hub.pendingSignals());
                        SessionStates s = hub.current(ALL);
                        return s != null && s.states().get(0).getBetaState().getStagingProgress().getReceivedSize()
                                == finalSize;
                    })).isTrue();
                })
                .then(() -> assertThat(pending).isNotEmpty().allMatch(n -> n <= 1))
                .thenRequest(1)
                .assertNext(s -> {
                    assertThat(s.snapshot().states().get(0).getBetaState().getStagingProgress().getReceivedSize())
                            .isEqualTo(finalSize);
                    assertThat(s.stateIndex()).isEqualTo(fake.stateIndex());
                    assertThat(s.events()).extracting(StateEvent::type).contains(StateEvent.STAGING_PROGRESS);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void stoppingAndRestartingTheDaemonSignalsEverySubscriberWhichThenContinues() throws Exception {
        create("web", "web");
        List<Collector> subscribers = List.of(new Collector(ALL, 0), new Collector(ALL, 0),
                new Collector(SessionSelection.of("web"), 0));
        for (Collector c : subscribers) {
            c.next(StateHubFakeDaemonTest::snapshot);
        }
        fake.stop();
        for (Collector c : subscribers) {
            // The daemon halts its sessions before it exits: their halted state may come first.
            StateSignal down = c.next(s -> s.kind() != StateSignal.Kind.SNAPSHOT
                    || s.snapshot().states().get(0).getStatus() != Status.Disconnected);
            assertThat(down.kind()).isEqualTo(StateSignal.Kind.DAEMON);
            assertThat(down.daemon().isConnected()).isFalse();
        }
        fake.start();
        for (Collector c : subscribers) {
            // Each new reason while it was down ("lost the connection", then "no socket") came before.
            StateSignal up = c.next(s -> s.kind() != StateSignal.Kind.DAEMON || s.daemon().isConnected());
            assertThat(up.kind()).isEqualTo(StateSignal.Kind.DAEMON);
            assertThat(up.daemon().isConnected()).isTrue();
            assertThat(up.daemon().version().minor()).isEqualTo(18);
            assertThat(c.next(s -> true).kind()).isEqualTo(StateSignal.Kind.SNAPSHOT);
        }
        // Still live without subscribing again: a change after the restart arrives.
        assertThat(fake.awaitIdle(WAIT)).isTrue();
        fake.session("web").lastError("after restart");
        for (Collector c : subscribers) {
            assertThat(c.event(StateEvent.ERROR).fields()).containsEntry("lastError", "after restart");
        }
    }

    @Test
    void resumeByStateIndexLosesNoFinalStateAndDuplicatesNothing() throws Exception {
        create("web", "web");
        Collector first = new Collector(ALL, 0);
        SessionStates seen = first.next(StateHubFakeDaemonTest::snapshot).snapshot();
        // Up to date: nothing is sent again.
        Collector upToDate = new Collector(ALL, seen.stateIndex());
        assertThat(upToDate.next(s -> true).kind()).isEqualTo(StateSignal.Kind.UNCHANGED);
        // Changes happen while a client is away; it comes back with the index it saw.
        fake.session("web").status(Status.Scanning);
        fake.session("web").status(Status.Reconciling);
        fake.session("web").successfulCycles(9);
        long last = fake.stateIndex();
        assertThat(Await.until(() -> hub.current(ALL) != null && hub.current(ALL).stateIndex() == last)).isTrue();
        Collector back = new Collector(ALL, seen.stateIndex());
        StateSignal resumed = back.next(s -> true);
        assertThat(resumed.kind()).isEqualTo(StateSignal.Kind.SNAPSHOT);
        assertThat(resumed.stateIndex()).isEqualTo(last);
        assertThat(resumed.snapshot().states().get(0).getSuccessfulCycles()).isEqualTo(9);
        // The up-to-date subscriber got the changes once each, ending on the same final state.
        assertThat(Await.until(() -> upToDate.latest() != null && upToDate.latest().stateIndex() == last)).isTrue();
        List<Long> indices = upToDate.all.stream().filter(StateHubFakeDaemonTest::snapshot)
                .map(StateSignal::stateIndex).toList();
        assertThat(indices).doesNotHaveDuplicates().doesNotContain(seen.stateIndex());
    }

    @Test
    void cancellingTheLastSubscriberCancelsTheUpstreamLongPoll() throws Exception {
        hub.close();
        hub = StateHub.create(client, StateOptions.builder().linger(Duration.ZERO).build());
        create("web", "web");
        Disposable a = hub.watch(ALL).subscribe();
        Disposable b = hub.watch(ALL).subscribe();
        assertThat(Await.until(() -> fake.blockedListCalls() == 1)).isTrue();
        a.dispose();
        Thread.sleep(100);
        assertThat(fake.cancelledCalls("List")).isZero();
        b.dispose();
        assertThat(fake.awaitCancelled("List", WAIT)).isTrue();
        assertThat(Await.until(() -> fake.blockedListCalls() == 0)).isTrue();
        assertThat(hub.activeSelections()).isZero();
    }

    @Test
    void twoThousandChangesPerSecondFor5sCostAtMost20ListCallsPerSecond() throws Exception {
        create("big", "web");
        Collector subscriber = new Collector(ALL, 0);
        subscriber.next(StateHubFakeDaemonTest::snapshot);
        assertThat(Await.until(() -> fake.blockedListCalls() == 1)).isTrue();
        long callsBefore = fake.listCalls("all");
        long indexBefore = fake.stateIndex();
        long started = System.nanoTime();
        int steps = fake.session("big").churn(Endpoint.BETA, 2000, Duration.ofSeconds(5),
                i -> ReceiverState.newBuilder().setPath("blob").setReceivedSize(i * 65536L).setExpectedSize(1L << 40)
                        .setExpectedFiles(1).build()).get(20, TimeUnit.SECONDS);
        long finalSize = steps * 65536L;
        assertThat(Await.until(() -> subscriber.latest().states().get(0).getBetaState().getStagingProgress()
                .getReceivedSize() == finalSize)).isTrue();
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        long calls = fake.listCalls("all") - callsBefore;
        assertThat(fake.stateIndex() - indexBefore).isEqualTo(10_000);
        // One call per 50 ms at most (plus the one in flight at each end).
        assertThat(calls).isLessThanOrEqualTo(elapsedMs / 50 + 2);
        assertThat(subscriber.latest().stateIndex()).isEqualTo(fake.stateIndex());
    }

    @Test
    void everyEventTypeFromDaemonDrivenTransitions() throws Exception {
        fake.close();
        fake = FakeDaemon.builder().manualLifecycle(true).build().start();
        client.close();
        client = MutagenDaemon.builder().socket(fake.socketPath()).build();
        hub.close();
        hub = StateHub.create(client);

        Collector c = new Collector(ALL, 0);
        assertThat(c.next(StateHubFakeDaemonTest::snapshot).snapshot().states()).isEmpty();
        String id = client.create(CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/alpha-ev")).setBeta(URL.newBuilder().setPath("/tmp/beta-ev"))
                .setName("ev").build(), Prompter.silent()).block(WAIT);
        StateEvent created = c.event(StateEvent.SESSION_CREATED);
        assertThat(created.session()).isEqualTo(id);
        assertThat(created.fields()).containsEntry("name", "ev");
        assertThat(created.stateIndex()).isPositive();

        fake.session("ev").status(Status.Scanning);
        assertThat(c.event(StateEvent.STATUS_CHANGED).fields()).containsEntry("to", "scanning");
        fake.session("ev").connected(Endpoint.BETA, true);
        assertThat(c.event(StateEvent.CONNECTION_CHANGED).fields()).containsEntry("endpoint", "beta")
                .containsEntry("connected", true);
        fake.session("ev").lastError("beta scan error: boom");
        assertThat(c.event(StateEvent.ERROR).fields()).containsEntry("lastError", "beta scan error: boom");
        fake.session("ev").lastError("");
        assertThat(c.event(StateEvent.ERROR_CLEARED).fields()).containsEntry("lastError", "beta scan error: boom");
        fake.session("ev").conflicts(List.of(Conflict.newBuilder().setRoot("conflict.txt").build()));
        assertThat(c.event(StateEvent.CONFLICTS_CHANGED).fields()).containsEntry("conflicts", 1L);
        fake.session("ev").scanProblems(Endpoint.ALPHA, List.of(Problem.newBuilder().setPath("absolute-link")
                .setError("invalid symbolic link: target is absolute").build()));
        assertThat(c.event(StateEvent.PROBLEMS_CHANGED).fields()).containsEntry("kind", "scan")
                .containsEntry("endpoint", "alpha").containsEntry("count", 1L);
        fake.session("ev").stagingProgress(Endpoint.BETA, ReceiverState.newBuilder().setPath("blob")
                .setReceivedSize(65536).setExpectedSize(131072).setExpectedFiles(1).build());
        assertThat(c.event(StateEvent.STAGING_PROGRESS).fields()).containsEntry("receivedSize", 65536L);
        fake.session("ev").successfulCycles(1);
        assertThat(c.event(StateEvent.CYCLE_COMPLETED).fields()).containsEntry("successfulCycles", 1L);
        client.pause(SessionSelection.of(id), Prompter.silent()).block(WAIT);
        c.event(StateEvent.PAUSED);
        client.resume(SessionSelection.of(id), Prompter.silent()).block(WAIT);
        c.event(StateEvent.RESUMED);
        client.terminate(SessionSelection.of(id), Prompter.silent()).block(WAIT);
        assertThat(c.event(StateEvent.SESSION_TERMINATED).session()).isEqualTo(id);
        long before = fake.stateIndex();
        fake.restart();
        StateEvent restarted = c.event(StateEvent.DAEMON_RESTARTED);
        assertThat(restarted.session()).isEmpty();
        assertThat((Long) restarted.fields().get("previousStateIndex")).isPositive().isLessThanOrEqualTo(before);
        assertThat(restarted.toMap()).doesNotContainKey("session");

        List<String> types = c.all.stream().flatMap(s -> s.events().stream()).map(StateEvent::type).distinct().toList();
        assertThat(types).containsAll(ProtocolDescription.EVENT_TYPES);
    }
}

package dev.mutagenws.state;

import static dev.mutagenws.state.StubDaemon.cycles;
import static dev.mutagenws.state.StubDaemon.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.DaemonOperationException.Reason;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.state.Upstream;
import dev.mutagenws.proto.synchronization.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The loop, fan-out, conflation, resume and recovery of {@link StateHub}, in virtual time against a stub daemon. */
class StateHubTest {
    private static final SessionSelection ALL = SessionSelection.all();
    private static final Duration MS_50 = Duration.ofMillis(50);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final StubDaemon daemon = new StubDaemon(time);
    private StateHub hub = hub(StateOptions.builder());

    private StateHub hub(StateOptions.Builder options) {
        return StateHub.create(daemon, options.scheduler(time).jitter(0).linger(Duration.ofMillis(100)).build());
    }

    @AfterEach
    void close() {
        hub.close();
        time.dispose();
    }

    private static DaemonUnavailableException unavailable() {
        return new DaemonUnavailableException(Path.of("/tmp/daemon.sock"), DaemonUnavailableException.Reason.CONNECTION_LOST,
                "error reading from server: EOF", null);
    }

    @Test
    void emitsTheFirstSnapshotThenOnlySnapshotsWhoseStatesDiffer() {
        StepVerifier.create(hub.watch(ALL))
                .then(() -> daemon.last().answer(5, state("a", Status.Watching)))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(5))
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    daemon.last().answer(6, state("a", Status.Watching)); // woken by another session: same states
                    time.advanceTimeBy(MS_50);
                    daemon.last().answer(9, state("a", Status.Scanning));
                })
                .assertNext(s -> {
                    assertThat(s.stateIndex()).isEqualTo(9);
                    assertThat(s.states().get(0).getStatus()).isEqualTo(Status.Scanning);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        // Each call passes the index of the answer before it, as Mutagen's own monitor does.
        assertThat(daemon.calls).extracting(c -> c.previousStateIndex).containsExactly(0L, 5L, 6L); // the next waits for the interval
    }

    @Test
    void pollsAtMostOncePerMinIntervalWhileTheDaemonChangesConstantly() {
        // A daemon whose index moves between any two calls (staging): every call answers at once.
        daemon.auto = (selection, previous) -> Mono.just(StubDaemon.response(previous + 1, cycles("a", previous + 1)));
        List<SessionStates> seen = new ArrayList<>();
        Disposable d = hub.watch(ALL).subscribe(seen::add);
        time.advanceTimeBy(Duration.ofSeconds(1));
        d.dispose();
        List<Long> starts = daemon.calls.stream().map(c -> c.startedAtMillis).collect(Collectors.toList());
        assertThat(starts).hasSize(21); // t = 0, 50, ..., 1000
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isGreaterThanOrEqualTo(50);
        }
        assertThat(seen).hasSize(21);
        assertThat(seen.get(20).stateIndex()).isEqualTo(21);
    }

    @Test
    void aSlowAnswerIsFollowedAtOnceAndTheIntervalIsConfigurable() {
        hub.close();
        hub = hub(StateOptions.builder().minInterval(Duration.ofMillis(200)));
        Disposable d = hub.watch(ALL).subscribe();
        time.advanceTimeBy(Duration.ofMillis(300));
        daemon.last().answer(1, state("a", Status.Watching)); // took 300 ms: longer than the interval
        assertThat(daemon.calls).hasSize(2);
        assertThat(daemon.last().startedAtMillis).isEqualTo(300);
        daemon.last().answer(2, state("a", Status.Scanning)); // at once: wait for the interval
        time.advanceTimeBy(Duration.ofMillis(199));
        assertThat(daemon.calls).hasSize(2);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(daemon.calls).hasSize(3);
        d.dispose();
    }

    @Test
    void aSubscriberThatReadsNothingHoldsOneSnapshotAndThenGetsTheLatest() {
        hub.close();
        hub = hub(StateOptions.builder().minInterval(Duration.ZERO));
        List<Integer> pending = new ArrayList<>();
        StepVerifier.create(hub.signals(ALL, 0), 1)
                .then(() -> daemon.last().answer(1, cycles("a", 1)))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(1))
                .then(() -> {
                    for (long i = 2; i <= 10_001; i++) {
                        daemon.last().answer(i, cycles("a", i));
                        pending.add(hub.pendingSignals());
                    }
                })
                .then(() -> assertThat(pending).allMatch(n -> n <= 1))
                .thenRequest(1)
                .assertNext(s -> {
                    assertThat(s.kind()).isEqualTo(StateSignal.Kind.SNAPSHOT);
                    assertThat(s.stateIndex()).isEqualTo(10_001);
                    // Events compare with what this subscriber saw last, not with the skipped ones.
                    assertThat(s.events()).singleElement().satisfies(e -> {
                        assertThat(e.type()).isEqualTo(StateEvent.CYCLE_COMPLETED);
                        assertThat(e.fields()).containsEntry("successfulCycles", 10_001L);
                    });
                })
                .then(() -> assertThat(hub.pendingSignals()).isZero())
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(daemon.calls).hasSize(10_002);
    }

    @Test
    void oneLoopPerDistinctSelectionWhateverTheNumberOfSubscribers() {
        SessionSelection web = SessionSelection.labels("team=web");
        List<List<SessionStates>> received = new ArrayList<>();
        List<Disposable> subscriptions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            List<SessionStates> mine = new ArrayList<>();
            received.add(mine);
            subscriptions.add(hub.watch(i % 2 == 0 ? ALL : web).subscribe(mine::add));
        }
        assertThat(daemon.calls).hasSize(2);
        assertThat(daemon.calls).extracting(c -> c.selection).containsExactlyInAnyOrder(ALL, web);
        for (StubDaemon.Call call : List.copyOf(daemon.calls)) {
            call.answer(3, state(call.selection == ALL ? "a" : "w", Status.Watching));
        }
        assertThat(received).allSatisfy(r -> assertThat(r).hasSize(1));
        time.advanceTimeBy(MS_50);
        assertThat(daemon.calls).hasSize(4);
        assertThat(daemon.openCalls()).isEqualTo(2);
        assertThat(hub.activeSelections()).isEqualTo(2);
        subscriptions.forEach(Disposable::dispose);
    }

    @Test
    void aLateSubscriberGetsTheCurrentSnapshotAtOnceWithoutAnotherCall() {
        Disposable first = hub.watch(ALL).subscribe();
        daemon.last().answer(4, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        int calls = daemon.calls.size();
        StepVerifier.create(hub.watch(ALL))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(4))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(daemon.calls).hasSize(calls);
        first.dispose();
    }

    @Test
    void resumeGivesTheNextDifferentSnapshotAtOnceOrSaysUnchanged() {
        Disposable first = hub.watch(ALL).subscribe();
        daemon.last().answer(7, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        // Up to date: nothing to send now, then the next change with its events.
        StepVerifier.create(hub.signals(ALL, 7))
                .assertNext(s -> {
                    assertThat(s.kind()).isEqualTo(StateSignal.Kind.UNCHANGED);
                    assertThat(s.stateIndex()).isEqualTo(7);
                })
                .then(() -> daemon.last().answer(8, state("a", Status.Scanning)))
                .assertNext(s -> {
                    assertThat(s.stateIndex()).isEqualTo(8);
                    assertThat(s.events()).extracting(StateEvent::type).containsExactly(StateEvent.STATUS_CHANGED);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        // Behind (or from before a daemon restart): the current snapshot at once.
        StepVerifier.create(hub.signals(ALL, 3))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(8))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        // The daemon moved on without a visible change: an index of that answer is still up to date.
        time.advanceTimeBy(MS_50);
        daemon.last().answer(12, state("a", Status.Scanning));
        StepVerifier.create(hub.signals(ALL, 12))
                .assertNext(s -> assertThat(s.kind()).isEqualTo(StateSignal.Kind.UNCHANGED))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        first.dispose();
    }

    @Test
    void resumeBeforeTheLoopHasAnswered() {
        StepVerifier.create(hub.signals(ALL, 7))
                .then(() -> daemon.last().answer(7, state("a", Status.Watching)))
                .assertNext(s -> assertThat(s.kind()).isEqualTo(StateSignal.Kind.UNCHANGED))
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    daemon.last().answer(9, state("a", Status.Watching)); // same states: still nothing
                    time.advanceTimeBy(MS_50);
                    daemon.last().answer(10, state("a", Status.Saving));
                })
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(10))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void anUnavailableDaemonIsRetriedWithBackoffAndSubscribersContinueAfterItReturns() {
        StepVerifier.create(hub.signals(ALL, 0))
                .then(() -> daemon.last().answer(40, state("a", Status.Watching)))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(40))
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    daemon.last().fail(unavailable()); // at t=50
                })
                .assertNext(s -> {
                    assertThat(s.kind()).isEqualTo(StateSignal.Kind.DAEMON);
                    assertThat(s.daemon().isConnected()).isFalse();
                    assertThat(s.daemon().problem()).contains("error reading from server: EOF");
                })
                .then(() -> {
                    time.advanceTimeBy(Duration.ofMillis(100));
                    daemon.last().fail(unavailable()); // t=150, next after 200
                    time.advanceTimeBy(Duration.ofMillis(200));
                    daemon.last().fail(unavailable()); // t=350, next after 400
                    time.advanceTimeBy(Duration.ofMillis(400));
                    // Restarted: index back near 1, the same states; sent anyway, since old indices mean nothing now.
                    daemon.last().answer(3, state("a", Status.Watching));
                })
                .assertNext(s -> {
                    assertThat(s.kind()).isEqualTo(StateSignal.Kind.DAEMON);
                    assertThat(s.daemon().isConnected()).isTrue();
                    assertThat(s.daemon().version()).isEqualTo(StubDaemon.VERSION);
                })
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(3))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(daemon.calls).extracting(c -> c.startedAtMillis).containsExactly(0L, 50L, 150L, 350L, 750L);
        // After a failure the next call asks for the current state at once.
        assertThat(daemon.calls).extracting(c -> c.previousStateIndex).containsExactly(0L, 40L, 0L, 0L, 0L);
    }

    @Test
    void backoffDoublesUpToTheCapWithJitterTakenOff() {
        Upstream upstream = new Upstream((u, e) -> { }, daemon, ALL, StateOptions.builder().jitter(0).build());
        assertThat(upstream.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(upstream.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(upstream.backoff(6)).isEqualTo(Duration.ofMillis(3200));
        assertThat(upstream.backoff(7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(upstream.backoff(1000)).isEqualTo(Duration.ofSeconds(5));
        Upstream jittered = new Upstream((u, e) -> { }, daemon, ALL, StateOptions.builder().jitter(0.5).build());
        for (int i = 0; i < 200; i++) {
            assertThat(jittered.backoff(10)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        }
    }

    @Test
    void aLateSubscriberDuringAnOutageGetsTheLastStateAndTheOutage() {
        Disposable first = hub.watch(ALL).subscribe();
        daemon.last().answer(5, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        daemon.last().fail(unavailable());
        StepVerifier.create(hub.signals(ALL, 0))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(5))
                .assertNext(s -> assertThat(s.daemon().isConnected()).isFalse())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        first.dispose();
    }

    @Test
    void aDaemonErrorForTheSelectionEndsItsSubscriptions() {
        SessionSelection named = SessionSelection.of("gone");
        StepVerifier.create(hub.watch(named))
                .then(() -> daemon.last().answer(2, state("a", Status.Watching)))
                .expectNextCount(1)
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    daemon.last().fail(new DaemonOperationException(Reason.NOT_FOUND,
                            "unable to locate requested sessions: specification \"gone\" did not match any sessions", null));
                })
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DaemonOperationException.class)
                        .hasMessageContaining("did not match any sessions"))
                .verify(Duration.ofSeconds(5));
        assertThat(hub.activeSelections()).isZero();
        // A new subscriber starts a new loop.
        Disposable again = hub.watch(named).subscribe();
        assertThat(hub.activeSelections()).isEqualTo(1);
        assertThat(daemon.last().previousStateIndex).isZero();
        again.dispose();
    }

    @Test
    void theLoopStopsShortlyAfterTheLastSubscriberLeavesAndCancelsItsLongPoll() {
        Disposable a = hub.watch(ALL).subscribe();
        Disposable b = hub.watch(ALL).subscribe();
        daemon.last().answer(5, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        StubDaemon.Call longPoll = daemon.last();
        a.dispose();
        b.dispose();
        time.advanceTimeBy(Duration.ofMillis(99));
        assertThat(longPoll.cancelled).isFalse();
        // Back within the linger: the same loop, the current state at once.
        StepVerifier.create(hub.watch(ALL))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(5))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        time.advanceTimeBy(Duration.ofMillis(99));
        assertThat(longPoll.cancelled).isFalse();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(longPoll.cancelled).isTrue();
        assertThat(hub.activeSelections()).isZero();
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(daemon.calls).hasSize(2);
    }

    @Test
    void closingTheHubCompletesSubscriptionsAndStopsTheLoops() {
        StepVerifier.create(hub.watch(ALL))
                .then(() -> daemon.last().answer(5, state("a", Status.Watching)))
                .expectNextCount(1)
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    hub.close();
                })
                .verifyComplete();
        assertThat(daemon.last().cancelled).isTrue();
        StepVerifier.create(hub.watch(ALL)).verifyComplete();
    }

    @Test
    void aLongPollTheDaemonEndsItselfIsRetriedQuietlyFromTheSameIndex() {
        List<StateSignal> seen = new ArrayList<>();
        Disposable d = hub.signals(ALL, 0).subscribe(seen::add);
        daemon.last().answer(40, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        daemon.last().fail(new DaemonOperationException(Reason.ENDED, "context canceled", null)); // t=50
        time.advanceTimeBy(Duration.ofMillis(100));
        daemon.last().fail(new DaemonOperationException(Reason.ENDED, "context deadline exceeded", null));
        time.advanceTimeBy(Duration.ofMillis(200));
        daemon.last().answer(41, state("a", Status.Scanning)); // t=350
        d.dispose();
        // No outage was reported, and nothing was sent twice: the daemon never went away.
        assertThat(seen).extracting(StateSignal::kind).containsExactly(StateSignal.Kind.SNAPSHOT, StateSignal.Kind.SNAPSHOT);
        assertThat(seen).extracting(StateSignal::stateIndex).containsExactly(40L, 41L);
        assertThat(daemon.versionCalls).hasValue(0);
        // Retried with backoff, keeping the last index (not 0, which would re-fetch as after a restart).
        assertThat(daemon.calls).extracting(c -> c.startedAtMillis).containsExactly(0L, 50L, 150L, 350L);
        assertThat(daemon.calls).extracting(c -> c.previousStateIndex).containsExactly(0L, 40L, 40L, 40L);
    }

    @Test
    void aSubscriberThatDoesNotReadThroughAnOutageStillSeesFalseBeforeTrue() {
        hub.close();
        hub = hub(StateOptions.builder().minInterval(Duration.ofMillis(1)).backoff(Duration.ofMillis(1),
                Duration.ofMillis(1)));
        StepVerifier.create(hub.signals(ALL, 0), 1)
                .then(() -> daemon.last().answer(1, cycles("a", 1)))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(1))
                .then(() -> {
                    // Not reading: changes, then three outages each followed by a restart, then more changes.
                    long index = 2;
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < 5; i++, index++) {
                            time.advanceTimeBy(Duration.ofMillis(1));
                            daemon.last().answer(index, cycles("a", index));
                        }
                        time.advanceTimeBy(Duration.ofMillis(1));
                        daemon.last().fail(unavailable());
                        time.advanceTimeBy(Duration.ofMillis(1));
                        daemon.last().answer(index, cycles("a", index));
                        index++;
                    }
                    time.advanceTimeBy(Duration.ofMillis(1));
                    daemon.last().answer(100, cycles("a", 100));
                    assertThat(hub.pendingSignals()).isLessThanOrEqualTo(4);
                })
                .thenRequest(Long.MAX_VALUE)
                // Three outages read as one; the states from between them are superseded by the latest.
                .assertNext(s -> assertThat(s.daemon().isConnected()).isFalse())
                .assertNext(s -> assertThat(s.daemon().isConnected()).isTrue())
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(100))
                .then(() -> assertThat(hub.pendingSignals()).isZero())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aDaemonSignalWaitingAtTheTailIsNotReplacedByTheOppositeOne() {
        StepVerifier.create(hub.signals(ALL, 0), 1)
                .then(() -> daemon.last().answer(5, state("a", Status.Watching)))
                .expectNextCount(1)
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    daemon.last().fail(unavailable());
                    time.advanceTimeBy(Duration.ofMillis(100));
                    daemon.last().answer(2, state("a", Status.Watching)); // back: true, then the fresh state
                })
                .thenRequest(3)
                .assertNext(s -> assertThat(s.daemon().isConnected()).isFalse())
                .assertNext(s -> assertThat(s.daemon().isConnected()).isTrue())
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(2))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aSubscriberThatThrowsIsEndedAloneAndTheOthersContinue() {
        List<SessionStates> good = new ArrayList<>();
        Disposable first = hub.watch(ALL).subscribe(good::add);
        List<StateSignal> thrower = new ArrayList<>();
        // A plain Subscriber that throws from onNext, on the loop's delivering thread.
        hub.signals(ALL, 0).subscribe(new Subscriber<StateSignal>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(StateSignal signal) {
                thrower.add(signal);
                throw new IllegalStateException("a broken subscriber");
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        daemon.last().answer(5, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        daemon.last().answer(6, state("a", Status.Scanning));
        time.advanceTimeBy(MS_50);
        daemon.last().answer(7, state("a", Status.Saving));
        assertThat(thrower).hasSize(1);
        assertThat(good).extracting(SessionStates::stateIndex).containsExactly(5L, 6L, 7L);
        assertThat(hub.activeSelections()).isEqualTo(1);
        assertThat(daemon.openCalls()).isEqualTo(0); // waiting for the interval
        time.advanceTimeBy(MS_50);
        assertThat(daemon.openCalls()).isEqualTo(1);
        first.dispose();
        // The thrower left too: the loop lingers and stops.
        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(hub.activeSelections()).isZero();
    }

    @Test
    void aZeroIntervalWithSynchronousAnswersLoopsWithoutRecursing() {
        hub.close();
        hub = hub(StateOptions.builder().minInterval(Duration.ZERO));
        // 100 000 answers at once, then the long-poll parks: recursing would overflow the stack long before.
        daemon.auto = (selection, previous) -> previous < 100_000
                ? Mono.just(StubDaemon.response(previous + 1, cycles("a", previous + 1)))
                : Mono.never();
        List<SessionStates> seen = new ArrayList<>();
        Disposable d = hub.watch(ALL).subscribe(seen::add);
        assertThat(daemon.calls).hasSize(100_001);
        assertThat(seen).hasSize(100_000);
        assertThat(seen.get(seen.size() - 1).stateIndex()).isEqualTo(100_000);
        d.dispose();
    }

    @Test
    void eachChangeEventIsEncodedOnceForAllSubscribers() {
        List<StateSignal> a = new ArrayList<>();
        List<StateSignal> b = new ArrayList<>();
        Disposable da = hub.signals(ALL, 0).subscribe(a::add);
        Disposable db = hub.signals(ALL, 0).subscribe(b::add);
        daemon.last().answer(5, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        daemon.last().answer(6, state("a", Status.Scanning));
        StateEvent ea = a.get(1).events().get(0);
        StateEvent eb = b.get(1).events().get(0);
        assertThat(ea.json()).isSameAs(eb.json());
        assertThat(ea.json().getValue()).isEqualTo(new ReplyWriter(
                ProtoJson.standard()).writeValue(ea.toMap()));
        da.dispose();
        db.dispose();
    }
    @Test
    void anAnswerOverANewConnectionIsARestartEvenWhenNoCallFailed() {
        StepVerifier.create(hub.signals(ALL, 0))
                .then(() -> daemon.last().answer(65, state("a", Status.Watching)))
                .assertNext(s -> assertThat(s.stateIndex()).isEqualTo(65))
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    // The daemon halted its session and exited: the blocked call still answered, over the old connection.
                    daemon.last().answer(66, state("a", Status.Disconnected));
                })
                .assertNext(s -> assertThat(s.snapshot().states().get(0).getStatus()).isEqualTo(Status.Disconnected))
                .then(() -> {
                    daemon.epoch.addAndGet(2); // closed, then a new connection for the next call
                    time.advanceTimeBy(MS_50);
                    assertThat(daemon.last().previousStateIndex).as("the old run's index means nothing now").isZero();
                    daemon.last().answer(14, state("a", Status.Watching));
                })
                .assertNext(s -> {
                    assertThat(s.kind()).isEqualTo(StateSignal.Kind.DAEMON);
                    assertThat(s.daemon().problem())
                            .isEqualTo("lost the connection to the Mutagen daemon at /stub/daemon.sock: the daemon closed the connection");
                })
                .assertNext(s -> assertThat(s.daemon().isConnected()).isTrue())
                .assertNext(s -> {
                    assertThat(s.stateIndex()).isEqualTo(14);
                    // One event: the restart, from the index this subscriber last had; the session is not "resumed".
                    assertThat(s.events()).singleElement().satisfies(e -> {
                        assertThat(e.type()).isEqualTo(StateEvent.DAEMON_RESTARTED);
                        assertThat(e.fields()).containsEntry("previousStateIndex", 66L);
                        assertThat(e.stateIndex()).isEqualTo(14);
                    });
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aCallThatRacedTheCloseAndFoundNoSocketSaysTheLossFirst() {
        AtomicReference<String> first = new AtomicReference<>();
        StepVerifier.create(hub.signals(ALL, 0))
                .then(() -> daemon.last().answer(65, state("a", Status.Watching)))
                .assertNext(s -> first.set(s.epoch()))
                .then(() -> {
                    time.advanceTimeBy(MS_50);
                    // The next call was placed over the live connection; then the daemon exited: the connection closed
                    // and the call went out on a new attempt, which found no socket.
                    daemon.epoch.addAndGet(3);
                    daemon.last().fail(new DaemonUnavailableException(Path.of("/stub/daemon.sock"),
                            DaemonUnavailableException.Reason.SOCKET_MISSING, "connect failed", null));
                })
                .assertNext(s -> assertThat(s.daemon().problem())
                        .isEqualTo("lost the connection to the Mutagen daemon at /stub/daemon.sock: the daemon closed the connection"))
                .assertNext(s -> assertThat(s.daemon().problem()).startsWith("Mutagen daemon is not running: no socket"))
                .then(() -> {
                    daemon.epoch.incrementAndGet(); // the new daemon's connection
                    time.advanceTimeBy(Duration.ofMillis(100));
                    daemon.last().answer(65, state("a", Status.Watching));
                })
                .assertNext(s -> assertThat(s.daemon().isConnected()).isTrue())
                .assertNext(s -> {
                    // The same index, but another run: a new epoch and the restart event.
                    assertThat(s.stateIndex()).isEqualTo(65);
                    assertThat(s.epoch()).isNotEqualTo(first.get());
                    assertThat(s.events()).singleElement()
                            .satisfies(e -> assertThat(e.type()).isEqualTo(StateEvent.DAEMON_RESTARTED));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void anAnswerDuringWhichTheConnectionChangedIsAskedAgain() {
        List<StateSignal> seen = new ArrayList<>();
        Disposable d = hub.signals(ALL, 0).subscribe(seen::add);
        daemon.last().answer(5, state("a", Status.Watching));
        String firstEpoch = seen.get(0).epoch();
        time.advanceTimeBy(MS_50);
        StubDaemon.Call during = daemon.last();
        daemon.epoch.incrementAndGet(); // the connection closed while this call was out
        during.answer(6, state("a", Status.Scanning));
        // Old daemon or new? Not trusted: nothing published, asked again at once for the current state.
        assertThat(seen).hasSize(1);
        assertThat(daemon.calls).hasSize(3);
        assertThat(daemon.last().previousStateIndex).isZero();
        daemon.last().answer(3, state("a", Status.Scanning));
        assertThat(seen).extracting(StateSignal::kind).containsExactly(StateSignal.Kind.SNAPSHOT,
                StateSignal.Kind.DAEMON, StateSignal.Kind.DAEMON, StateSignal.Kind.SNAPSHOT);
        assertThat(seen.get(3).epoch()).isNotEqualTo(firstEpoch);
        assertThat(daemon.versionCalls).hasValue(1);
        d.dispose();
    }

    @Test
    void anIndexThatFallsOverOneConnectionIsARestartToo() {
        List<StateSignal> seen = new ArrayList<>();
        Disposable d = hub.signals(ALL, 0).subscribe(seen::add);
        daemon.last().answer(65, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        daemon.last().answer(14, state("a", Status.Watching)); // same states, lower index
        assertThat(seen).extracting(StateSignal::kind).containsExactly(StateSignal.Kind.SNAPSHOT,
                StateSignal.Kind.DAEMON, StateSignal.Kind.DAEMON, StateSignal.Kind.SNAPSHOT);
        assertThat(seen.get(1).daemon().problem()).isEqualTo("the Mutagen daemon at /stub/daemon.sock restarted: its"
                + " state index went back from 65 to 14");
        assertThat(seen.get(3).stateIndex()).isEqualTo(14);
        assertThat(seen.get(3).epoch()).isNotEqualTo(seen.get(0).epoch());
        assertThat(seen.get(3).events()).extracting(StateEvent::type).containsExactly(StateEvent.DAEMON_RESTARTED);
        d.dispose();
    }

    @Test
    void aResumeWithTheOldRunsIndexAfterARestartGetsTheStateAtOnce() {
        Disposable first = hub.signals(ALL, 0).subscribe();
        daemon.last().answer(14, state("a", Status.Watching));
        String oldEpoch = hub.current(ALL).epoch();
        daemon.epoch.addAndGet(2);
        time.advanceTimeBy(MS_50);
        daemon.last().answer(14, state("a", Status.Watching)); // the new run is at the same number
        assertThat(hub.current(ALL).epoch()).isNotEqualTo(oldEpoch);
        StepVerifier.create(hub.signals(ALL, 14, oldEpoch))
                .assertNext(s -> {
                    assertThat(s.kind()).isEqualTo(StateSignal.Kind.SNAPSHOT);
                    assertThat(s.stateIndex()).isEqualTo(14);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(hub.signals(ALL, 14, hub.current(ALL).epoch()))
                .assertNext(s -> assertThat(s.kind()).isEqualTo(StateSignal.Kind.UNCHANGED))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        first.dispose();
    }

    @Test
    void whileDownEachNewReasonIsPublishedOnce() {
        List<StateSignal> seen = new ArrayList<>();
        Disposable d = hub.signals(ALL, 0).subscribe(seen::add);
        daemon.last().answer(5, state("a", Status.Watching));
        time.advanceTimeBy(MS_50);
        daemon.last().fail(unavailable());
        time.advanceTimeBy(Duration.ofMillis(100));
        daemon.last().fail(unavailable()); // the same reason: not news
        time.advanceTimeBy(Duration.ofMillis(200));
        DaemonUnavailableException missing = new DaemonUnavailableException(Path.of("/tmp/daemon.sock"),
                DaemonUnavailableException.Reason.SOCKET_MISSING, null, null);
        daemon.last().fail(missing);
        assertThat(seen).extracting(s -> s.kind() == StateSignal.Kind.DAEMON ? s.daemon().problem() : "state")
                .containsExactly("state", unavailable().getMessage(), missing.getMessage());
        d.dispose();
    }
}

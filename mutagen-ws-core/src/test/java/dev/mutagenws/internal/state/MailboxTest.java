package dev.mutagenws.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateSignal;
import dev.mutagenws.state.StubDaemon;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;
import reactor.util.context.Context;

/** {@link Mailbox} on its own: conflation order for a subscriber that does not read, and a sink that throws. */
class MailboxTest {
    /** A sink with demand set by the test; optionally throws from next, as a broken subscriber's onNext would. */
    private static final class TestSink implements FluxSink<StateSignal> {
        final List<StateSignal> got = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        long demand;
        boolean throwing;

        @Override
        public FluxSink<StateSignal> next(StateSignal signal) {
            if (throwing) {
                throw new IllegalStateException("a broken subscriber");
            }
            demand--;
            got.add(signal);
            return this;
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Throwable e) {
            errors.add(e);
        }

        @Override
        public Context currentContext() {
            return Context.empty();
        }

        @Override
        public long requestedFromDownstream() {
            return demand;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public FluxSink<StateSignal> onRequest(LongConsumer consumer) {
            return this;
        }

        @Override
        public FluxSink<StateSignal> onCancel(Disposable d) {
            return this;
        }

        @Override
        public FluxSink<StateSignal> onDispose(Disposable d) {
            return this;
        }
    }

    private static SessionStates snapshot(long index) {
        return new SessionStates(index, List.of(StubDaemon.cycles("a", index)), Instant.EPOCH);
    }

    private static final DaemonAvailability DOWN = DaemonAvailability.disconnected("gone");
    private static final DaemonAvailability UP = DaemonAvailability.connected(StubDaemon.VERSION);

    private static List<String> kinds(List<StateSignal> signals) {
        List<String> out = new ArrayList<>();
        for (StateSignal s : signals) {
            out.add(s.kind() == StateSignal.Kind.DAEMON ? (s.daemon().isConnected() ? "true" : "false")
                    : s.kind() + "@" + s.stateIndex());
        }
        return out;
    }

    @Test
    void aTrueWaitingBehindAFalseDoesNotReplaceIt() {
        TestSink sink = new TestSink();
        Mailbox box = new Mailbox(sink, 8, 0, null);
        box.offerSnapshot(snapshot(1), 1);
        box.offerDaemon(DOWN);
        box.offerDaemon(UP);
        sink.demand = 10;
        box.drain();
        assertThat(kinds(sink.got)).containsExactly("SNAPSHOT@1", "false", "true");
    }

    @Test
    void manyFlapsAndChangesCompactToTheOutageAndTheLatestStateInOrder() {
        TestSink sink = new TestSink();
        Mailbox box = new Mailbox(sink, 8, 0, null);
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 20; i++) {
                box.offerSnapshot(snapshot(round * 100 + i), round * 100 + i);
            }
            box.offerDaemon(DOWN);
            assertThat(box.pending()).isLessThanOrEqualTo(4);
            box.offerDaemon(UP);
            assertThat(box.pending()).isLessThanOrEqualTo(4);
        }
        box.offerSnapshot(snapshot(9999), 9999);
        sink.demand = 100;
        box.drain();
        // Dropping the oldest beyond 8 entries (as before) would have lost the false of this burst.
        assertThat(kinds(sink.got)).containsExactly("false", "true", "SNAPSHOT@9999");
    }

    @Test
    void aFalseAtTheEndKeepsTheNewestReasonAfterTheLatestState() {
        TestSink sink = new TestSink();
        Mailbox box = new Mailbox(sink, 8, 0, null);
        box.offerSnapshot(snapshot(1), 1);
        box.offerDaemon(DOWN);
        box.offerDaemon(UP);
        box.offerSnapshot(snapshot(2), 2);
        box.offerDaemon(DaemonAvailability.disconnected("gone again"));
        sink.demand = 10;
        box.drain();
        assertThat(kinds(sink.got)).containsExactly("SNAPSHOT@2", "false");
        assertThat(sink.got.get(1).daemon().problem()).isEqualTo("gone again");
    }

    @Test
    void anOutageStillGoingOnKeepsItsFirstAndItsNewestReason() {
        TestSink sink = new TestSink();
        Mailbox box = new Mailbox(sink, 8, 0, null);
        box.offerSnapshot(snapshot(1), 1);
        box.offerDaemon(DaemonAvailability.disconnected("lost the connection"));
        box.offerDaemon(DaemonAvailability.disconnected("connection refused"));
        box.offerDaemon(DaemonAvailability.disconnected("no socket"));
        sink.demand = 10;
        box.drain();
        assertThat(kinds(sink.got)).containsExactly("SNAPSHOT@1", "false", "false");
        assertThat(sink.got.get(1).daemon().problem()).isEqualTo("lost the connection");
        assertThat(sink.got.get(2).daemon().problem()).isEqualTo("no socket");
    }

    @Test
    void aResumeWithAnotherRunsEpochIsNeverTakenAsUpToDate() {
        SessionStates current = snapshot(5);
        assertThat(resumed(5, "zzzzzzzz-9", current)).containsExactly("SNAPSHOT@5");
        assertThat(resumed(5, current.epoch(), current)).containsExactly("UNCHANGED@5");
        assertThat(resumed(5, null, current)).containsExactly("UNCHANGED@5"); // no epoch given: the index alone
        assertThat(resumed(4, current.epoch(), current)).containsExactly("SNAPSHOT@5");
    }

    private static List<String> resumed(long index, String epoch, SessionStates current) {
        TestSink sink = new TestSink();
        sink.demand = 10;
        Mailbox box = new Mailbox(sink, 8, index, epoch);
        box.offerSnapshot(current, current.stateIndex());
        box.drain();
        return kinds(sink.got);
    }

    @Test
    void aSinkThatThrowsIsEndedAloneWithoutTheExceptionReachingTheLoop() {
        TestSink sink = new TestSink();
        sink.throwing = true;
        sink.demand = 10;
        Mailbox box = new Mailbox(sink, 8, 0, null);
        AtomicInteger detached = new AtomicInteger();
        box.detach = detached::incrementAndGet;
        box.offerSnapshot(snapshot(1), 1);
        assertThatCode(box::drain).doesNotThrowAnyException();
        assertThat(detached).hasValue(1);
        assertThat(sink.errors).singleElement().satisfies(e -> assertThat(e).hasMessage("a broken subscriber"));
        // Ended: later signals are dropped, and draining stays safe.
        box.offerSnapshot(snapshot(2), 2);
        assertThatCode(box::drain).doesNotThrowAnyException();
        assertThat(box.pending()).isZero();
    }
}

package dev.mutagenws.state;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.DaemonVersion;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link MutagenDaemon} whose {@code List} calls the test answers by hand (or by a function), for
 * virtual-time tests of the loop. Every call is recorded with the virtual time it started at.
 */
public final class StubDaemon implements MutagenDaemon {
    public static final DaemonVersion VERSION = new DaemonVersion(0, 18, 1, "");

    /** One List call: what it asked, when, and the answer the test gives it. */
    static final class Call {
        final SessionSelection selection;
        final long previousStateIndex;
        final long startedAtMillis;
        final Sinks.One<ListResponse> answer = Sinks.one();
        volatile boolean cancelled;

        Call(SessionSelection selection, long previousStateIndex, long startedAtMillis) {
            this.selection = selection;
            this.previousStateIndex = previousStateIndex;
            this.startedAtMillis = startedAtMillis;
        }

        void answer(long index, State... states) {
            answer.tryEmitValue(response(index, states));
        }

        void fail(Throwable error) {
            answer.tryEmitError(error);
        }

        boolean open() {
            return !cancelled && answer.currentSubscriberCount() > 0;
        }
    }

    final ConcurrentLinkedDeque<Call> calls = new ConcurrentLinkedDeque<>();
    final AtomicInteger versionCalls = new AtomicInteger();
    /** What {@link #connectionEpoch()} answers: a test moves it to act out a reconnection (a daemon restart). */
    final AtomicLong epoch = new AtomicLong(1);
    private final Scheduler clock;
    /** When set, answers each call at once (synchronously): (selection, previousStateIndex) -> answer. */
    volatile BiFunction<SessionSelection, Long, Mono<ListResponse>> auto;

    StubDaemon(Scheduler clock) {
        this.clock = clock;
    }

    static ListResponse response(long index, State... states) {
        return ListResponse.newBuilder().setStateIndex(index).addAllSessionStates(List.of(states)).build();
    }

    static State state(String id, Status status) {
        return State.newBuilder().setSession(Session.newBuilder().setIdentifier(id).setName("n" + id))
                .setStatus(status).build();
    }

    public static State cycles(String id, long cycles) {
        return state(id, Status.Watching).toBuilder().setSuccessfulCycles(cycles).build();
    }

    Call last() {
        return calls.peekLast();
    }

    long openCalls() {
        return calls.stream().filter(Call::open).count();
    }

    @Override
    public Mono<ListResponse> list(SessionSelection selection, long previousStateIndex) {
        return Mono.defer(() -> {
            Call call = new Call(selection, previousStateIndex, clock.now(TimeUnit.MILLISECONDS));
            calls.add(call);
            BiFunction<SessionSelection, Long, Mono<ListResponse>> a = auto;
            if (a != null) {
                return a.apply(selection, previousStateIndex);
            }
            return call.answer.asMono().doOnCancel(() -> call.cancelled = true);
        });
    }

    @Override
    public Mono<DaemonVersion> version() {
        return Mono.fromSupplier(() -> {
            versionCalls.incrementAndGet();
            return VERSION;
        });
    }

    @Override
    public DaemonSocket socket() {
        return DaemonSocket.of(Path.of("/stub/daemon.sock"));
    }

    @Override
    public long connectionEpoch() {
        return epoch.get();
    }

    @Override
    public Flux<DaemonAvailability> availability() {
        return Flux.just(DaemonAvailability.connected(VERSION));
    }

    @Override
    public Mono<String> create(CreationSpecification specification, Prompter prompter) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<Void> flush(SessionSelection selection, boolean skipWait, Prompter prompter) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<Void> pause(SessionSelection selection, Prompter prompter) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<Void> resume(SessionSelection selection, Prompter prompter) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<Void> reset(SessionSelection selection, Prompter prompter) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public Mono<Void> terminate(SessionSelection selection, Prompter prompter) {
        return Mono.error(new UnsupportedOperationException());
    }

    @Override
    public void close() {
    }
}

package dev.mutagenws.internal.state;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateSignal;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * {@code list} after a state index, for every transport (the WebSocket waits as long as it takes, REST
 * has a {@code timeout}), through the hub's shared live-state loop of the selection: however many
 * clients long-poll it, the daemon sees one loop, throttled like every subscription, and only a change
 * of the selected sessions answers (the daemon's own long-poll wakes on any session's change).
 */
public final class SharedLongPoll {
    private final MutagenDaemon daemon;
    private final StateHub states;

    public SharedLongPoll(MutagenDaemon daemon, StateHub states) {
        this.states = Objects.requireNonNull(states, "states");
        this.daemon = Objects.requireNonNull(daemon, "daemon");
    }

    /**
     * The selection's session states once they are no longer those of {@code stateIndex}: at once when
     * they already are not (an older index, or one from before a daemon restart), else at the next change
     * of the selected sessions; 0 is a plain {@code List}. Fails as a direct {@code List} would: with the
     * daemon's error when the selection stops matching (2001), with the daemon's own reason when it cannot
     * be reached (2006); with 2009 when the hub closes. Cancelling it stops the wait.
     */
    public Mono<ListResponse> after(SessionSelection selection, long stateIndex) {
        if (stateIndex == 0) {
            return daemon.list(selection, stateIndex); // 0 waits for nothing: a plain List
        }
        return states.signals(selection, stateIndex)
                // UNCHANGED says the client is up to date (wait on); "daemon back" is followed by a snapshot.
                .filter(s -> s.kind() == StateSignal.Kind.SNAPSHOT
                        || s.kind() == StateSignal.Kind.DAEMON && !s.daemon().isConnected())
                .concatMap(s -> s.kind() == StateSignal.Kind.SNAPSHOT ? Mono.just(response(s.snapshot()))
                        : outage(selection, stateIndex, s.daemon()))
                .next()
                .switchIfEmpty(Mono.error(ProtocolException::shuttingDown));
    }

    /**
     * As {@link #after(SessionSelection, long)}, but when nothing changed within {@code timeout},
     * answers with the current states at the client's own index (REST's {@code ?timeout=}).
     */
    public Mono<ListResponse> after(SessionSelection selection, long stateIndex, Duration timeout) {
        if (stateIndex == 0) {
            return after(selection, 0); // a plain List: nothing to time out
        }
        return after(selection, stateIndex).timeout(timeout, Mono.defer(() -> unchanged(selection, stateIndex)));
    }

    /**
     * The answer when the daemon went away during the wait (or restarted: either way the client's index
     * belongs to a run that is over), as a direct long-poll would have ended: the current states when a
     * direct call finds the daemon back, else 2006 with the reason that call gives. A call that races the
     * daemon's shutdown may have its stream reset (CANCELLED): no verdict, the outage the loop saw answers. When
     * the daemon is back at the client's own index, that is no news: empty, and the wait goes on with the loop.
     */
    private Mono<ListResponse> outage(SessionSelection selection, long stateIndex, DaemonAvailability down) {
        return daemon.list(selection, 0)
                .filter(r -> r.getStateIndex() != stateIndex)
                .onErrorMap(e -> !(e instanceof DaemonUnavailableException),
                        e -> new ProtocolException(Outcome.DAEMON_UNAVAILABLE, down.problem()));
    }

    /** The long-poll's answer when nothing changed in time: the current states, at the client's index. */
    private Mono<ListResponse> unchanged(SessionSelection selection, long stateIndex) {
        // The loop lingers after the poll left, so its states are normally still there.
        SessionStates current = states.current(selection);
        if (current == null) {
            return daemon.list(selection, 0);
        }
        return Mono.just(ListResponse.newBuilder().setStateIndex(stateIndex)
                .addAllSessionStates(current.states()).build());
    }

    /**
     * A snapshot as the daemon's own {@code List} answer, so that the reply is encoded exactly as a
     * direct {@code list} reply is.
     */
    private static ListResponse response(SessionStates snapshot) {
        return ListResponse.newBuilder().setStateIndex(snapshot.stateIndex())
                .addAllSessionStates(snapshot.states()).build();
    }
}

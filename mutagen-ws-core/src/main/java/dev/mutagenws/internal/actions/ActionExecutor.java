package dev.mutagenws.internal.actions;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.Durations;
import dev.mutagenws.internal.protocol.Failure;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.internal.state.SharedLongPoll;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The action layer: where every action is executed, whatever the transport. WebSocket, REST and the event
 * streams parse their input into an {@link ActionRequest} (or a {@link Subscribe}), call this, and render
 * what it answers; failures arrive as exceptions that {@link Failure#of(Throwable)}
 * gives their code and HTTP status. What differs between transports (how prompts are answered) arrives
 * as the {@link Prompter}.
 */
public final class ActionExecutor {
    /** The success data of the actions that answer nothing but success: {@code {}}. */
    private static final Map<String, Object> NOTHING = Map.of();

    private final MutagenDaemon daemon;
    private final StateHub states;
    /** Long-polls of {@code list}: the hub's shared loop of the selection, for every transport. */
    private final SharedLongPoll longPolls;
    /** How long a status answer waits for the first probe of the daemon before saying it did not answer. */
    private final Duration availabilityWait;

    /**
     * Executes on {@code daemon}; live state and long-polls come from {@code states} (a hub of that daemon); a status
     * answer waits up to {@code availabilityWait} for the daemon's first probe.
     */
    public ActionExecutor(MutagenDaemon daemon, StateHub states, Duration availabilityWait) {
        this.availabilityWait = Objects.requireNonNull(availabilityWait, "availabilityWait");
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.states = Objects.requireNonNull(states, "states");
        this.longPolls = new SharedLongPoll(daemon, states);
    }

    /**
     * Runs an action: nothing happens until subscribed; cancelling cancels its daemon call and prompts.
     *
     * @return the success data, or an error for {@link Failure#of(Throwable)}
     */
    @SuppressWarnings("unchecked") // each request type answers its own R, as run() pairs them
    public <R> Mono<R> execute(ActionRequest<R> request, Prompter prompter) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(prompter, "prompter");
        return Mono.defer(() -> (Mono<R>) run(request, prompter));
    }

    private Mono<?> run(ActionRequest<?> request, Prompter prompter) {
        if (request instanceof ActionRequest.Create c) {
            return daemon.create(c.specification(), prompter).map(session -> Map.of("session", session));
        }
        if (request instanceof ActionRequest.ListSessions l) {
            return l.timeout() == null ? longPolls.after(l.selection(), l.stateIndex())
                    : longPolls.after(l.selection(), l.stateIndex(), l.timeout());
        }
        if (request instanceof ActionRequest.Change c) {
            return change(c.action(), c.selection(), prompter).thenReturn(NOTHING);
        }
        if (request instanceof ActionRequest.Flush f) {
            return daemon.flush(f.selection(), f.skipWait(), prompter).thenReturn(NOTHING);
        }
        if (request instanceof ActionRequest.Version) {
            return daemon.version();
        }
        if (request instanceof ActionRequest.GetSession g) {
            return one(g.idOrName());
        }
        if (request instanceof ActionRequest.TerminateSession t) {
            return one(t.idOrName())
                    .flatMap(state -> daemon.terminate(SessionSelection.of(state.getSession().getIdentifier()), prompter)
                            .onErrorMap(ActionExecutor::notFound))
                    .thenReturn(NOTHING);
        }
        throw new IllegalArgumentException("no such request: " + request);
    }

    private Mono<Void> change(String action, SessionSelection selection, Prompter prompter) {
        return switch (action) {
            case Actions.PAUSE -> daemon.pause(selection, prompter);
            case Actions.RESUME -> daemon.resume(selection, prompter);
            case Actions.RESET -> daemon.reset(selection, prompter);
            default -> daemon.terminate(selection, prompter);
        };
    }

    /** The one session {@code idOrName} designates, or a failure saying why there is not exactly one. */
    private Mono<State> one(String idOrName) {
        return daemon.list(SessionSelection.of(idOrName), 0)
                .onErrorMap(ActionExecutor::notFound)
                .map(r -> {
                    if (r.getSessionStatesCount() == 1) {
                        return r.getSessionStates(0);
                    }
                    if (r.getSessionStatesCount() == 0) {
                        // The daemon says so itself for specifications; kept for safety.
                        throw new ProtocolException(Outcome.SESSION_NOT_FOUND, "unable to locate requested sessions: "
                                + "specification \"" + idOrName + "\" did not match any sessions");
                    }
                    List<String> ids = new ArrayList<>();
                    r.getSessionStatesList().forEach(s -> ids.add(s.getSession().getIdentifier()));
                    throw new ProtocolException(Outcome.AMBIGUOUS, "\"" + idOrName + "\" matches " + ids.size()
                            + " sessions (" + String.join(", ", ids) + "); use one of their identifiers");
                });
    }

    /** For one session, the daemon's "not found" is the answer (same code and text, its own outcome). */
    private static Throwable notFound(Throwable error) {
        return error instanceof DaemonOperationException e && e.reason() == DaemonOperationException.Reason.NOT_FOUND
                ? new ProtocolException(Outcome.SESSION_NOT_FOUND, e.daemonMessage()) : error;
    }

    /**
     * The live state of a selection from where the client resumes: the hub's signals, shared by every
     * subscriber of every transport. Completes at once, without a signal, when the hub has closed.
     */
    public Flux<StateSignal> subscribe(Subscribe request) {
        return states.signals(request.selection(), request.resume().index(), request.resume().epoch());
    }

    /** The daemon's availability: the current one at once (once known), then every change. */
    public Flux<DaemonAvailability> availability() {
        return daemon.availability();
    }

    /** The daemon's availability now; if it is not known within the availability wait, "did not answer". */
    public Mono<DaemonAvailability> currentAvailability() {
        return daemon.availability().next().timeout(availabilityWait, Mono.fromSupplier(
                () -> DaemonAvailability.disconnected("the daemon did not answer within "
                        + Durations.format(availabilityWait))));
    }

    /** Where the daemon's socket is, as clients are told it. */
    public String socket() {
        return daemon.socket().toString();
    }
}

package dev.mutagenws.internal.actions;

import dev.mutagenws.daemon.DaemonVersion;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One action, parsed and validated, for {@link ActionExecutor}: what every transport turns its input into
 * (a WebSocket frame's {@code data}, a REST query or body; see {@link ActionData}). {@code R} is the type of
 * the success {@code data}. Live state ({@code subscribe}) is a stream, not a single answer: {@link Subscribe}.
 *
 * @param <R> the success data
 */
public sealed interface ActionRequest<R> {
    /** The action's name, echoed by the success reply. */
    String action();

    /** {@code creation}: answers {@code {"session": "<identifier>"}}. */
    record Create(CreationSpecification specification) implements ActionRequest<Map<String, String>> {
        public Create {
            Objects.requireNonNull(specification, "specification");
        }

        @Override
        public String action() {
            return Actions.CREATION;
        }
    }

    /**
     * {@code list}: the current states ({@code stateIndex} 0), or the next ones after {@code stateIndex}
     * (a long-poll). With a {@code timeout} (REST) a wait that sees no change answers the unchanged states
     * at the client's index; without one (null) it waits until a change or a cancel.
     */
    record ListSessions(SessionSelection selection, long stateIndex, Duration timeout)
            implements ActionRequest<ListResponse> {
        public ListSessions {
            Objects.requireNonNull(selection, "selection");
        }

        @Override
        public String action() {
            return Actions.LIST;
        }
    }

    /** {@code pause}, {@code resume}, {@code reset} or {@code terminate} of a selection: answers {@code {}}. */
    record Change(String action, SessionSelection selection) implements ActionRequest<Map<String, Object>> {
        static final Set<String> ACTIONS = Set.of(Actions.PAUSE, Actions.RESUME, Actions.RESET, Actions.TERMINATE);

        public Change {
            Objects.requireNonNull(selection, "selection");
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("not a change of sessions: " + action);
            }
        }
    }

    /** {@code flush}: answers {@code {}} once the cycle ran, or at once with {@code skipWait}. */
    record Flush(SessionSelection selection, boolean skipWait) implements ActionRequest<Map<String, Object>> {
        public Flush {
            Objects.requireNonNull(selection, "selection");
        }

        @Override
        public String action() {
            return Actions.FLUSH;
        }
    }

    /** {@code version}: the daemon's. */
    record Version() implements ActionRequest<DaemonVersion> {
        @Override
        public String action() {
            return Actions.VERSION;
        }
    }

    /**
     * The state of the one session an identifier or name designates (REST's {@code GET .../{idOrName}}, a
     * {@code list}): fails with {@link Outcome#SESSION_NOT_FOUND} when none matches and
     * {@link Outcome#AMBIGUOUS} when a name matches several.
     */
    record GetSession(String idOrName) implements ActionRequest<State> {
        public GetSession {
            Objects.requireNonNull(idOrName, "idOrName");
        }

        @Override
        public String action() {
            return Actions.LIST;
        }
    }

    /**
     * Terminates the one session an identifier or name designates (REST's {@code DELETE}), looked up first as
     * {@link GetSession} is, so that a name matching several sessions terminates none.
     */
    record TerminateSession(String idOrName) implements ActionRequest<Map<String, Object>> {
        public TerminateSession {
            Objects.requireNonNull(idOrName, "idOrName");
        }

        @Override
        public String action() {
            return Actions.TERMINATE;
        }
    }
}

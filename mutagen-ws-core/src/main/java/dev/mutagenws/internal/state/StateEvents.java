package dev.mutagenws.internal.state;

import dev.mutagenws.proto.synchronization.EndpointState;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Derives the change events of docs/protocol.md section 4 from two consecutive snapshots. */
public final class StateEvents {
    /** Text forms of {@link Status} by number (mutagen-daemon-api.md section 9). */
    private static final String[] STATUS_TEXT = {"disconnected", "halted-on-root-emptied", "halted-on-root-deletion",
        "halted-on-root-type-change", "connecting-alpha", "connecting-beta", "watching", "scanning",
        "waiting-for-rescan", "reconciling", "staging-alpha", "staging-beta", "transitioning", "saving"};

    private StateEvents() {
    }

    /** The text form of a status, as in the JSON of a state ({@code watching}, {@code staging-beta}). */
    public static String statusText(int number) {
        return number >= 0 && number < STATUS_TEXT.length ? STATUS_TEXT[number] : "unknown";
    }

    /**
     * Events from {@code previous} to {@code next}, stamped with {@code next}'s index and time:
     * sessions in {@code next}'s order (created ones first among their own events), then the
     * terminated ones in {@code previous}'s order.
     */
    public static List<StateEvent> diff(SessionStates previous, SessionStates next) {
        Map<String, State> before = byIdentifier(previous);
        Emitter out = new Emitter(next.receivedAt(), next.stateIndex());
        for (State now : next.states()) {
            String id = now.getSession().getIdentifier();
            State then = before.remove(id);
            if (then == null) {
                out.add(StateEvent.SESSION_CREATED, id, "name", now.getSession().getName());
            } else if (!then.equals(now)) {
                diffSession(then, now, id, out);
            }
        }
        terminated(before, out);
        return List.copyOf(out.events);
    }

    /**
     * Events from a snapshot of one daemon run to one of the next: the restart itself, then sessions that
     * appeared or disappeared. Nothing else is compared: the new daemon reloaded its sessions from disk
     * with fresh run loops and counters, so a session that ran before and after would show as resumed,
     * reconnected or reset, none of which anyone did.
     */
    public static List<StateEvent> acrossRestart(SessionStates previous, SessionStates next) {
        Map<String, State> before = byIdentifier(previous);
        Emitter out = new Emitter(next.receivedAt(), next.stateIndex());
        out.add(StateEvent.DAEMON_RESTARTED, "", "previousStateIndex", previous.stateIndex());
        for (State now : next.states()) {
            String id = now.getSession().getIdentifier();
            if (before.remove(id) == null) {
                out.add(StateEvent.SESSION_CREATED, id, "name", now.getSession().getName());
            }
        }
        terminated(before, out);
        return List.copyOf(out.events);
    }

    private static Map<String, State> byIdentifier(SessionStates snapshot) {
        Map<String, State> out = new LinkedHashMap<>();
        for (State s : snapshot.states()) {
            out.put(s.getSession().getIdentifier(), s);
        }
        return out;
    }

    private static void terminated(Map<String, State> gone, Emitter out) {
        for (State s : gone.values()) {
            out.add(StateEvent.SESSION_TERMINATED, s.getSession().getIdentifier(), "name", s.getSession().getName());
        }
    }

    private static void diffSession(State then, State now, String id, Emitter out) {
        if (then.getSession().getPaused() != now.getSession().getPaused()) {
            out.add(now.getSession().getPaused() ? StateEvent.PAUSED : StateEvent.RESUMED, id);
        }
        if (then.getStatusValue() != now.getStatusValue()) {
            out.add(StateEvent.STATUS_CHANGED, id, "from", statusText(then.getStatusValue()),
                    "to", statusText(now.getStatusValue()));
        }
        endpointConnection("alpha", then.getAlphaState(), now.getAlphaState(), id, out);
        endpointConnection("beta", then.getBetaState(), now.getBetaState(), id, out);
        if (!then.getLastError().equals(now.getLastError())) {
            if (now.getLastError().isEmpty()) {
                out.add(StateEvent.ERROR_CLEARED, id, "lastError", then.getLastError());
            } else {
                out.add(StateEvent.ERROR, id, "lastError", now.getLastError());
            }
        }
        if (then.getExcludedConflicts() != now.getExcludedConflicts()
                || !then.getConflictsList().equals(now.getConflictsList())) {
            out.add(StateEvent.CONFLICTS_CHANGED, id, "conflicts", (long) now.getConflictsCount(),
                    "excludedConflicts", now.getExcludedConflicts());
        }
        problems("alpha", then.getAlphaState(), now.getAlphaState(), id, out);
        problems("beta", then.getBetaState(), now.getBetaState(), id, out);
        staging("alpha", then.getAlphaState(), now.getAlphaState(), id, out);
        staging("beta", then.getBetaState(), now.getBetaState(), id, out);
        // Counting up only: pause, reset and failures set it back to 0, which is no completed cycle.
        if (Long.compareUnsigned(now.getSuccessfulCycles(), then.getSuccessfulCycles()) > 0) {
            out.add(StateEvent.CYCLE_COMPLETED, id, "successfulCycles", now.getSuccessfulCycles());
        }
    }

    private static void endpointConnection(String endpoint, EndpointState then, EndpointState now, String id,
            Emitter out) {
        if (then.getConnected() != now.getConnected()) {
            out.add(StateEvent.CONNECTION_CHANGED, id, "endpoint", endpoint, "connected", now.getConnected());
        }
    }

    private static void problems(String endpoint, EndpointState then, EndpointState now, String id, Emitter out) {
        if (then.getExcludedScanProblems() != now.getExcludedScanProblems()
                || !then.getScanProblemsList().equals(now.getScanProblemsList())) {
            out.add(StateEvent.PROBLEMS_CHANGED, id, "endpoint", endpoint, "kind", "scan",
                    "count", now.getScanProblemsCount() + now.getExcludedScanProblems());
        }
        if (then.getExcludedTransitionProblems() != now.getExcludedTransitionProblems()
                || !then.getTransitionProblemsList().equals(now.getTransitionProblemsList())) {
            out.add(StateEvent.PROBLEMS_CHANGED, id, "endpoint", endpoint, "kind", "transition",
                    "count", now.getTransitionProblemsCount() + now.getExcludedTransitionProblems());
        }
    }

    /** Progress while an endpoint receives files; the end of staging shows as the status change. */
    private static void staging(String endpoint, EndpointState then, EndpointState now, String id, Emitter out) {
        if (!now.hasStagingProgress()) {
            return;
        }
        ReceiverState p = now.getStagingProgress();
        if (then.hasStagingProgress() && then.getStagingProgress().equals(p)) {
            return;
        }
        out.add(StateEvent.STAGING_PROGRESS, id, "endpoint", endpoint, "path", p.getPath(),
                "receivedFiles", p.getReceivedFiles(), "expectedFiles", p.getExpectedFiles(),
                "receivedSize", p.getReceivedSize(), "expectedSize", p.getExpectedSize(),
                "totalReceivedSize", p.getTotalReceivedSize());
    }

    private static final class Emitter {
        final Instant time;
        final long stateIndex;
        final List<StateEvent> events = new ArrayList<>();

        Emitter(Instant time, long stateIndex) {
            this.time = time;
            this.stateIndex = stateIndex;
        }

        void add(String type, String session, Object... keysAndValues) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
            events.add(new StateEvent(type, time, stateIndex, session, fields));
        }
    }
}

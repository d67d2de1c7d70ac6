package dev.mutagenws.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mutagenws.internal.protocol.ProtocolDescription;
import dev.mutagenws.proto.synchronization.EndpointState;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** One test per event type of docs/protocol.md section 4, on hand-made snapshots. */
class StateEventsTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T10:00:01.250Z");

    private static State base(String id) {
        return State.newBuilder()
                .setSession(Session.newBuilder().setIdentifier(id).setName("web"))
                .setStatus(Status.Watching)
                .setSuccessfulCycles(2)
                .setAlphaState(EndpointState.newBuilder().setConnected(true))
                .setBetaState(EndpointState.newBuilder().setConnected(true))
                .build();
    }

    private static List<StateEvent> diff(State before, State after) {
        return StateEvents.diff(new SessionStates(10, List.of(before), T0), new SessionStates(17, List.of(after), T1));
    }

    private static StateEvent only(State before, UnaryOperator<State.Builder> change) {
        List<StateEvent> events = diff(before, change.apply(before.toBuilder()).build());
        assertThat(events).hasSize(1);
        StateEvent e = events.get(0);
        assertThat(e.time()).isEqualTo(T1);
        assertThat(e.stateIndex()).isEqualTo(17);
        assertThat(e.session()).isEqualTo("sync_a");
        return e;
    }

    @Test
    void identicalSnapshotsHaveNoEvents() {
        assertThat(diff(base("sync_a"), base("sync_a"))).isEmpty();
    }

    @Test
    void sessionCreatedAndTerminated() {
        SessionStates before = new SessionStates(10, List.of(base("sync_a")), T0);
        SessionStates after = new SessionStates(17, List.of(base("sync_b").toBuilder()
                .setSession(Session.newBuilder().setIdentifier("sync_b").setName("api")).build()), T1);
        List<StateEvent> events = StateEvents.diff(before, after);
        assertThat(events).extracting(StateEvent::type, StateEvent::session, e -> e.fields().get("name"))
                .containsExactly(
                        Tuple.tuple(StateEvent.SESSION_CREATED, "sync_b", "api"),
                        Tuple.tuple(StateEvent.SESSION_TERMINATED, "sync_a", "web"));
    }

    @Test
    void statusChangedWithTextForms() {
        StateEvent e = only(base("sync_a"), b -> b.setStatus(Status.StagingBeta));
        assertThat(e.type()).isEqualTo(StateEvent.STATUS_CHANGED);
        assertThat(e.fields()).containsExactly(Map.entry("from", "watching"), Map.entry("to", "staging-beta"));
    }

    @Test
    void pausedAndResumed() {
        State running = base("sync_a").toBuilder().setSuccessfulCycles(0).build();
        State paused = running.toBuilder().setSession(running.getSession().toBuilder().setPaused(true)).build();
        assertThat(only(running, b -> b.setSession(paused.getSession())).type()).isEqualTo(StateEvent.PAUSED);
        assertThat(only(paused, b -> b.setSession(running.getSession())).type()).isEqualTo(StateEvent.RESUMED);
    }

    @Test
    void connectionChangedPerEndpoint() {
        StateEvent e = only(base("sync_a"), b -> b.setBetaState(b.getBetaState().toBuilder().setConnected(false)));
        assertThat(e.type()).isEqualTo(StateEvent.CONNECTION_CHANGED);
        assertThat(e.fields()).containsExactly(Map.entry("endpoint", "beta"), Map.entry("connected", false));
    }

    @Test
    void errorAndErrorCleared() {
        StateEvent set = only(base("sync_a"), b -> b.setLastError("alpha scan error: permission denied"));
        assertThat(set.type()).isEqualTo(StateEvent.ERROR);
        assertThat(set.fields()).containsExactly(Map.entry("lastError", "alpha scan error: permission denied"));
        State failing = base("sync_a").toBuilder().setLastError("boom").build();
        StateEvent cleared = only(failing, b -> b.setLastError(""));
        assertThat(cleared.type()).isEqualTo(StateEvent.ERROR_CLEARED);
        assertThat(cleared.fields()).containsExactly(Map.entry("lastError", "boom"));
    }

    @Test
    void conflictsChangedWithCounts() {
        Conflict c = Conflict.newBuilder().setRoot("conflict.txt").build();
        StateEvent e = only(base("sync_a"), b -> b.addAllConflicts(List.of(c, c)).setExcludedConflicts(3));
        assertThat(e.type()).isEqualTo(StateEvent.CONFLICTS_CHANGED);
        assertThat(e.fields()).containsExactly(Map.entry("conflicts", 2L), Map.entry("excludedConflicts", 3L));
    }

    @Test
    void problemsChangedPerEndpointAndKind() {
        Problem p = Problem.newBuilder().setPath("absolute-link").setError("invalid symbolic link").build();
        StateEvent scan = only(base("sync_a"), b -> b.setAlphaState(b.getAlphaState().toBuilder()
                .addScanProblems(p).setExcludedScanProblems(4)));
        assertThat(scan.type()).isEqualTo(StateEvent.PROBLEMS_CHANGED);
        assertThat(scan.fields()).containsExactly(Map.entry("endpoint", "alpha"), Map.entry("kind", "scan"),
                Map.entry("count", 5L));
        StateEvent transition = only(base("sync_a"), b -> b.setBetaState(b.getBetaState().toBuilder()
                .addTransitionProblems(p)));
        assertThat(transition.fields()).containsExactly(Map.entry("endpoint", "beta"), Map.entry("kind", "transition"),
                Map.entry("count", 1L));
    }

    @Test
    void stagingProgressWhileReceivingOnly() {
        ReceiverState progress = ReceiverState.newBuilder().setPath("blob-1").setReceivedSize(65536)
                .setExpectedSize(50_000_000).setReceivedFiles(1).setExpectedFiles(6).setTotalReceivedSize(50_065_536)
                .build();
        State staging = base("sync_a").toBuilder().setBetaState(base("sync_a").getBetaState().toBuilder()
                .setStagingProgress(progress)).build();
        StateEvent e = only(base("sync_a"), b -> b.setBetaState(staging.getBetaState()));
        assertThat(e.type()).isEqualTo(StateEvent.STAGING_PROGRESS);
        assertThat(e.fields()).containsExactly(Map.entry("endpoint", "beta"), Map.entry("path", "blob-1"),
                Map.entry("receivedFiles", 1L), Map.entry("expectedFiles", 6L), Map.entry("receivedSize", 65536L),
                Map.entry("expectedSize", 50_000_000L), Map.entry("totalReceivedSize", 50_065_536L));
        // The end of staging is no progress event.
        assertThat(diff(staging, base("sync_a"))).isEmpty();
    }

    @Test
    void cycleCompletedWhenTheCountGoesUpOnly() {
        StateEvent e = only(base("sync_a"), b -> b.setSuccessfulCycles(4));
        assertThat(e.type()).isEqualTo(StateEvent.CYCLE_COMPLETED);
        assertThat(e.fields()).containsExactly(Map.entry("successfulCycles", 4L));
        assertThat(diff(base("sync_a"), base("sync_a").toBuilder().setSuccessfulCycles(0).build())).isEmpty();
    }

    @Test
    void severalChangesOfOneSessionInAFixedOrder() {
        State after = base("sync_a").toBuilder().setStatus(Status.Scanning).setSuccessfulCycles(3).setLastError("x")
                .build();
        assertThat(diff(base("sync_a"), after)).extracting(StateEvent::type)
                .containsExactly(StateEvent.STATUS_CHANGED, StateEvent.ERROR, StateEvent.CYCLE_COMPLETED);
    }

    @Test
    void everyTypeIsOneTheProtocolDescribes() throws Exception {
        assertThat(List.of(StateEvent.SESSION_CREATED, StateEvent.SESSION_TERMINATED, StateEvent.STATUS_CHANGED,
                StateEvent.PAUSED, StateEvent.RESUMED, StateEvent.CONNECTION_CHANGED, StateEvent.ERROR,
                StateEvent.ERROR_CLEARED, StateEvent.CONFLICTS_CHANGED, StateEvent.PROBLEMS_CHANGED,
                StateEvent.STAGING_PROGRESS, StateEvent.CYCLE_COMPLETED, StateEvent.DAEMON_RESTARTED))
                .containsExactlyInAnyOrderElementsOf(ProtocolDescription.EVENT_TYPES);
    }

    @Test
    void eventMapHasTheProtocolKeysFirst() {
        StateEvent e = only(base("sync_a"), b -> b.setStatus(Status.Scanning));
        assertThat(e.toMap().keySet()).containsExactly("type", "time", "stateIndex", "session", "from", "to");
        assertThat(e.toMap()).containsEntry("time", "2024-05-01T10:00:01.250Z").containsEntry("stateIndex", 17L);
    }

    @Test
    void eventsAreComputedOncePerPredecessor() {
        SessionStates before = new SessionStates(10, List.of(base("sync_a")), T0);
        SessionStates after = new SessionStates(17, List.of(base("sync_a").toBuilder().setSuccessfulCycles(3).build()), T1);
        assertThat(after.eventsSince(before)).isSameAs(after.eventsSince(before));
        assertThat(after.eventsSince(null)).isEmpty();
    }

    @Test
    void snapshotJsonIsTheStateRecordEncodedOnce() throws Exception {
        SessionStates s = new SessionStates(17, List.of(base("sync_a")), T1);
        assertThat(s.json()).isSameAs(s.json());
        assertThat(s.sessionStatesJson()).isSameAs(s.sessionStatesJson());
        JsonNode node = new ObjectMapper().readTree(s.json().getValue());
        assertThat(node.get("stateIndex").asLong()).isEqualTo(17);
        assertThat(node.get("sessionStates").get(0).get("status").asText()).isEqualTo("watching");
        assertThat(node.get("sessionStates").get(0).at("/session/identifier").asText()).isEqualTo("sync_a");
        SessionStates empty = new SessionStates(1, List.of(), T1);
        assertThat(empty.json().getValue())
                .isEqualTo("{\"stateIndex\":1,\"epoch\":\"" + empty.epoch() + "\",\"sessionStates\":[]}");
    }
}

package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.ServerTest.awaitBlocked;
import static dev.mutagenws.testkit.TestClient.all;
import static dev.mutagenws.testkit.TestClient.error;
import static dev.mutagenws.testkit.TestClient.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.synchronization.FlushRequest;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.service.synchronization.PauseRequest;
import dev.mutagenws.proto.service.synchronization.ResetRequest;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.service.synchronization.TerminateRequest;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.Version;
import dev.mutagenws.proto.synchronization.core.Change;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.EntryKind;
import dev.mutagenws.proto.synchronization.core.Problem;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LifecycleTest {
    @RegisterExtension
    FakeDaemonExtension fake = FakeDaemonExtension.perTest().configure(b -> b.manualLifecycle(true));

    @Test
    void createRunsToWatchingAutomatically() throws Exception {
        try (FakeDaemon daemon = FakeDaemon.builder().stepDelay(Duration.ofMillis(1)).build().start();
             TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            String id = c.create(h.id(), TestClient.localSpec("life").putLabels("k", "v"));
            assertThat(h.messages()).containsExactly("M Creating session...");
            ListResponse first = c.list(all(), 0);
            assertThat(first.getSessionStatesList()).hasSize(1);
            long index = first.getStateIndex();
            State s = first.getSessionStates(0);
            assertThat(s.getSession().getIdentifier()).isEqualTo(id).startsWith("sync_").hasSize(48);
            assertThat(s.getSession().getVersion()).isEqualTo(Version.Version1);
            assertThat(s.getSession().getCreatingVersionMinor()).isEqualTo(18);
            assertThat(s.getSession().getLabelsMap()).containsEntry("k", "v");
            assertThat(s.hasAlphaState()).isTrue();
            // Long-poll until the echo cycle finished: Watching with 2 cycles (on a busy machine possibly at once).
            ListResponse r = first;
            while (true) {
                State st = r.getSessionStates(0);
                if (st.getStatus() == Status.Watching && st.getSuccessfulCycles() == 2) {
                    assertThat(st.getAlphaState().getConnected()).isTrue();
                    assertThat(st.getBetaState().getScanned()).isTrue();
                    break;
                }
                r = c.list(all(), index);
                assertThat(r.getStateIndex()).isGreaterThan(index);
                index = r.getStateIndex();
            }
            assertThat(daemon.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(daemon.stateIndex()).isEqualTo(1 + 1 + 2 + 9 + 9);
        }
    }

    @Test
    void operationsMessagesAndIndexDeltas(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(false)) {
            String id = c.create(h.id(), TestClient.localSpec("ops"));
            assertThat(daemon.stateIndex()).isEqualTo(2);
            State created = daemon.sessions().get(0);
            assertThat(created.getStatus()).isEqualTo(Status.Disconnected);
            assertThat(created.getSession().getPaused()).isFalse();
            daemon.runPendingSteps();
            assertThat(daemon.stateIndex()).isEqualTo(2 + 2 + 9 + 9);
            Selection sel = spec("ops");

            long i = daemon.stateIndex();
            c.sync().flush(FlushRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isEqualTo(9);
            assertThat(state(c).getSuccessfulCycles()).isEqualTo(3);

            i = daemon.stateIndex();
            c.sync().pause(PauseRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isEqualTo(3);
            State paused = state(c);
            assertThat(paused.getStatus()).isEqualTo(Status.Disconnected);
            assertThat(paused.getSession().getPaused()).isTrue();
            assertThat(paused.getSuccessfulCycles()).isZero();
            assertThat(paused.getAlphaState().getConnected()).isFalse();

            i = daemon.stateIndex();
            c.sync().pause(PauseRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isEqualTo(1);
            i = daemon.stateIndex();
            c.sync().reset(ResetRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isZero();
            assertThat(error(() -> c.sync().flush(FlushRequest.newBuilder().setPrompter(h.id()).setSelection(sel)
                    .setSkipWait(true).build()))).isEqualTo("unable to flush session: session is paused");

            i = daemon.stateIndex();
            c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isEqualTo(16);
            assertThat(state(c).getStatus()).isEqualTo(Status.Watching);
            assertThat(state(c).getSuccessfulCycles()).isEqualTo(1);

            i = daemon.stateIndex();
            c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isZero();

            i = daemon.stateIndex();
            c.sync().reset(ResetRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isEqualTo(19);

            i = daemon.stateIndex();
            c.sync().terminate(TerminateRequest.newBuilder().setPrompter(h.id()).setSelection(sel).build());
            assertThat(daemon.stateIndex() - i).isEqualTo(3);
            assertThat(c.list(all(), 0).getSessionStatesList()).isEmpty();
            assertThat(error(() -> c.list(spec(id), 0)))
                    .isEqualTo("unable to locate requested sessions: specification \"" + id + "\" did not match any sessions");

            String f = "Forcing synchronization cycle for session " + id + "...";
            String p = "Pausing session " + id + "...";
            String r = "Resuming session " + id + "...";
            assertThat(h.messages()).containsExactly("M Creating session...", "M " + f, "M " + p, "M " + p, "M " + f,
                    "M " + r, "M " + r, "M " + p, "M " + r, "M Terminating session " + id + "...");
        }
    }

    @Test
    void createdPausedAndDuplicateNames(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("dup").setPaused(true));
            c.create(h.id(), TestClient.localSpec("dup").setPaused(true));
            assertThat(daemon.pendingSteps()).isZero();
            List<State> states = c.list(spec("dup", "dup"), 0).getSessionStatesList();
            assertThat(states).hasSize(2).allSatisfy(s -> {
                assertThat(s.getStatus()).isEqualTo(Status.Disconnected);
                assertThat(s.getSession().getPaused()).isTrue();
            });
            c.sync().terminate(TerminateRequest.newBuilder().setPrompter(h.id()).setSelection(spec("dup")).build());
            assertThat(daemon.sessions()).isEmpty();
        }
    }

    @Test
    void flushNotAbleToSynchronizeAndSkipWait(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("f"));
            daemon.runPendingSteps();
            daemon.session("f").status(Status.HaltedOnRootEmptied);
            assertThat(error(() -> c.sync().flush(FlushRequest.newBuilder().setPrompter(h.id())
                    .setSelection(spec("f")).build())))
                    .isEqualTo("unable to flush session: session is not currently able to synchronize");
            daemon.session("f").status(Status.Watching);
            long before = daemon.session("f").state().getSuccessfulCycles();
            c.sync().flush(FlushRequest.newBuilder().setPrompter(h.id()).setSelection(spec("f")).setSkipWait(true).build());
            assertThat(daemon.session("f").state().getSuccessfulCycles()).isEqualTo(before + 1);
        }
    }

    @Test
    void longPollBlocksUntilAnyChangeThenResolvesSelection(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("a").putLabels("k", "a"));
            c.create(h.id(), TestClient.localSpec("b").putLabels("k", "b"));
            daemon.runPendingSteps();
            long index = c.list(all(), 0).getStateIndex();
            assertThat(c.list(all(), index - 1).getStateIndex()).isEqualTo(index);
            assertThat(c.list(all(), index + 1000).getStateIndex()).isEqualTo(index);

            ListenableFuture<ListResponse> byLabel = c.syncFuture().list(ListRequest.newBuilder()
                    .setSelection(Selection.newBuilder().setLabelSelector("k=b")).setPreviousStateIndex(index).build());
            ListenableFuture<ListResponse> missing = c.syncFuture().list(ListRequest.newBuilder()
                    .setSelection(spec("nosuch")).setPreviousStateIndex(index).build());
            awaitBlocked(daemon, 2);
            assertThat(byLabel.isDone()).isFalse();
            daemon.session("a").lastError("boom"); // a change of A wakes a List for B
            ListResponse r = byLabel.get(5, TimeUnit.SECONDS);
            assertThat(r.getStateIndex()).isEqualTo(index + 1);
            assertThat(r.getSessionStatesList()).extracting(s -> s.getSession().getName()).containsExactly("b");
            ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> missing.get(5, TimeUnit.SECONDS));
            assertThat(((StatusRuntimeException) e.getCause()).getStatus().getDescription())
                    .isEqualTo("unable to locate requested sessions: specification \"nosuch\" did not match any sessions");
            assertThat(daemon.listCalls("k=b")).isEqualTo(1);
            assertThat(c.list(Selection.newBuilder().setLabelSelector("k=zzz").build(), 0).getSessionStatesList()).isEmpty();
        }
    }

    @Test
    void cancelledLongPollIsObserved(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            Context.CancellableContext ctx = Context.current().withCancellation();
            ListenableFuture<ListResponse> call = ctx.call(() -> c.syncFuture().list(
                    ListRequest.newBuilder().setSelection(all()).setPreviousStateIndex(1).build()));
            awaitBlocked(daemon, 1);
            ctx.cancel(null);
            assertThat(daemon.awaitCancelled("List", Duration.ofSeconds(5))).isTrue();
            // The fake notes the cancel before it drops the waiter, and the client's future settles on its own
            // thread: wait for both rather than race them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (daemon.blockedListCalls() != 0) {
                assertThat(System.nanoTime()).as("the cancelled List stops waiting").isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(2);
            }
            Throwable ended = catchThrowable(() -> call.get(5, TimeUnit.SECONDS));
            assertThat(ended).as("the client's call ends cancelled").isInstanceOf(ExecutionException.class);
            assertThat(io.grpc.Status.fromThrowable(ended.getCause()).getCode()).isEqualTo(io.grpc.Status.Code.CANCELLED);
            assertThat(c.list(all(), 0).getStateIndex()).isEqualTo(1);
        }
    }

    @Test
    void listTruncatesAndSlimsConflictsAndProblems(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("t"));
            List<Conflict> conflicts = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (int n = 11; n >= 0; n--) {
                Entry dir = Entry.newBuilder().putContents("x", Entry.newBuilder().setKind(
                        EntryKind.File).build()).build();
                conflicts.add(Conflict.newBuilder().setRoot("c" + (char) ('a' + n))
                        .addAlphaChanges(Change.newBuilder().setPath("c").setNew(dir)).build());
                problems.add(Problem.newBuilder().setPath("p/" + (char) ('a' + n)).setError("e").build());
            }
            problems.add(Problem.newBuilder().setPath("p-a").setError("e").build());
            long i = daemon.stateIndex();
            daemon.session("t").conflicts(conflicts).scanProblems(Endpoint.ALPHA, problems);
            assertThat(daemon.stateIndex() - i).isEqualTo(2);
            State s = c.list(all(), 0).getSessionStates(0);
            assertThat(s.getConflictsList()).hasSize(10);
            assertThat(s.getExcludedConflicts()).isEqualTo(2);
            assertThat(s.getConflicts(0).getRoot()).isEqualTo("ca");
            assertThat(s.getConflicts(0).getAlphaChanges(0).getNew().getContentsMap()).isEmpty();
            assertThat(s.getAlphaState().getScanProblemsList()).hasSize(10);
            assertThat(s.getAlphaState().getExcludedScanProblems()).isEqualTo(3);
            assertThat(s.getAlphaState().getScanProblems(0).getPath()).isEqualTo("p/a"); // "p/..." before "p-a"
            assertThat(s.getBetaState().getExcludedScanProblems()).isZero();
        }
    }

    static State state(TestClient c) {
        return c.list(all(), 0).getSessionStates(0);
    }
}

package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.error;
import static dev.mutagenws.testkit.TestClient.local;
import static dev.mutagenws.testkit.TestClient.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.proto.service.synchronization.FlushRequest;
import dev.mutagenws.proto.service.synchronization.PauseRequest;
import dev.mutagenws.proto.service.synchronization.ResumeRequest;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Resume's skip rule (facts §4.7) and the run loop's own reconnect attempts after a failed Resume (SUMMARY §3). */
class ResumeReconnectTest {
    private static final Duration RETRY = Duration.ofMillis(300);

    @Test
    void resumeOfAnUnpausedSessionBelowWatchingReconnects() throws Exception {
        try (FakeDaemon daemon = FakeDaemon.builder().manualLifecycle(true).build().start();
             TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            String id = c.create(h.id(), TestClient.localSpec("fresh"));
            // Right after Create the run loop exists but the state is still Disconnected (status 0).
            assertThat(daemon.session("fresh").state().getStatus()).isEqualTo(Status.Disconnected);
            assertThat(daemon.pendingSteps()).isEqualTo(2 + 9 + 9);
            long index = daemon.stateIndex();
            c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id()).setSelection(spec(id)).build());
            // Reconnected: the old loop's queued steps are gone and the new loop ran its first cycle.
            assertThat(daemon.pendingSteps()).isZero();
            State s = daemon.session("fresh").state();
            assertThat(s.getStatus()).isEqualTo(Status.Watching);
            assertThat(s.getSuccessfulCycles()).isEqualTo(1);
            assertThat(daemon.stateIndex() - index).isEqualTo(2 + 16); // loop halted (+2), then a full resume (+16)

            // At Watching it is a no-op again.
            index = daemon.stateIndex();
            c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id()).setSelection(spec(id)).build());
            assertThat(daemon.stateIndex()).isEqualTo(index);
            assertThat(h.messages()).containsExactly("M Creating session...", "M Resuming session " + id + "...",
                    "M Resuming session " + id + "...");
        }
    }

    @Test
    void afterAFailedResumeTheLoopRetriesAtOnceThenAfterEachDelay() throws Exception {
        try (FakeDaemon daemon = FakeDaemon.builder().manualLifecycle(true).reconnectDelay(RETRY).build().start();
             TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            SshHost host = daemon.ssh().host("down").address("127.0.0.1").unreachable(true);
            URL beta = URL.newBuilder().setProtocol(Protocol.SSH).setUser("root").setHost("down").setPort(2999)
                    .setPath("/srv/unreachable").build();
            c.create(h.id(), TestClient.spec(local("/home/dev/alpha"), beta).setName("unreach").setPaused(true));
            assertThat(error(() -> c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id())
                    .setSelection(spec("unreach")).build()))).startsWith("unable to resume session: unable to connect "
                    + "to beta: ").endsWith("(error output: ssh: connect to host 127.0.0.1 port 2999: Connection refused)");
            State failed = daemon.session("unreach").state();
            assertStuck(failed);

            // The immediate retry is already queued: it moves the index, nothing else.
            assertThat(daemon.pendingSteps()).isEqualTo(3);
            long index = daemon.stateIndex();
            daemon.runPendingSteps();
            assertThat(daemon.stateIndex()).isEqualTo(index + 3);
            assertThat(daemon.session("unreach").state()).isEqualTo(failed);
            assertThat(daemon.pendingSteps()).isZero();
            assertThat(error(() -> c.sync().flush(FlushRequest.newBuilder().setPrompter(h.id())
                    .setSelection(spec("unreach")).build())))
                    .isEqualTo("unable to flush session: session is not currently able to synchronize");

            // The next attempt only after the delay.
            long start = System.nanoTime();
            awaitPending(daemon, 3);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(RETRY.toNanos() / 2);
            index = daemon.stateIndex();
            daemon.runPendingSteps();
            assertThat(daemon.stateIndex()).isEqualTo(index + 3);
            assertThat(daemon.session("unreach").state()).isEqualTo(failed);

            // Once the host answers, the next attempt connects and the loop runs its cycle.
            host.unreachable(false);
            awaitPending(daemon, 3);
            daemon.runPendingSteps();
            State connected = daemon.session("unreach").state();
            assertThat(connected.getStatus()).isEqualTo(Status.Watching);
            assertThat(connected.getSuccessfulCycles()).isEqualTo(1);
            assertThat(connected.getBetaState().getConnected()).isTrue();
            c.sync().flush(FlushRequest.newBuilder().setPrompter(h.id()).setSelection(spec("unreach")).build());
            assertThat(daemon.session("unreach").state().getSuccessfulCycles()).isEqualTo(2);
            TimeUnit.NANOSECONDS.sleep(RETRY.toNanos() * 2);
            assertThat(daemon.pendingSteps()).as("no attempts once connected").isZero();
        }
    }

    @Test
    void pauseStopsTheRetries() throws Exception {
        try (FakeDaemon daemon = FakeDaemon.builder().manualLifecycle(true).reconnectDelay(RETRY).build().start();
             TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            daemon.ssh().host("down").address("127.0.0.1").unreachable(true);
            URL beta = URL.newBuilder().setProtocol(Protocol.SSH).setHost("down").setPath("/x").build();
            c.create(h.id(), TestClient.spec(local("/a"), beta).setName("u").setPaused(true));
            error(() -> c.sync().resume(ResumeRequest.newBuilder().setPrompter(h.id()).setSelection(spec("u")).build()));
            c.sync().pause(PauseRequest.newBuilder().setPrompter(h.id())
                    .setSelection(spec("u")).build());
            assertThat(daemon.pendingSteps()).isZero();
            TimeUnit.NANOSECONDS.sleep(RETRY.toNanos() * 2);
            assertThat(daemon.pendingSteps()).isZero();
            assertThat(daemon.session("u").state().getSession().getPaused()).isTrue();
        }
    }

    private static void assertStuck(State s) {
        assertThat(s.getSession().getPaused()).isFalse();
        assertThat(s.getStatus()).isEqualTo(Status.ConnectingBeta);
        assertThat(s.getAlphaState().getConnected()).isTrue();
        assertThat(s.getBetaState().getConnected()).isFalse();
        assertThat(s.getLastError()).isEmpty();
    }

    private static void awaitPending(FakeDaemon daemon, int steps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (daemon.pendingSteps() < steps) {
            assertThat(System.nanoTime()).as("a reconnect attempt was queued").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}

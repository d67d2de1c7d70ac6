package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import dev.mutagenws.proto.service.daemon.TerminateRequest;
import dev.mutagenws.proto.service.daemon.VersionRequest;
import dev.mutagenws.proto.service.daemon.VersionResponse;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServerTest {
    @RegisterExtension
    static FakeDaemonExtension fake = FakeDaemonExtension.perTest().configure(b -> b.stepDelay(Duration.ofMillis(1)));

    @Test
    void versionAndSocketPermissions(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            VersionResponse v = c.daemon().version(VersionRequest.getDefaultInstance());
            assertThat(v).isEqualTo(VersionResponse.newBuilder().setMinor(18).setPatch(1).build());
            daemon.version(0, 17, 6, "dev");
            assertThat(c.daemon().version(VersionRequest.getDefaultInstance()).getTag()).isEqualTo("dev");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socketPath())))
                .isEqualTo("rw-------");
    }

    @Test
    void stopClosingFirstFailsBlockedListWithUnavailableAsInTheTracesAndRemovesSocket(FakeDaemon daemon)
            throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("a"));
            assertThat(daemon.awaitIdle(Duration.ofSeconds(5))).isTrue();
            long index = c.list(all(), 0).getStateIndex();
            ListenableFuture<ListResponse> blocked = c.syncFuture().list(
                    ListRequest.newBuilder().setSelection(all()).setPreviousStateIndex(index).build());
            awaitBlocked(daemon, 1);
            daemon.stop(FakeDaemon.StopOrder.CLOSE_FIRST);
            ExecutionException e = catchThrowableOfType(ExecutionException.class,
                    () -> blocked.get(5, TimeUnit.SECONDS));
            io.grpc.Status status = ((StatusRuntimeException) e.getCause()).getStatus();
            assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).isEqualTo("error reading from server: EOF");
            assertThat(Files.exists(daemon.socketPath())).isFalse();
            StatusRuntimeException down = catchThrowableOfType(StatusRuntimeException.class,
                    () -> c.list(all(), 0));
            assertThat(down.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void stopHaltsRunningSessionsFirstSoThatABlockedListReturnsTheirHaltedStates(FakeDaemon daemon)
            throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("a"));
            c.create(h.id(), TestClient.localSpec("b").setPaused(true));
            assertThat(daemon.awaitIdle(Duration.ofSeconds(5))).isTrue();
            ListResponse before = c.list(all(), 0);
            assertThat(before.getSessionStates(0).getStatus()).isEqualTo(Status.Watching);
            ListenableFuture<ListResponse> blocked = c.syncFuture().list(ListRequest.newBuilder().setSelection(all())
                    .setPreviousStateIndex(before.getStateIndex()).build());
            awaitBlocked(daemon, 1);
            daemon.stop(); // HALT_FIRST, the default
            ListResponse halted = blocked.get(5, TimeUnit.SECONDS);
            assertThat(halted.getStateIndex()).isGreaterThan(before.getStateIndex());
            State a = halted.getSessionStates(0);
            assertThat(a.getStatus()).isEqualTo(Status.Disconnected);
            assertThat(a.getSession().getPaused()).isFalse();
            assertThat(a.getAlphaState().getConnected()).isFalse();
            assertThat(a.getBetaState().getConnected()).isFalse();
            assertThat(a.getSuccessfulCycles()).isZero();
            assertThat(halted.getSessionStates(1)).isEqualTo(before.getSessionStates(1)); // paused: nothing to halt
            assertThat(Files.exists(daemon.socketPath())).isFalse();
            StatusRuntimeException down = catchThrowableOfType(StatusRuntimeException.class, () -> c.list(all(), 0));
            assertThat(down.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void restartResetsIndexKeepsSessionsAndReconnects(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("a"));
            c.create(h.id(), TestClient.localSpec("b").setPaused(true));
            assertThat(daemon.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(daemon.stateIndex()).isEqualTo(1 + 1 + 21);
        }
        daemon.restart();
        // Reset: 23 before the restart, and at most the 13 reconnect writes (+1) after it, however fast they ran.
        assertThat(daemon.stateIndex()).isLessThanOrEqualTo(14);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(5))).isTrue();
        // One unpaused session: ConnectingAlpha, alpha, ConnectingBeta, beta, cycle = 13 writes.
        assertThat(daemon.stateIndex()).isEqualTo(14);
        try (TestClient c = new TestClient(daemon.socketPath())) {
            ListResponse r = c.list(all(), 0);
            assertThat(r.getStateIndex()).isEqualTo(14);
            assertThat(r.getSessionStatesList()).extracting(s -> s.getSession().getName()).containsExactly("a", "b");
            State a = r.getSessionStates(0);
            assertThat(a.getStatus()).isEqualTo(Status.Watching);
            assertThat(a.getSuccessfulCycles()).isEqualTo(1);
            assertThat(r.getSessionStates(1).getSession().getPaused()).isTrue();
            // A pre-restart index answers at once.
            assertThat(c.list(all(), 130).getStateIndex()).isEqualTo(14);
        }
    }

    @Test
    void daemonTerminateRepliesThenStops(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            c.daemon().terminate(TerminateRequest.getDefaultInstance());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (daemon.isRunning() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(daemon.isRunning()).isFalse();
            assertThat(Files.exists(daemon.socketPath())).isFalse();
        }
    }

    static void awaitBlocked(FakeDaemon daemon, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (daemon.blockedListCalls() < n) {
            assertThat(System.nanoTime()).as("List calls blocked").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }
}

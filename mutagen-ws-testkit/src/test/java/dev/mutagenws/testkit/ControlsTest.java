package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.all;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ControlsTest {
    @RegisterExtension
    FakeDaemonExtension fake = FakeDaemonExtension.perTest().configure(b -> b.manualLifecycle(true));

    @Test
    void controlsBumpOnceAndBurstStreamsStagingProgress(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("s"));
            long i = daemon.stateIndex();
            daemon.session("s").status(Status.StagingBeta).successfulCycles(7).connected(Endpoint.BETA, true);
            assertThat(daemon.stateIndex() - i).isEqualTo(3);
            daemon.session("s").burst(100, Duration.ZERO).get(5, TimeUnit.SECONDS);
            assertThat(daemon.stateIndex() - i).isEqualTo(103);
            var progress = c.list(all(), 0).getSessionStates(0).getBetaState().getStagingProgress();
            assertThat(progress.getReceivedSize()).isEqualTo(100 * 65536L);
            daemon.session("s").stagingProgress(Endpoint.BETA, null);
            assertThat(c.list(all(), 0).getSessionStates(0).getBetaState().hasStagingProgress()).isFalse();
            daemon.session("s").burst(3, Duration.ofMillis(5)).get(5, TimeUnit.SECONDS);
            assertThat(daemon.stateIndex() - i).isEqualTo(107);
        }
    }

    @Test
    void stagingProgressUpdatesMergeLikeProtobuf(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("s"));
            daemon.session("s").stagingProgress(Endpoint.BETA, ReceiverState.newBuilder().setPath("blob-1")
                    .setReceivedSize(65536).setExpectedSize(50_000_000).setReceivedFiles(2).setExpectedFiles(6)
                    .setTotalReceivedSize(100_065_536).build());
            // The next update carries zeros for the counts it does not change: they keep their values.
            daemon.session("s").stagingProgress(Endpoint.BETA, ReceiverState.newBuilder().setReceivedSize(131072)
                    .setTotalReceivedSize(100_131_072).build());
            assertThat(c.list(all(), 0).getSessionStates(0).getBetaState().getStagingProgress())
                    .isEqualTo(ReceiverState.newBuilder().setPath("blob-1").setReceivedSize(131072)
                            .setExpectedSize(50_000_000).setReceivedFiles(2).setExpectedFiles(6)
                            .setTotalReceivedSize(100_131_072).build());
            assertThat(c.list(all(), 0).getSessionStates(0).getAlphaState().hasStagingProgress()).isFalse();
            daemon.session("s").stagingProgress(Endpoint.BETA, null);
            daemon.session("s").stagingProgress(Endpoint.BETA, ReceiverState.newBuilder().setPath("next").build());
            assertThat(c.list(all(), 0).getSessionStates(0).getBetaState().getStagingProgress())
                    .as("a cleared progress starts afresh").isEqualTo(ReceiverState.newBuilder().setPath("next").build());
        }
    }

    @Test
    void transitionProblemsAndScanResultsReachList(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("s"));
            List<Problem> problems = new ArrayList<>();
            for (int n = 11; n >= 0; n--) {
                problems.add(Problem.newBuilder().setPath("d/f" + (char) ('a' + n)).setError("permission denied").build());
            }
            long i = daemon.stateIndex();
            daemon.session("s").transitionProblems(Endpoint.BETA, problems).scanResults(Endpoint.ALPHA, 2, 3, 4096);
            assertThat(daemon.stateIndex() - i).isEqualTo(2);
            State s = c.list(all(), 0).getSessionStates(0);
            assertThat(s.getBetaState().getTransitionProblemsList()).hasSize(10)
                    .extracting(Problem::getPath).startsWith("d/fa", "d/fb").endsWith("d/fj");
            assertThat(s.getBetaState().getExcludedTransitionProblems()).isEqualTo(2);
            assertThat(s.getAlphaState().getTransitionProblemsList()).isEmpty();
            assertThat(s.getAlphaState().getExcludedTransitionProblems()).isZero();
            assertThat(s.getAlphaState().getScanned()).isTrue();
            assertThat(s.getAlphaState().getDirectories()).isEqualTo(2);
            assertThat(s.getAlphaState().getFiles()).isEqualTo(3);
            assertThat(s.getAlphaState().getTotalFileSize()).isEqualTo(4096);
            assertThat(s.getBetaState().getScanned()).isFalse();
            daemon.session("s").transitionProblems(Endpoint.BETA, List.of());
            assertThat(c.list(all(), 0).getSessionStates(0).getBetaState().getTransitionProblemsList()).isEmpty();
        }
    }

    @Test
    void latencyAndRequestLog(FakeDaemon daemon) throws Exception {
        try (TestClient c = new TestClient(daemon.socketPath())) {
            daemon.latency(Duration.ofMillis(150));
            long start = System.nanoTime();
            c.list(all(), 0);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(150);
            assertThat(daemon.listCalls()).isEqualTo(1);
            assertThat(daemon.listCalls("all")).isEqualTo(1);
            assertThat(daemon.requests("List")).singleElement()
                    .satisfies(r -> assertThat(r.message()).isEqualTo(ListRequest.newBuilder().setSelection(all()).build()));
        }
    }
}

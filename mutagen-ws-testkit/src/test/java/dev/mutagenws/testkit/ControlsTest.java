package dev.mutagenws.testkit;

import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.synchronization.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.mutagenws.testkit.TestClient.all;
import static org.assertj.core.api.Assertions.assertThat;

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

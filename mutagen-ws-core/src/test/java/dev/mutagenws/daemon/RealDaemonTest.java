package dev.mutagenws.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.state.StateEvent;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateSignal;
import dev.mutagenws.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The same client against a real {@code mutagen daemon run}, when {@code MUTAGEN_BIN} points at a
 * Mutagen binary. Everything here is also proven against the FakeDaemon; this only confirms it.
 */
@EnabledIfEnvironmentVariable(named = "MUTAGEN_BIN", matches = ".+")
class RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Process daemonProcess;
    private MutagenDaemon client;

    @BeforeEach
    void startDaemon() throws Exception {
        daemonProcess = launch();
        client = MutagenDaemon.builder().socket(socket()).build();
    }

    private Path socket() {
        return dir.resolve("data").resolve("daemon").resolve("daemon.sock");
    }

    private Process launch() throws Exception {
        Path data = dir.resolve("data");
        ProcessBuilder builder = new ProcessBuilder(System.getenv("MUTAGEN_BIN"), "daemon", "run")
                .redirectErrorStream(true);
        builder.environment().put("MUTAGEN_DATA_DIRECTORY", data.toString());
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()));
        Process process = builder.start();
        assertThat(Await.until(() -> Files.exists(socket()))).as("daemon socket appears").isTrue();
        return process;
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (client != null) {
            client.close();
        }
        daemonProcess.destroy();
        daemonProcess.waitFor();
    }

    @Test
    void createListTerminateLocalSession() throws Exception {
        Path alpha = Files.createDirectories(dir.resolve("alpha"));
        Files.writeString(alpha.resolve("hello.txt"), "hello");
        Path beta = Files.createDirectories(dir.resolve("beta"));
        StepVerifier.create(client.version()).assertNext(v -> assertThat(v.minor()).isGreaterThan(0)).verifyComplete();

        String id = client.create(CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath(alpha.toString()))
                .setBeta(URL.newBuilder().setPath(beta.toString()))
                .setName("real").build(), Prompter.silent()).block(WAIT);
        assertThat(id).startsWith("sync_");
        assertThat(Await.until(() -> Files.exists(beta.resolve("hello.txt")))).isTrue();

        StepVerifier.create(client.pause(SessionSelection.of("nosuch"), Prompter.silent()))
                .expectErrorMessage("unable to locate requested sessions: specification \"nosuch\" did not match any sessions")
                .verify(WAIT);
        StepVerifier.create(client.terminate(SessionSelection.of(id), Prompter.silent())).verifyComplete();
        StepVerifier.create(client.list(SessionSelection.all(), 0))
                .assertNext(r -> assertThat(r.getSessionStatesList()).isEmpty())
                .verifyComplete();
    }

    @Test
    void aDaemonRestartedWithin300MillisecondsIsSeenByTheStateStream() throws Exception {
        Path alpha = Files.createDirectories(dir.resolve("alpha"));
        Path beta = Files.createDirectories(dir.resolve("beta"));
        client.create(CreationSpecification.newBuilder().setAlpha(URL.newBuilder().setPath(alpha.toString()))
                .setBeta(URL.newBuilder().setPath(beta.toString())).setName("real").build(), Prompter.silent())
                .block(WAIT);
        try (StateHub hub = StateHub.create(client)) {
            List<StateSignal> seen = new CopyOnWriteArrayList<>();
            Disposable d = hub.signals(SessionSelection.all(), 0).subscribe(seen::add);
            assertThat(Await.until(() -> !seen.isEmpty())).isTrue();
            String oldEpoch = seen.get(0).epoch();
            daemonProcess.destroy(); // SIGTERM, as in the traces
            daemonProcess.waitFor();
            Thread.sleep(300);
            daemonProcess = launch();
            assertThat(Await.until(() -> seen.stream()
                    .anyMatch(s -> s.kind() == StateSignal.Kind.SNAPSHOT && !s.epoch().equals(oldEpoch))))
                    .as("signals %s", seen).isTrue();
            assertThat(seen).anyMatch(s -> s.kind() == StateSignal.Kind.DAEMON && !s.daemon().isConnected());
            assertThat(seen).anyMatch(s -> s.kind() == StateSignal.Kind.DAEMON && s.daemon().isConnected());
            assertThat(seen.stream().flatMap(s -> s.events().stream()).map(StateEvent::type))
                    .contains(StateEvent.DAEMON_RESTARTED)
                    .doesNotContain(StateEvent.RESUMED);
            d.dispose();
        }
    }
}

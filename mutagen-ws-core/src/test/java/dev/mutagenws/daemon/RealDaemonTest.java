package dev.mutagenws.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
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
        Path data = dir.resolve("data");
        ProcessBuilder builder = new ProcessBuilder(System.getenv("MUTAGEN_BIN"), "daemon", "run")
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile());
        builder.environment().put("MUTAGEN_DATA_DIRECTORY", data.toString());
        daemonProcess = builder.start();
        Path socket = data.resolve("daemon").resolve("daemon.sock");
        assertThat(Await.until(() -> Files.exists(socket))).as("daemon socket appears").isTrue();
        client = MutagenDaemon.builder().socket(socket).build();
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
}

package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The launcher as a real process, for what an operator relies on beyond the security checks: the warning on an
 * exposed plain-HTTP listener, extra hosts and origins (flags and variables), SIGINT, the daemon loss and recovery
 * warnings, and the per-request debug line on REST.
 */
class OperationsIT {

    @Test
    void anExposedListenerWarnsAndAcceptsOnlyTheHostsAndOriginsItWasGiven() throws Exception {
        Path dir = Files.createTempDirectory("operations-it");
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("d.sock")).build().start();
                LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"),
                        Map.of("MUTAGEN_WS_ALLOW_ORIGIN", "http://one.example,http://two.example"),
                        "--listen", "0.0.0.0:0", "--sock", fake.socketPath().toString(),
                        "--allow-host", "gui.example", "--allow-host", "second.example")) {
            launcher.awaitStarted();
            assertThat(launcher.stderr()).contains("WARNING: listening on 0.0.0.0:")
                    .contains("without TLS").contains("--tls-cert");
            String base = "http://127.0.0.1:" + launcher.port();
            String token = launcher.token();
            for (String host : List.of("gui.example", "second.example", "localhost", "127.0.0.1")) {
                assertThat(Http.get(base + "/healthz", h -> h.set(HttpHeaderNames.HOST, host + ":" + port(launcher)))
                        .status()).as(host).isEqualTo(200);
            }
            assertThat(Http.get(base + "/healthz", h -> h.set(HttpHeaderNames.HOST, "third.example")).status())
                    .isEqualTo(403);
            String flush = base + "/api/synchronization/sessions/flush?all=true";
            assertOrigins(base, token, List.of("http://one.example", "http://two.example"), "http://three.example");
            assertThat(launcher.terminate()).isZero();
        }
    }

    @Test
    void aLoopbackListenerDoesNotWarnAndTakesRepeatedOriginFlagsOverTheVariable() throws Exception {
        Path dir = Files.createTempDirectory("operations-it");
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("d.sock")).build().start();
                LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"),
                        Map.of("MUTAGEN_WS_ALLOW_ORIGIN", "http://from-env.example"), "--listen", "127.0.0.1:0",
                        "--sock", fake.socketPath().toString(),
                        "--allow-origin", "http://one.example", "--allow-origin", "http://two.example:3000")) {
            launcher.awaitStarted();
            String base = "http://127.0.0.1:" + launcher.port();
            // A flag wins over its variable (as --help says), so the variable's origin is not added.
            assertOrigins(base, launcher.token(), List.of("http://one.example", "http://two.example:3000"),
                    "http://from-env.example");
            assertThat(launcher.terminate()).isZero();
            assertThat(launcher.stderr()).doesNotContain("WARNING");
        }
    }

    /** POSTs from each allowed origin pass with their CORS header; one from {@code refused} gets 403. */
    private static void assertOrigins(String base, String token, List<String> allowed, String refused) {
        String flush = base + "/api/synchronization/sessions/flush?all=true";
        for (String origin : allowed) {
            Http.Answer answer = Http.request(HttpMethod.POST, flush, h -> h
                    .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                    .set(HttpHeaderNames.ORIGIN, origin), null, null);
            assertThat(answer.status()).as(origin + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(origin);
        }
        Http.Answer foreign = Http.request(HttpMethod.POST, flush, h -> h
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                .set(HttpHeaderNames.ORIGIN, refused), null, null);
        assertThat(foreign.status()).as(refused).isEqualTo(403);
        assertThat(foreign.body()).contains(refused);
    }

    @Test
    void sigintStopsCleanlyWithExitCodeZero() throws Exception {
        Path dir = Files.createTempDirectory("operations-it");
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("d.sock")).build().start();
                LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"), "--listen", "127.0.0.1:0",
                        "--sock", fake.socketPath().toString())) {
            launcher.awaitStarted();
            Process kill = new ProcessBuilder("bash", "-c", "kill -INT " + launcher.process.pid()).start();
            assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
            assertThat(launcher.process.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGINT").isTrue();
            assertThat(launcher.process.exitValue()).isZero();
            assertThat(launcher.stderr()).contains("shutting down").contains("stopped");
        }
    }

    @Test
    void daemonLossAndRecoveryAreWarningsAndEveryRestRequestGetsADebugLine() throws Exception {
        Path dir = Files.createTempDirectory("operations-it");
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("d.sock")).build().start();
                LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"),
                        Map.of("MUTAGEN_WS_LOG_LEVEL", "debug"), "--listen", "127.0.0.1:0",
                        "--sock", fake.socketPath().toString())) {
            launcher.awaitStarted();
            String base = "http://127.0.0.1:" + launcher.port();
            String token = launcher.token();
            Http.Answer list = Http.get(base + "/api/synchronization/sessions?name=nothing-by-this-name",
                    h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
            assertThat(list.status()).isEqualTo(500);
            awaitTrue(() -> launcher.stderr().lines().anyMatch(l -> l.contains("DEBUG")
                    && l.matches(".* GET /api/synchronization/sessions\\S* list code=2001 \\d+ ms")),
                    "the REST request's debug line; stderr: " + launcher.stderr());

            fake.stop();
            awaitTrue(() -> launcher.stderr().lines().anyMatch(l -> l.contains(" WARN ")
                    && l.contains("Mutagen daemon unavailable: ")), "a loss warning; stderr: " + launcher.stderr());
            fake.restart();
            awaitTrue(() -> launcher.stderr().lines().anyMatch(l -> l.contains(" WARN ")
                    && l.contains("Mutagen daemon available again (version 0.18.1)")),
                    "a recovery warning; stderr: " + launcher.stderr());

            // A restart faster than any retry: no call fails, yet the log says the daemon went and came back.
            long recoveries = count(launcher, "Mutagen daemon available again (version 0.18.1)");
            fake.restart();
            awaitTrue(() -> count(launcher, "Mutagen daemon available again (version 0.18.1)") > recoveries,
                    "a second recovery warning; stderr: " + launcher.stderr());
            assertThat(launcher.stderr().lines().filter(l -> l.contains(" WARN ") && l.contains(
                    "Mutagen daemon unavailable: lost the connection to the Mutagen daemon at " + fake.socketPath()))
                    .count()).isEqualTo(2);
            assertThat(launcher.terminate()).isZero();
            assertThat(launcher.stderr()).doesNotContain(token);
        }
    }

    private static long count(LauncherProcess launcher, String warning) {
        return launcher.stderr().lines().filter(l -> l.contains(" WARN ") && l.contains(warning)).count();
    }

    private static int port(LauncherProcess launcher) {
        try {
            return launcher.port();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}

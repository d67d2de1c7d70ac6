package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Flags, environment variables, start-up output, --demo and an unreachable daemon, as a real process. */
class CliIT {

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(Map.of(), List.of("--listen", "nope"), "--listen"),
                Arguments.of(Map.of(), List.of("-listen", "127.0.0.1:99999"), "--listen"),
                Arguments.of(Map.of(), List.of("--max-frame-size", "12"), "--max-frame-size"),
                Arguments.of(Map.of(), List.of("--max-in-flight", "0"), "--max-in-flight"),
                Arguments.of(Map.of(), List.of("--prompt-timeout", "soon"), "--prompt-timeout"),
                Arguments.of(Map.of(), List.of("--log-level", "loud"), "--log-level"),
                Arguments.of(Map.of(), List.of("--no-auth", "--listen", "0.0.0.0:0"), "--no-auth"),
                Arguments.of(Map.of(), List.of("--tls-cert", "/nonexistent/cert.pem"), "--tls-cert"),
                Arguments.of(Map.of(), List.of("--token", "short"), "--token"),
                Arguments.of(Map.of(), List.of("--token-file", "/nonexistent/token"), "--token-file"),
                Arguments.of(Map.of(), List.of("--allow-origin", "*"), "--allow-origin"),
                Arguments.of(Map.of(), List.of("--allow-host", "not a host"), "--allow-host"),
                Arguments.of(Map.of(), List.of("--bogus"), "--bogus"),
                Arguments.of(Map.of("MUTAGEN_WS_MAX_IN_FLIGHT", "lots"), List.of(), "--max-in-flight"),
                Arguments.of(Map.of("MUTAGEN_WS_LISTEN", "127.0.0.1"), List.of(), "--listen"),
                Arguments.of(Map.of("MUTAGEN_WS_MAX_FRAME_SIZE", "huge"), List.of(), "--max-frame-size"),
                Arguments.of(Map.of("MUTAGEN_WS_PROMPT_TIMEOUT", "-5s"), List.of(), "--prompt-timeout"),
                Arguments.of(Map.of("MUTAGEN_WS_LOG_LEVEL", "chatty"), List.of(), "--log-level"),
                Arguments.of(Map.of("MUTAGEN_WS_ALLOW_HOST", "bad host"), List.of(), "--allow-host"),
                Arguments.of(Map.of("MUTAGEN_WS_ALLOW_ORIGIN", "ftp://x"), List.of(), "--allow-origin"),
                Arguments.of(Map.of("MUTAGEN_WS_NO_AUTH", "true", "MUTAGEN_WS_LISTEN", "0.0.0.0:0"), List.of(),
                        "--no-auth"),
                Arguments.of(Map.of("MUTAGEN_WS_DEMO", "true"), List.of("--sock", "/tmp/x.sock"), "--demo"));
    }

    @ParameterizedTest
    @MethodSource
    void badFlags(Map<String, String> env, List<String> args, String flag) throws Exception {
        Path dir = Files.createTempDirectory("cli-it");
        LauncherProcess.Result result = LauncherProcess.run(dir, env, args.toArray(String[]::new));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr().lines().toList()).hasSize(1);
        assertThat(result.stderr()).startsWith("mutagen-ws: ").contains(flag);
    }

    @Test
    void versionAndHelp() throws Exception {
        Path dir = Files.createTempDirectory("cli-it");
        LauncherProcess.Result version = LauncherProcess.run(dir, Map.of(), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout().strip()).matches("mutagen-ws \\d+\\.\\d+\\.\\d+.*");
        LauncherProcess.Result help = LauncherProcess.run(dir, Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        for (String flag : List.of("--listen", "-listen", "--sock", "-sock", "--token", "--token-file", "--no-auth",
                "--allow-origin", "--allow-host", "--tls-cert", "--tls-key", "--max-frame-size", "--max-in-flight",
                "--prompt-timeout", "--log-level", "--demo", "--version", "--help", "MUTAGEN_WS_LISTEN")) {
            assertThat(help.stdout()).contains(flag);
        }
    }

    @Test
    void demoModeServesMovingSessionsWithoutMutagen() throws Exception {
        Path dir = Files.createTempDirectory("cli-it");
        try (LauncherProcess launcher = LauncherProcess.start(dir, "--demo", "--listen", "127.0.0.1:0")) {
            List<String> lines = launcher.awaitStarted();
            assertThat(lines).hasSize(5);
            assertThat(lines.get(3)).isEqualTo("daemon: Mutagen 0.18.1");
            assertThat(lines.get(4)).startsWith("demo: ");
            String base = "http://127.0.0.1:" + launcher.port();
            String token = launcher.token();
            Http.Answer list = Http.get(base + "/api/synchronization/sessions",
                    h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
            JsonNode states = Ws.JSON.readTree(list.body()).get("data").get("sessionStates");
            List<String> names = new ArrayList<>();
            states.forEach(s -> names.add(s.get("session").get("name").asText()));
            assertThat(names).containsExactlyInAnyOrder("docs", "website", "archive", "photos");
            long index = Ws.JSON.readTree(list.body()).get("data").get("stateIndex").asLong();
            // The demo keeps changing: a long-poll on the current index answers by itself.
            Http.Answer changed = Http.get(base + "/api/synchronization/sessions?stateIndex=" + index + "&timeout=8s",
                    h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
            assertThat(Ws.JSON.readTree(changed.body()).get("data").get("stateIndex").asLong()).isGreaterThan(index);
            assertThat(launcher.terminate()).isZero();
        }
    }

    @Test
    void anUnreachableDaemonIsReportedAndRetriedUntilItAppears() throws Exception {
        Path dir = Files.createTempDirectory("cli-it");
        Path socket = dir.resolve("later.sock");
        try (LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"),
                Map.of("MUTAGEN_WS_SOCK", "unix:" + socket, "MUTAGEN_WS_LISTEN", "127.0.0.1:0"))) {
            List<String> lines = launcher.awaitStarted();
            assertThat(lines.get(2)).isEqualTo("daemon socket: " + socket);
            assertThat(lines.get(3)).startsWith("daemon: unreachable (").endsWith(") - retrying");
            String ready = "http://127.0.0.1:" + launcher.port() + "/readyz";
            String token = launcher.token();
            assertThat(Http.get(ready, h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)).status())
                    .isEqualTo(503);
            try (FakeDaemon fake = FakeDaemon.builder().socketPath(socket).build().start()) {
                long deadline = System.nanoTime() + 15_000_000_000L;
                int status;
                do {
                    Thread.sleep(200);
                    status = Http.get(ready, h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)).status();
                } while (status != 200 && System.nanoTime() < deadline);
                assertThat(status).isEqualTo(200);
                assertThat(launcher.terminate()).isZero();
            }
        }
    }

    @Test
    void tokensFromTheEnvironmentAndFromAFileAndNoAuthOnLoopback() throws Exception {
        Path dir = Files.createTempDirectory("cli-it");
        String chosen = "my-own-token-0123456789";
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("d.sock")).build().start()) {
            try (LauncherProcess launcher = LauncherProcess.start(dir.resolve("env"), Map.of("MUTAGEN_WS_TOKEN", chosen),
                    "--listen", "127.0.0.1:0", "--sock", fake.socketPath().toString())) {
                assertThat(launcher.token()).isEqualTo(chosen);
                assertThat(launcher.awaitStarted().get(1)).isEqualTo("token: from --token/MUTAGEN_WS_TOKEN");
                assertThat(Files.exists(dir.resolve("env").resolve("mutagen-ws"))).as("no token file written").isFalse();
                assertThat(launcher.stderr()).doesNotContain(chosen);
                assertThat(launcher.terminate()).isZero();
            }
            Path tokenFile = dir.resolve("token.txt");
            Files.writeString(tokenFile, chosen + "\n");
            try (LauncherProcess launcher = LauncherProcess.start(dir.resolve("file"), "--listen", "127.0.0.1:0",
                    "--sock", fake.socketPath().toString(), "--token-file", tokenFile.toString())) {
                assertThat(launcher.token()).isEqualTo(chosen);
                assertThat(launcher.awaitStarted().get(1)).isEqualTo("token file: " + tokenFile);
                assertThat(launcher.terminate()).isZero();
            }
            try (LauncherProcess launcher = LauncherProcess.start(dir.resolve("open"), "--listen", "127.0.0.1:0",
                    "--sock", fake.socketPath().toString(), "--no-auth")) {
                assertThat(launcher.url().getQuery()).isNull();
                assertThat(Http.get("http://127.0.0.1:" + launcher.port() + "/api/daemon", h -> { }).status())
                        .isEqualTo(200);
                assertThat(launcher.terminate()).isZero();
            }
        }
    }
}

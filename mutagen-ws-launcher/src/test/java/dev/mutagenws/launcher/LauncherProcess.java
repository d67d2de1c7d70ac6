package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The launcher as a real process: {@code java -jar target/mutagen-ws.jar ...}, output captured in files. */
final class LauncherProcess implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(30);

    final Path dir;
    final Path stdout;
    final Path stderr;
    final Process process;

    private LauncherProcess(Path dir, Process process) {
        this.dir = dir;
        this.stdout = dir.resolve("stdout.txt");
        this.stderr = dir.resolve("stderr.txt");
        this.process = process;
    }

    static Path jar() {
        String jar = System.getProperty("mutagenws.jar", "target/mutagen-ws.jar");
        Path path = Path.of(jar);
        assertThat(path).as("the shaded jar (run through mvn verify)").isRegularFile();
        return path;
    }

    /** Starts the jar with these arguments; the token file goes under {@code dir} (XDG_RUNTIME_DIR). */
    static LauncherProcess start(Path dir, Map<String, String> env, String... args) {
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-jar");
            command.add(jar().toAbsolutePath().toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("MUTAGEN_"));
            builder.environment().put("XDG_RUNTIME_DIR", dir.toString());
            builder.environment().putAll(env);
            return new LauncherProcess(dir, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LauncherProcess start(Path dir, String... args) {
        return start(dir, Map.of(), args);
    }

    /** Runs the jar to its end (for flag errors, --help, --version). */
    static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        try (LauncherProcess p = start(dir, env, args)) {
            assertThat(p.process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            return new Result(p.process.exitValue(), p.stdout(), p.stderr());
        }
    }

    /** Waits for the start-up lines (the four after the URL have been printed once the daemon line is out). */
    List<String> awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = stdoutLines();
            if (lines.stream().anyMatch(l -> l.startsWith("daemon: "))) {
                return lines;
            }
            if (!process.isAlive()) {
                throw new AssertionError("launcher exited with " + process.exitValue() + "; stdout: " + stdout()
                        + "; stderr: " + stderr());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no start-up lines within " + START + "; stdout: " + stdout() + "; stderr: "
                + stderr());
    }

    /** The URL from the first start-up line. */
    URI url() throws InterruptedException {
        String first = awaitStarted().get(0);
        assertThat(first).matches("mutagen-ws \\S+ listening on https?://\\S+");
        return URI.create(first.substring(first.indexOf(" listening on ") + " listening on ".length()));
    }

    int port() throws InterruptedException {
        return url().getPort();
    }

    String token() throws InterruptedException {
        String query = url().getRawQuery();
        assertThat(query).startsWith("token=");
        return query.substring("token=".length());
    }

    /** SIGTERM (what {@code destroy()} sends on Linux); returns the exit code, asserting the exit within 5 s. */
    int terminate() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM; stderr: %s", stderr())
                .isTrue();
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }
}

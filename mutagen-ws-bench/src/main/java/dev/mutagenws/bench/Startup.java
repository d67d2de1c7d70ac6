package dev.mutagenws.bench;

import dev.mutagenws.testkit.FakeDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-up: {@code java -jar mutagen-ws.jar --sock <fake> --listen 127.0.0.1:<port> --no-auth}
 * from process start to the first successful {@code GET /api/synchronization/sessions}.
 */
final class Startup {
    static final int RUNS = 5;

    private Startup() {
    }

    static Report run(Options o) throws Exception {
        Report report = new Report("startup");
        Path jar = Path.of(o.launcherJar);
        if (!Files.isRegularFile(jar)) {
            report.fail("launcher jar " + jar.toAbsolutePath() + " not found: build it first (mvn -B -q package"
                    + " -DskipTests at the repository root), or pass --launcher-jar");
            return report;
        }
        int runs = o.quick ? 2 : RUNS;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        double[] millis = new double[runs];
        try (FakeDaemon fake = FakeDaemon.builder().build().start()) {
            Sessions.create(fake, 10, true);
            for (int i = 0; i < runs; i++) {
                int port = freePort();
                Path log = Files.createTempFile("mutagen-ws-startup", ".log");
                List<String> cmd = new ArrayList<>(List.of(Machine.javaBinary(), "-jar", jar.toString(),
                        "--sock", fake.socketPath().toString(), "--listen", "127.0.0.1:" + port));
                if (o.token != null && !o.token.isEmpty()) {
                    cmd.add("--token");
                    cmd.add(o.token);
                } else {
                    cmd.add("--no-auth");
                }
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                try {
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/synchronization/sessions")).timeout(Duration.ofSeconds(5));
                    if (o.token != null && !o.token.isEmpty()) {
                        rb.header("Authorization", "Bearer " + o.token);
                    }
                    HttpRequest req = rb.build();
                    long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
                    String problem = null;
                    while (true) {
                        if (!p.isAlive()) {
                            problem = "launcher exited with code " + p.exitValue() + " before serving a list; output:\n"
                                    + tail(log);
                            break;
                        }
                        if (System.nanoTime() > deadline) {
                            problem = "launcher did not serve a list within 60 s; output:\n" + tail(log);
                            break;
                        }
                        try {
                            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && r.body().contains("\"sessionStates\"")) {
                                millis[i] = (System.nanoTime() - t0) / 1e6;
                                break;
                            }
                            if (r.statusCode() == 401 || r.statusCode() == 403) {
                                problem = "launcher answered " + r.statusCode() + ": pass --token";
                                break;
                            }
                        } catch (IOException e) {
                            // Not listening yet.
                        }
                        Thread.sleep(5);
                    }
                    if (problem != null) {
                        report.fail(problem);
                        return report;
                    }
                } finally {
                    p.destroy();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                    Files.deleteIfExists(log);
                }
            }
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        Table t = new Table("start-up: launcher process start to first served list (GET /api/synchronization/sessions),"
                + " ms", "runs", "median", "min", "max", "all");
        StringBuilder all = new StringBuilder();
        for (double m : millis) {
            all.append(all.length() == 0 ? "" : " ").append(String.format("%.0f", m));
        }
        t.row(runs, String.format("%.0f", sorted[runs / 2]), String.format("%.0f", sorted[0]),
                String.format("%.0f", sorted[runs - 1]), all);
        t.note("java -jar " + jar + " --sock <FakeDaemon socket, 10 sessions> --listen 127.0.0.1:<port> --no-auth;"
                + " polled every 5 ms; includes JVM start-up");
        return report.table(t);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }
}

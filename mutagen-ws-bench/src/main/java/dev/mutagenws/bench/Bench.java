package dev.mutagenws.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Entry point of the benchmarks: {@code java -jar mutagen-ws-bench.jar [--quick] <benchmark>...}. */
public final class Bench {
    static final String USAGE = String.join("\n",
            "usage: java -jar mutagen-ws-bench.jar [options] [overhead|fanout|codec|startup|soak|all]...",
            "  overhead   list of 10 and 1,000 sessions over the WebSocket vs the gRPC stub, 1 and 16 clients",
            "  fanout     1,000 and 10,000 subscribers, one change: delay to every subscriber, List calls, heap",
            "  codec      JMH: ProtoJson vs protobuf-java-util JsonFormat on a 1,000-session ListResponse",
            "  startup    launcher start to first served list, median of 5",
            "  soak       mixed traffic with heap sampling and paranoid leak detection (--minutes N, default 10)",
            "  all        all of the above (default)",
            "options:",
            "  --quick                 tiny sizes and short runs (development, smoke test)",
            "  --token T               send 'Authorization: Bearer T' (default $MUTAGEN_WS_TOKEN)",
            "  --minutes N             soak duration",
            "  --subscribers A,B       fan-out sizes",
            "  --launcher-jar PATH     default mutagen-ws-launcher/target/mutagen-ws.jar",
            "  --in-process            run the fan-out/soak server in this JVM (heap figures then include clients)",
            "  --jmh-forks N           JMH forks for codec (0 = this JVM)",
            "  --out FILE              also write the report to FILE (default target/bench-results-<time>.txt)",
            "Run with 'ulimit -n 65536' for 10,000 subscribers.");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (o.commands.contains("serve")) {
            ChildHost.serve(o.serveSessions, o.servePaused);
            return;
        }
        if (o.commands.contains("help")) {
            System.out.println(USAGE);
            return;
        }
        List<Report> reports = run(o);
        boolean failed = reports.stream().anyMatch(r -> r.failed);
        System.exit(failed ? 1 : 0);
    }

    /** Runs the requested benchmarks, prints and saves the report; returns the reports. */
    static List<Report> run(Options o) throws IOException {
        List<String> names = new ArrayList<>();
        for (String c : o.commands) {
            if (c.equals("all")) {
                names.addAll(List.of("overhead", "fanout", "codec", "startup", "soak"));
            } else if (List.of("overhead", "fanout", "codec", "startup", "soak").contains(c)) {
                names.add(c);
            } else {
                throw new IllegalArgumentException("unknown benchmark " + c + "\n" + USAGE);
            }
        }
        StringBuilder all = new StringBuilder();
        String header = "mutagen-ws benchmarks" + (o.quick ? " (QUICK run: tiny sizes, short runs)" : "") + ", "
                + LocalDateTime.now().withNano(0) + "\n" + Machine.describe() + "\n";
        System.out.println(header);
        all.append(header).append('\n');
        List<Report> reports = new ArrayList<>();
        for (String name : names) {
            long t0 = System.nanoTime();
            Report r;
            try {
                r = runOne(name, o);
            } catch (Exception | Error e) {
                r = new Report(name);
                r.fail(e.toString());
                e.printStackTrace();
            }
            String text = r + String.format("  (%s took %.0f s)%n", name, (System.nanoTime() - t0) / 1e9);
            System.out.println(text);
            all.append(text).append('\n');
            reports.add(r);
        }
        StringBuilder summary = new StringBuilder("== summary ==\n");
        for (Report r : reports) {
            for (String c : r.checks) {
                summary.append("  ").append(r.name).append(": ").append(c).append('\n');
            }
            for (String p : r.problems) {
                summary.append("  ").append(r.name).append(": FAILED ").append(p).append('\n');
            }
        }
        System.out.println(summary);
        all.append(summary);
        Path out = o.out != null ? Path.of(o.out) : Path.of("mutagen-ws-bench", "target", "bench-results-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
        try {
            if (out.getParent() != null && (o.out != null || Files.isDirectory(out.getParent()))) {
                Files.createDirectories(out.getParent());
                Files.writeString(out, all);
                System.out.println("report written to " + out);
            }
        } catch (IOException e) {
            System.err.println("could not write " + out + ": " + e);
        }
        return reports;
    }

    static Report runOne(String name, Options o) throws Exception {
        switch (name) {
            case "overhead":
                return Overhead.run(o);
            case "fanout":
                return Fanout.run(o);
            case "codec":
                return Codec.run(o);
            case "startup":
                return Startup.run(o);
            case "soak":
                return Soak.run(o);
            default:
                throw new IllegalArgumentException(name);
        }
    }
}

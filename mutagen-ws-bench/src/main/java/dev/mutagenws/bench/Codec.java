package dev.mutagenws.bench;

import com.google.protobuf.util.JsonFormat;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link CodecBenchmark} with JMH and prints ours next to JsonFormat. */
final class Codec {
    private Codec() {
    }

    private static String score(double[] s) {
        return Double.isNaN(s[1]) ? String.format("%.1f", s[0]) : String.format("%.1f ± %.1f", s[0], s[1]);
    }

    static Report run(Options o) throws Exception {
        Report report = new Report("codec");
        ListResponse list = CodecData.build(CodecBenchmark.SESSIONS);
        Path input = CodecData.write(list);
        System.setProperty(CodecData.PROPERTY, input.toString()); // for forks = 0
        int forks = o.jmhForks != null ? o.jmhForks : o.quick ? 1 : 2;
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(CodecBenchmark.class.getName().replace(".", "\\.") + "\\.")
                .forks(forks)
                .jvmArgsAppend("-D" + CodecData.PROPERTY + "=" + input, "-Xmx1g")
                .warmupIterations(o.quick ? 1 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(o.quick ? 2 : 5)
                .measurementTime(o.quick ? TimeValue.seconds(1) : TimeValue.seconds(2))
                .threads(1)
                .verbosity(o.quick ? VerboseMode.SILENT : VerboseMode.NORMAL)
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, double[]> byName = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            byName.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        int oursBytes = ProtoJson.standard().toJsonBytes(list).length;
        int theirsBytes = JsonFormat.printer().omittingInsignificantWhitespace().print(list)
                .getBytes(StandardCharsets.UTF_8).length;
        Table t = new Table("JSON codec (JMH, average time per operation): ListResponse of " + list.getSessionStatesCount()
                + " sessions", "operation", "ProtoJson us/op", "JsonFormat us/op", "speed-up", "ProtoJson MB/s",
                "JsonFormat MB/s");
        for (String op : new String[] {"encode", "decode"}) {
            double[] ours = byName.get(op + "ProtoJson");
            double[] theirs = byName.get(op + "JsonFormat");
            if (ours == null || theirs == null) {
                report.fail("JMH produced no result for " + op);
                continue;
            }
            double speedup = theirs[0] / ours[0];
            t.row(op, score(ours), score(theirs), Table.ratio(speedup), String.format("%.0f", oursBytes / ours[0]),
                    String.format("%.0f", theirsBytes / theirs[0]));
            if (op.equals("encode")) {
                report.target("encode >= 2x faster than JsonFormat", speedup >= 2, Table.ratio(speedup)
                        + (speedup >= 2 ? "" : String.format(" (missed by %.2fx)", 2 - speedup)));
            }
        }
        double[] reply = byName.get("replyEnvelope");
        double[] enc = byName.get("encodeProtoJson");
        if (reply != null && enc != null) {
            t.row("reply", score(reply), "-", "-", String.format("%.0f", oursBytes / reply[0]), "-");
            t.note(String.format("reply = the gateway's path for a list reply: ReplyWriter envelope into a String, then"
                    + " UTF-8 bytes (%.2fx the time of encoding straight to bytes)", reply[0] / enc[0]));
        }
        t.note("forks " + forks + "; JSON sizes: ProtoJson " + oursBytes + " bytes, JsonFormat " + theirsBytes
                + " bytes (MB/s = own output size / time)");
        t.note("decode = Jackson tree + ProtoJson.read (as the gateway decodes requests) vs JsonFormat.parser().merge;"
                + " each side decodes its own encoding; both round-trip the data (checked in setup)");
        return report.table(t);
    }
}

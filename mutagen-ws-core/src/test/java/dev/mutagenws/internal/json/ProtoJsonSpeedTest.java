package dev.mutagenws.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rough encode-speed comparison with protobuf-java-util's JsonFormat on a 1,000-session list.
 * Timing tests are unreliable on a shared machine, so it runs only with -Dprotojson.bench=true.
 */
@EnabledIfSystemProperty(named = "protojson.bench", matches = "true")
class ProtoJsonSpeedTest {

    static ListResponse thousandSessions() {
        ListResponse.Builder b = ListResponse.newBuilder().setStateIndex(1234);
        State a = Samples.localWatching();
        State c = Samples.conflictAndProblem();
        State s = Samples.sshPaused();
        for (int i = 0; i < 1000; i++) {
            State base = i % 10 == 0 ? c : i % 3 == 0 ? s : a;
            State.Builder st = base.toBuilder();
            st.getSessionBuilder().setIdentifier("sync_" + i + "_" + "x".repeat(38)).setName("session-" + i)
                    .putLabels("index", Integer.toString(i));
            b.addSessionStates(st);
        }
        return b.build();
    }

    @Test
    void encodesAtLeastTwiceAsFastAsJsonFormat() throws Exception {
        ListResponse list = thousandSessions();
        ProtoJson json = ProtoJson.standard();
        JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

        long ours = median(() -> json.toJsonBytes(list));
        long theirs = median(() -> printer.print(list));
        double ratio = (double) theirs / ours;
        System.out.printf("ProtoJson %.2f ms, JsonFormat %.2f ms, ratio %.2f, %d bytes%n",
                ours / 1e6, theirs / 1e6, ratio, json.toJsonBytes(list).length);
        assertThat(ratio).isGreaterThanOrEqualTo(2.0);
    }

    interface Encode {
        Object run() throws Exception;
    }

    private static long median(Encode e) throws Exception {
        for (int i = 0; i < 200; i++) {
            e.run();
        }
        long[] times = new long[41];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < 5; j++) {
                e.run();
            }
            times[i] = (System.nanoTime() - t0) / 5;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}

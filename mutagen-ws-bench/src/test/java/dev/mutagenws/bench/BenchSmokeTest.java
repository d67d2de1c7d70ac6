package dev.mutagenws.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.testkit.NettyLeaks;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The harness works end to end in --quick mode. Asserts correctness only (the runs complete, the
 * replies are right, tables are printed); timings are never asserted.
 */
class BenchSmokeTest {

    @Test
    void overheadRunsAndChecksEveryReply() throws Exception {
        Options o = Options.parse(new String[] {"--quick", "overhead"});
        List<Report> reports = Bench.run(o);
        assertThat(reports).hasSize(1);
        Report r = reports.get(0);
        assertThat(r.problems).isEmpty();
        assertThat(r.tables).hasSize(1);
        // Two sizes times two concurrencies, plus the header.
        assertThat(r.tables.get(0).toString().lines().filter(l -> l.matches("^(10|1000) +(1|16) .*")).count())
                .isEqualTo(4);
        assertThat(r.checks).isNotEmpty();
    }

    @Test
    void fanoutRunsOrSaysClearlyThatSubscribeIsMissing() throws Exception {
        Options o = Options.parse(new String[] {"--quick", "--in-process", "--subscribers", "20", "fanout"});
        Report r = Bench.run(o).get(0);
        if (r.failed) {
            assertThat(r.problems).singleElement().asString().startsWith("server does not support subscribe: ");
        } else {
            assertThat(r.checks).anyMatch(c -> c.startsWith("PASS upstream List calls per change == 1"));
        }
    }

    @Test
    void fanoutMeasuresEveryChangeAgainstAServerThatSubscribes() throws Exception {
        Options o = Options.parse(new String[] {"--quick", "--subscribers", "30", "fanout"});
        Report r = Fanout.run(o, SubscribeStubHost::new);
        assertThat(r.problems).isEmpty();
        assertThat(r.checks).anyMatch(c -> c.startsWith("PASS upstream List calls per change == 1 (30 subscribers)"));
        assertThat(r.checks).anyMatch(c -> c.contains("p99 <= 250 ms (30 subscribers)"));
        // 2 changes, none missing.
        assertThat(r.tables.get(0).toString().lines().filter(l -> l.matches("^30 +2 .* 0 +1\\.00 \\(max 1\\) .*"))
                .count()).isEqualTo(1);
    }

    @Test
    void codecBenchmarkMethodsRoundTrip() throws Exception {
        CodecBenchmark b = new CodecBenchmark();
        System.setProperty(CodecData.PROPERTY, CodecData.write(CodecData.build(50)).toString());
        try {
            b.setUp(); // Throws unless both codecs round-trip the data.
        } finally {
            System.clearProperty(CodecData.PROPERTY);
        }
        assertThat(b.list.getSessionStatesCount()).isEqualTo(50);
        assertThat(b.decodeProtoJson()).isEqualTo(b.list);
        assertThat(b.decodeJsonFormat()).isEqualTo(b.list);
        assertThat(ListResponse.parseFrom(b.list.toByteArray())).isEqualTo(b.list);
        assertThat(new String(b.encodeProtoJson(), StandardCharsets.UTF_8))
                .startsWith("{\"stateIndex\":").contains("\"sessionStates\":[");
        assertThat(b.encodeJsonFormat()).isNotEmpty();
    }

    @Test
    void leakWatchSeesALeakedBuffer() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            NettyLeaks.install();
            int already = NettyLeaks.reports().size();
            leak();
            NettyLeaks.surface();
            assertThat(NettyLeaks.reports().size()).isGreaterThan(already);
            assertThat(NettyLeaks.reports().get(already)).contains("LEAK:");
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }

    private static void leak() {
        PooledByteBufAllocator.DEFAULT.directBuffer(128).writeInt(42); // never released
    }

    @Test
    void unknownBenchmarkIsRejected() {
        Assertions.assertThatThrownBy(() -> Bench.run(Options.parse(new String[] {"nope"})))
                .hasMessageContaining("unknown benchmark nope");
    }
}

package dev.mutagenws.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer dropped without release is reported (and so would fail its class). */
class NettyLeakCheckTest {

    @Test
    void anUnreleasedBufferIsReported() throws InterruptedException {
        assertThat(ResourceLeakDetector.getLevel()).as("tests run with paranoid leak detection")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(NettyLeakCheck.collect()).as("nothing leaked before this test").isEmpty();
        leakOne();
        // The report needs the buffer to be collected; give the GC a few chances.
        java.util.List<String> reports = java.util.List.of();
        for (int attempt = 0; attempt < 10 && reports.isEmpty(); attempt++) {
            reports = NettyLeakCheck.collect();
        }
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)).contains("LEAK:").contains("release()");
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeInt(42); // dropped here without release()
    }
}

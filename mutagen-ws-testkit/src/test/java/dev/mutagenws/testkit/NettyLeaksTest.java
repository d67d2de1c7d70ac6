package dev.mutagenws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leak watch itself: a buffer dropped without release() is reported, and so would fail its class. */
@ExtendWith(NettyLeakExtension.class)
class NettyLeaksTest {

    @Test
    void anUnreleasedBufferIsReported() {
        assertThat(ResourceLeakDetector.getLevel()).as("tests run with paranoid leak detection")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
        NettyLeaks.surface();
        assertThat(NettyLeaks.takeUnseen()).as("nothing leaked before this test").isEmpty();
        int before = NettyLeaks.reports().size();
        leakOne();
        // The report needs the buffer to be collected; give the GC a few chances.
        List<String> reports = List.of();
        for (int attempt = 0; attempt < 10 && reports.isEmpty(); attempt++) {
            NettyLeaks.surface();
            reports = NettyLeaks.takeUnseen(); // taken here, so that this class's own check passes
        }
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)).contains("LEAK:").contains("release()");
        assertThat(NettyLeaks.reports()).hasSize(before + 1);
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeInt(42); // dropped here without release()
    }
}

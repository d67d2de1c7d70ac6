package dev.mutagenws.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects Netty's "LEAK:" reports of this JVM (ResourceLeakDetector logs them through SLF4J,
 * which is Logback here).
 */
final class LeakWatch {
    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean installed;

    private LeakWatch() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                String m = e.getFormattedMessage();
                if (m != null && m.contains("LEAK:")) {
                    synchronized (LEAKS) {
                        LEAKS.add(m.length() > 2000 ? m.substring(0, 2000) + "..." : m);
                    }
                }
            }
        };
        appender.setContext(ctx);
        appender.setName("bench-leaks");
        appender.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    /** GCs, then allocates tracked buffers so the detector polls its queue and reports what it found. */
    static void surface() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (ByteBufAllocator a : new ByteBufAllocator[] {PooledByteBufAllocator.DEFAULT,
                    UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT}) {
                for (int i = 0; i < 200; i++) {
                    ByteBuf b = a.directBuffer(64);
                    b.release();
                    b = a.heapBuffer(64);
                    b.release();
                }
            }
        }
    }

    static List<String> leaks() {
        synchronized (LEAKS) {
            return new ArrayList<>(LEAKS);
        }
    }
}

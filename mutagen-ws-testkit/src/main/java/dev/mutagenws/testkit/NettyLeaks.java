package dev.mutagenws.testkit;

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
 * Netty's "LEAK:" reports of this JVM, for tests and benchmarks that must fail on a buffer that was never
 * released. Netty's detector only logs, and only after a GC followed by new allocations: {@link #surface()} makes
 * it look. Needs Logback as the SLF4J backend (an optional dependency of this module). See
 * {@link NettyLeakExtension} for JUnit 5.
 */
public final class NettyLeaks {
    private static final int MAX_REPORT_LENGTH = 4000;
    private static final List<String> REPORTS = new ArrayList<>();
    private static int seen;
    private static boolean installed;

    private NettyLeaks() {
    }

    /** Starts collecting (idempotent): an appender on Logback's root logger keeps every leak report. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String message = event.getFormattedMessage();
                if (message != null && message.contains("LEAK:")) {
                    synchronized (REPORTS) {
                        REPORTS.add(message.length() > MAX_REPORT_LENGTH
                                ? message.substring(0, MAX_REPORT_LENGTH) + "..." : message);
                    }
                }
            }
        };
        appender.setContext(logging);
        appender.setName("mutagen-ws-netty-leaks");
        appender.start();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    /** Collects garbage, then allocates tracked buffers so that the detector reports what it has found. */
    public static void surface() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (ByteBufAllocator allocator : new ByteBufAllocator[] {PooledByteBufAllocator.DEFAULT,
                    UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT}) {
                for (int i = 0; i < 100; i++) {
                    ByteBuf direct = allocator.directBuffer(64);
                    direct.release();
                    ByteBuf heap = allocator.heapBuffer(64);
                    heap.release();
                }
            }
        }
    }

    /** Every report since {@link #install()}. */
    public static List<String> reports() {
        synchronized (REPORTS) {
            return new ArrayList<>(REPORTS);
        }
    }

    /** The reports that no earlier call of this method returned (a shared cursor over {@link #reports()}). */
    public static List<String> takeUnseen() {
        synchronized (REPORTS) {
            List<String> unseen = new ArrayList<>(REPORTS.subList(seen, REPORTS.size()));
            seen = REPORTS.size();
            return unseen;
        }
    }
}

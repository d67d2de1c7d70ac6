package dev.mutagenws.testing;

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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector (paranoid in every test JVM, see the parent POM) reports a
 * buffer that was never released. The detector only logs, and only after a GC followed by new allocations, so
 * after each class this collects garbage, allocates tracked buffers to make it look, and fails on any report.
 * Registered for every test class through JUnit's extension auto-detection (src/test/resources).
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> REPORTS = new ArrayList<>();
    private static boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> found = collect();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak report(s) after "
                    + context.getDisplayName() + " (the leak may come from a class that ran before it):\n"
                    + found.get(0));
        }
    }

    /** Makes the detector report what it has found, and takes the reports collected so far. */
    static List<String> collect() throws InterruptedException {
        install();
        surface();
        synchronized (REPORTS) {
            List<String> found = new ArrayList<>(REPORTS);
            REPORTS.clear();
            return found;
        }
    }

    private static synchronized void install() {
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
                        REPORTS.add(message.length() > 4000 ? message.substring(0, 4000) + "..." : message);
                    }
                }
            }
        };
        appender.setContext(logging);
        appender.setName("netty-leak-check");
        appender.start();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    private static void surface() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            System.gc();
            Thread.sleep(50);
            for (ByteBufAllocator allocator : new ByteBufAllocator[] {PooledByteBufAllocator.DEFAULT,
                    UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT}) {
                for (int i = 0; i < 50; i++) {
                    ByteBuf direct = allocator.directBuffer(16);
                    direct.release();
                    ByteBuf heap = allocator.heapBuffer(16);
                    heap.release();
                }
            }
        }
    }
}

package dev.mutagenws.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran (or before it, unnoticed): use with
 * {@code -Dio.netty.leakDetection.level=paranoid}, as this project's own tests do, either with
 * {@code @ExtendWith(NettyLeakExtension.class)} or for every class through JUnit's extension auto-detection.
 */
public final class NettyLeakExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        NettyLeaks.install();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        NettyLeaks.surface();
        List<String> found = NettyLeaks.takeUnseen();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak report(s) after " + context.getDisplayName()
                    + " (the leak may come from a class that ran before it):\n" + found.get(0));
        }
    }
}

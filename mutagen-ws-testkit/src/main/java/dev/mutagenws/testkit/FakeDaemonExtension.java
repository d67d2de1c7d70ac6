package dev.mutagenws.testkit;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link FakeDaemon} on a fresh temp-directory socket before each test (or once per class) and closes it
 * afterwards; resolves {@code FakeDaemon} parameters.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeDaemonExtension fake = FakeDaemonExtension.perTest().configure(b -> b.manualLifecycle(true));
 * @Test void t(FakeDaemon daemon) { ... }   // or fake.daemon()
 * }</pre>
 */
public final class FakeDaemonExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private final boolean perClass;
    private Consumer<FakeDaemon.Builder> configurer = b -> { };
    private volatile FakeDaemon daemon;

    private FakeDaemonExtension(boolean perClass) {
        this.perClass = perClass;
    }

    /** A fresh daemon for every test (the default). */
    public static FakeDaemonExtension perTest() {
        return new FakeDaemonExtension(false);
    }

    /** One daemon shared by all tests of the class. */
    public static FakeDaemonExtension perClass() {
        return new FakeDaemonExtension(true);
    }

    /**
     * Builder customization applied before each start (the socket path is always a fresh temp directory, whatever the
     * configurer sets). Replaces an earlier configurer; returns this extension for chaining.
     */
    public FakeDaemonExtension configure(Consumer<FakeDaemon.Builder> configurer) {
        this.configurer = configurer;
        return this;
    }

    /**
     * The running daemon of the current test or class; null outside one (before the first start, after the close).
     */
    public FakeDaemon daemon() {
        return daemon;
    }

    private void open() {
        FakeDaemon.Builder b = FakeDaemon.builder();
        configurer.accept(b);
        b.socketPath(null);
        daemon = b.build().start();
    }

    private void shut() {
        FakeDaemon d = daemon;
        daemon = null;
        if (d != null) {
            d.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            open();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            shut();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            shut();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeDaemon.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return daemon;
    }
}

package dev.mutagenws.launcher;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.server.GatewayServer;
import dev.mutagenws.server.MutagenGateway;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import reactor.core.publisher.Mono;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The one command: serve the daemon on the web until SIGINT/SIGTERM. */
@Command(name = Launcher.NAME, mixinStandardHelpOptions = true, versionProvider = Launcher.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Serves the Mutagen daemon's synchronization API as JSON over WebSocket (/synchronization)"
                + " and REST (/api).", "Every flag can also be given as an environment variable, shown in"
                + " brackets; a flag wins over its variable."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    /** SIGTERM to exit: the whole shutdown, leaving time for the JVM itself. */
    static final Duration SHUTDOWN_BUDGET = Duration.ofMillis(4500);
    /** How long the daemon may take to say whether it is there, for the start-up lines. */
    private static final Duration FIRST_ANSWER = Duration.ofSeconds(3);

    @CommandLine.Spec
    CommandSpec spec;

    @Mixin
    LauncherFlags flags;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        LauncherSettings settings;
        try {
            settings = LauncherSettings.from(flags);
        } catch (LauncherSettings.BadFlag e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Logging.configure(settings.logLevel());
        // Before anything starts, so that a signal during start-up also ends in a clean stop.
        installSignalHandlers();
        Demo demo = null;
        MutagenGateway gateway = null;
        GatewayServer server = null;
        try {
            DaemonSocket socket = settings.socket();
            if (settings.demo()) {
                demo = Demo.start();
                socket = DaemonSocket.of(demo.socketPath());
            }
            if (settings.generatedToken()) {
                try {
                    TokenFile.write(settings.tokenFile(), settings.token());
                } catch (IOException e) {
                    System.err.println(Launcher.NAME + ": cannot write the token file " + settings.tokenFile() + ": "
                            + Launcher.oneLine(e) + " (give --token-file or --token)");
                    return 1;
                }
            }
            if (settings.token() != null) {
                log.info("token fingerprint sha256:{}", settings.policy().tokenFingerprint());
            }
            // The gateway creates the daemon client and closes it when it stops. Always an explicit policy: the
            // library's default would generate a token of its own, not the printed one.
            gateway = MutagenGateway.builder().socket(socket).options(settings.options())
                    .security(settings.policy()).build();
            try {
                server = gateway.bind(settings.listen().socketAddress(), settings::secure)
                        .block(Duration.ofSeconds(15));
            } catch (RuntimeException e) {
                System.err.println(Launcher.NAME + ": cannot listen on " + settings.listen() + ": "
                        + Launcher.oneLine(Launcher.rootCause(e)));
                return 1;
            }
            if (demo != null) {
                demo.populate(gateway.daemon()).block(Duration.ofSeconds(30));
            }
            DaemonAvailability availability = gateway.daemon().availability().next()
                    .timeout(FIRST_ANSWER, Mono.fromSupplier(() -> DaemonAvailability.disconnected(
                            "no answer within " + FIRST_ANSWER.toSeconds() + " s")))
                    .block();
            announce(settings, server.port(), socket, availability, demo != null);

            stopRequested.await();
            log.info("shutting down");
            Watchdog.start(SHUTDOWN_BUDGET);
            return 0;
        } finally {
            stop(gateway, server);
            if (demo != null) {
                demo.close();
            }
            log.info("stopped");
            stopped.countDown();
        }
    }

    /** The start-up lines on stdout (logs go to stderr); the first carries the token, for the user only. */
    private static void announce(LauncherSettings settings, int port, DaemonSocket socket,
            DaemonAvailability availability, boolean demo) {
        if (!settings.listen().isLoopback() && settings.ssl() == null) {
            System.err.println("WARNING: listening on " + settings.listen() + " without TLS. The token and everything"
                    + " sent, including SSH passwords answered in prompts, cross the network in clear text."
                    + " Give --tls-cert and --tls-key.");
        }
        PrintStream out = System.out;
        out.println(Launcher.NAME + " " + MutagenGateway.version() + " listening on " + settings.url(port));
        out.println(settings.tokenLine());
        out.println("daemon socket: " + socket.path());
        out.println(availability.isConnected() ? "daemon: Mutagen " + availability.version()
                : "daemon: unreachable (" + availability.problem() + ") - retrying");
        if (demo) {
            out.println("demo: in-process fake daemon with 4 sessions (nothing is synchronized); the SSH host "
                    + Demo.SSH_HOST + " asks for the password \"" + Demo.SSH_PASSWORD + "\"");
        }
        out.flush();
    }

    /**
     * One call stops it all: WebSockets get 1001 within the grace period, daemon calls are cancelled, the server
     * closes, and so does the daemon client. A gateway that never got to listen only has its daemon client to close.
     */
    private static void stop(MutagenGateway gateway, GatewayServer server) {
        try {
            if (server != null) {
                server.close();
            } else if (gateway != null) {
                gateway.shutdown().block();
            }
        } catch (RuntimeException e) {
            log.warn("graceful shutdown incomplete: {}", e.toString());
        }
    }

    /** SIGINT and SIGTERM start a graceful shutdown that exits 0; a second signal exits at once. */
    // sun.misc.Signal (module jdk.unsupported): a shutdown hook alone would make SIGTERM exit 143, not 0.
    private void installSignalHandlers() {
        AtomicInteger signals = new AtomicInteger();
        SignalHandler handler = signal -> {
            if (signals.incrementAndGet() > 1) {
                Runtime.getRuntime().halt(128 + signal.getNumber());
            }
            stopRequested.countDown();
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
        // Any other way the JVM ends (SIGHUP, System.exit elsewhere) still stops cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(SHUTDOWN_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mutagen-ws-shutdown"));
    }

    /** Ends the process if a graceful shutdown hangs, so SIGTERM always ends it within the budget. */
    private static final class Watchdog {
        static void start(Duration budget) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(budget.toMillis());
                    System.err.println(Launcher.NAME + ": shutdown took longer than " + budget.toMillis()
                            + " ms; exiting anyway");
                    Runtime.getRuntime().halt(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shutdown-watchdog");
            t.setDaemon(true);
            t.start();
        }
    }
}

package dev.mutagenws.launcher;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.internal.server.security.Tokens;
import dev.mutagenws.server.GatewayOptions;
import dev.mutagenws.server.MutagenGateway;
import dev.mutagenws.server.security.SecurityPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.tcp.SslProvider;

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

    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = {"--listen", "-listen"}, paramLabel = "HOST:PORT", converter = ListenAddress.Converter.class,
            defaultValue = "${env:MUTAGEN_WS_LISTEN:-127.0.0.1:8081}",
            description = "Address to serve on [MUTAGEN_WS_LISTEN] (default: ${DEFAULT-VALUE}).")
    ListenAddress listen;

    @Option(names = {"--sock", "-sock"}, paramLabel = "PATH", defaultValue = "${env:MUTAGEN_WS_SOCK}",
            description = "The daemon's Unix socket, 'unix:' prefix and '~' accepted [MUTAGEN_WS_SOCK] (default:"
                    + " $MUTAGEN_DATA_DIRECTORY/daemon/daemon.sock, else ~/.mutagen/daemon/daemon.sock).")
    String sock;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MUTAGEN_WS_TOKEN}",
            description = "Require this token (16+ characters of A-Z a-z 0-9 . _ ~ -) [MUTAGEN_WS_TOKEN]. Prefer the"
                    + " variable or --token-file: flags are visible to other users in the process list."
                    + " Default: a random 256-bit token written to a file only you can read.")
    String token;

    @Option(names = "--token-file", paramLabel = "PATH", defaultValue = "${env:MUTAGEN_WS_TOKEN_FILE}",
            description = "Read the token from this file [MUTAGEN_WS_TOKEN_FILE].")
    Path tokenFile;

    @Option(names = "--no-auth", defaultValue = "${env:MUTAGEN_WS_NO_AUTH:-false}",
            description = "Require no token; refused unless --listen is a loopback address [MUTAGEN_WS_NO_AUTH].")
    boolean noAuth;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN", split = ",",
            defaultValue = "${env:MUTAGEN_WS_ALLOW_ORIGIN}",
            description = "Also accept WebSocket upgrades and non-GET requests from this origin, e.g."
                    + " http://localhost:3000, and answer it with CORS headers; repeatable"
                    + " [MUTAGEN_WS_ALLOW_ORIGIN, comma-separated].")
    List<String> allowOrigins = new ArrayList<>();

    @Option(names = "--allow-host", paramLabel = "HOST", split = ",", defaultValue = "${env:MUTAGEN_WS_ALLOW_HOST}",
            description = "Also accept this name or address in the Host header (loopback ones always are);"
                    + " repeatable [MUTAGEN_WS_ALLOW_HOST, comma-separated].")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:MUTAGEN_WS_TLS_CERT}",
            description = "Serve HTTPS/WSS with this certificate chain (PEM); needs --tls-key [MUTAGEN_WS_TLS_CERT].")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:MUTAGEN_WS_TLS_KEY}",
            description = "The certificate's private key, unencrypted PEM (PKCS#8, or OpenSSL's RSA and EC forms)"
                    + " [MUTAGEN_WS_TLS_KEY].")
    Path tlsKey;

    @Option(names = "--max-frame-size", paramLabel = "BYTES", converter = Values.SizeConverter.class,
            defaultValue = "${env:MUTAGEN_WS_MAX_FRAME_SIZE:-1MiB}",
            description = "Largest WebSocket message or request body, e.g. 1MiB [MUTAGEN_WS_MAX_FRAME_SIZE]"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxFrameSize;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "${env:MUTAGEN_WS_MAX_IN_FLIGHT:-64}",
            description = "Requests one WebSocket may have running at once [MUTAGEN_WS_MAX_IN_FLIGHT]"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--prompt-timeout", paramLabel = "DURATION", converter = Values.DurationConverter.class,
            defaultValue = "${env:MUTAGEN_WS_PROMPT_TIMEOUT:-120s}",
            description = "How long a daemon question waits for an answer, e.g. 90s, 2m [MUTAGEN_WS_PROMPT_TIMEOUT]"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration promptTimeout;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:MUTAGEN_WS_LOG_LEVEL:-info}",
            description = "error, warn, info, debug, trace or off; logs go to stderr. Netty, gRPC and Reactor stay at"
                    + " info or quieter, since their debug output can contain raw traffic [MUTAGEN_WS_LOG_LEVEL]"
                    + " (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--demo", defaultValue = "${env:MUTAGEN_WS_DEMO:-false}",
            description = "Run against an in-process fake daemon with a few moving sessions; no Mutagen needed"
                    + " [MUTAGEN_WS_DEMO].")
    boolean demo;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Settings settings = validate();
        Logging.configure(logLevel);
        // Before anything starts, so that a signal during start-up also ends in a clean stop.
        installSignalHandlers();
        PrintStream out = System.out; // start-up lines only; logs go to stderr
        Demo demoDaemon = null;
        MutagenDaemon daemon = null;
        MutagenGateway gateway = null;
        DisposableServer server = null;
        try {
            DaemonSocket socket;
            if (demo) {
                demoDaemon = Demo.start();
                socket = DaemonSocket.of(demoDaemon.socketPath());
            } else {
                socket = settings.socket;
            }
            String tokenLine = settings.tokenLine;
            if (settings.generatedToken) {
                try {
                    TokenFile.write(settings.tokenFile, settings.token);
                } catch (IOException e) {
                    System.err.println(Launcher.NAME + ": cannot write the token file " + settings.tokenFile + ": "
                            + Launcher.oneLine(e) + " (give --token-file or --token)");
                    return 1;
                }
            }
            if (settings.token != null) {
                log.info("token fingerprint sha256:{}", settings.policy.tokenFingerprint());
            }
            daemon = MutagenDaemon.builder().socket(socket).build();
            // Always an explicit policy: the library's default would generate a token of its own, not the printed one.
            gateway = MutagenGateway.builder().daemon(daemon).options(settings.options).security(settings.policy).build();
            SslProvider ssl = settings.ssl;
            try {
                server = gateway.bind(listen.socketAddress(), http -> ssl == null ? http : http.secure(ssl))
                        .block(Duration.ofSeconds(15));
            } catch (RuntimeException e) {
                System.err.println(Launcher.NAME + ": cannot listen on " + listen + ": " + Launcher.oneLine(rootCause(e)));
                return 1;
            }
            if (demoDaemon != null) {
                demoDaemon.populate(daemon).block(Duration.ofSeconds(30));
            }
            DaemonAvailability availability = daemon.availability().next()
                    .timeout(Duration.ofSeconds(3), Mono.fromSupplier(
                            () -> DaemonAvailability.disconnected("no answer within 3 s")))
                    .block();

            if (!listen.isLoopback() && ssl == null) {
                System.err.println("WARNING: listening on " + listen + " without TLS. The token and everything sent,"
                        + " including SSH passwords answered in prompts, cross the network in clear text."
                        + " Give --tls-cert and --tls-key.");
            }
            String scheme = ssl == null ? "http" : "https";
            String url = scheme + "://" + listen.urlHost() + ":" + server.port() + "/"
                    + (settings.token == null ? "" : "?token=" + settings.token);
            out.println(Launcher.NAME + " " + MutagenGateway.version() + " listening on " + url);
            out.println(tokenLine);
            out.println("daemon socket: " + socket.path());
            out.println(availability.isConnected() ? "daemon: Mutagen " + availability.version()
                    : "daemon: unreachable (" + availability.problem() + ") - retrying");
            if (demoDaemon != null) {
                out.println("demo: in-process fake daemon with 4 sessions (nothing is synchronized); the SSH host "
                        + Demo.SSH_HOST + " asks for the password \"" + Demo.SSH_PASSWORD + "\"");
            }
            out.flush();

            stopRequested.await();
            log.info("shutting down");
            Watchdog.start(SHUTDOWN_BUDGET);
            try {
                gateway.shutdown(Duration.ofSeconds(2)).block(Duration.ofSeconds(3));
            } catch (RuntimeException e) {
                log.warn("graceful shutdown incomplete: {}", e.toString());
            }
            return 0;
        } finally {
            if (server != null) {
                try {
                    server.disposeNow(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    log.debug("server disposal: {}", e.toString());
                }
            }
            if (gateway != null) {
                gateway.close();
            }
            if (daemon != null) {
                daemon.close();
            }
            if (demoDaemon != null) {
                demoDaemon.close();
            }
            log.info("stopped");
            stopped.countDown();
        }
    }

    /** SIGINT and SIGTERM start a graceful shutdown that exits 0; a second signal exits at once. */
    // sun.misc.Signal (module jdk.unsupported): a shutdown hook alone would make SIGTERM exit 143, not 0.
    private void installSignalHandlers() {
        AtomicInteger signals = new AtomicInteger();
        sun.misc.SignalHandler handler = signal -> {
            if (signals.incrementAndGet() > 1) {
                Runtime.getRuntime().halt(128 + signal.getNumber());
            }
            stopRequested.countDown();
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
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

    /** All checks that end in "bad flag" (exit 2), before anything starts. */
    private Settings validate() {
        Settings s = new Settings();
        if (!Logging.LEVELS.contains(logLevel.toLowerCase(Locale.ROOT))) {
            throw bad("Invalid value for option '--log-level': expected one of " + String.join(", ", Logging.LEVELS)
                    + ", got '" + logLevel + "'");
        }
        int tokenSources = (token != null ? 1 : 0) + (tokenFile != null ? 1 : 0) + (noAuth ? 1 : 0);
        if (tokenSources > 1) {
            throw bad("--token, --token-file and --no-auth exclude each other; give at most one");
        }
        if (noAuth && !listen.isLoopback()) {
            throw bad("--no-auth is refused with a non-loopback --listen (" + listen + "): anyone who can reach it"
                    + " could read and write your files through Mutagen");
        }
        if (demo && sock != null) {
            throw bad("--demo runs its own fake daemon; it cannot be combined with --sock");
        }
        try {
            s.options = GatewayOptions.builder().maxFrameSize(maxFrameSize).build();
        } catch (IllegalArgumentException e) {
            throw bad("Invalid value for option '--max-frame-size': " + e.getMessage());
        }
        try {
            s.options = s.options.toBuilder().maxInFlight(maxInFlight).build();
        } catch (IllegalArgumentException e) {
            throw bad("Invalid value for option '--max-in-flight': " + e.getMessage());
        }
        try {
            s.options = s.options.toBuilder().promptTimeout(promptTimeout).build();
        } catch (IllegalArgumentException e) {
            throw bad("Invalid value for option '--prompt-timeout': " + e.getMessage());
        }
        if (!demo) {
            try {
                s.socket = sock == null ? DaemonSocket.fromEnvironment() : DaemonSocket.of(sock);
            } catch (RuntimeException e) {
                throw bad("Invalid value for option '--sock': " + e.getMessage());
            }
        }

        SecurityPolicy.Builder policy = SecurityPolicy.builder();
        if (noAuth) {
            policy.noToken();
            s.tokenLine = "token: none (--no-auth): any local program or user can use the API";
        } else if (token != null) {
            try {
                policy.token(token);
            } catch (IllegalArgumentException e) {
                throw bad("Invalid value for option '--token': " + e.getMessage());
            }
            s.token = token;
            s.tokenLine = "token: from --token/MUTAGEN_WS_TOKEN";
        } else if (tokenFile != null) {
            try {
                s.token = TokenFile.read(tokenFile);
                policy.token(s.token);
            } catch (IOException e) {
                throw bad("Invalid value for option '--token-file': cannot read " + tokenFile + ": "
                        + Launcher.oneLine(e));
            } catch (IllegalArgumentException e) {
                throw bad("Invalid value for option '--token-file': " + tokenFile + ": " + e.getMessage());
            }
            s.tokenFile = tokenFile.toAbsolutePath();
            s.tokenLine = "token file: " + s.tokenFile;
        } else {
            s.token = Tokens.generate();
            policy.token(s.token);
            s.generatedToken = true;
            s.tokenFile = TokenFile.defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
            s.tokenLine = "token file: " + s.tokenFile;
        }
        for (String origin : allowOrigins) {
            try {
                policy.allowOrigin(origin);
            } catch (IllegalArgumentException e) {
                throw bad("Invalid value for option '--allow-origin': " + e.getMessage());
            }
        }
        for (String host : allowHosts) {
            try {
                policy.allowHost(host);
            } catch (IllegalArgumentException e) {
                throw bad("Invalid value for option '--allow-host': " + e.getMessage());
            }
        }
        if (!listen.isWildcard() && !listen.isLoopback()) {
            // The address we were told to serve on is an address clients will use.
            policy.allowHost(listen.host());
        }

        if ((tlsCert == null) != (tlsKey == null)) {
            throw bad(tlsCert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        if (tlsCert != null) {
            requireReadable(tlsCert, "--tls-cert");
            requireReadable(tlsKey, "--tls-key");
            PrivateKey key;
            try {
                key = PemKeys.read(tlsKey);
            } catch (IOException e) {
                throw bad("Invalid value for option '--tls-key': " + tlsKey + ": " + e.getMessage());
            }
            List<X509Certificate> chain;
            try (InputStream in = Files.newInputStream(tlsCert)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                        .map(c -> (X509Certificate) c).toList();
            } catch (IOException | GeneralSecurityException e) {
                throw bad("Invalid value for option '--tls-cert': " + tlsCert + ": not a PEM certificate chain ("
                        + Launcher.oneLine(e) + ")");
            }
            if (chain.isEmpty()) {
                throw bad("Invalid value for option '--tls-cert': " + tlsCert + ": no certificate in it");
            }
            if (!PemKeys.belongTogether(key, chain.get(0))) {
                throw bad("Invalid value for option '--tls-key': " + tlsKey + " is not the key of the certificate in "
                        + tlsCert);
            }
            try {
                // Built now, so that a key that does not fit the certificate is a flag error, not a failed start.
                s.ssl = SslProvider.builder().sslContext(Http11SslContextSpec.forServer(key, chain)).build();
            } catch (RuntimeException e) {
                throw bad("Invalid value for option '--tls-cert'/'--tls-key': " + Launcher.oneLine(rootCause(e)));
            }
            policy.tls(true);
        }
        s.policy = policy.build();
        return s;
    }

    private void requireReadable(Path file, String flag) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw bad("Invalid value for option '" + flag + "': cannot read " + file);
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** What validation produced. */
    private static final class Settings {
        GatewayOptions options;
        DaemonSocket socket;
        SecurityPolicy policy;
        String token;
        boolean generatedToken;
        Path tokenFile;
        String tokenLine;
        SslProvider ssl;
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

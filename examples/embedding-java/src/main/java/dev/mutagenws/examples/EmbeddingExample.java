package dev.mutagenws.examples;

import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.server.MutagenGateway;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small application that owns its Reactor Netty server and mounts mutagen-ws into it: its own
 * {@code GET /hello} sits beside the gateway's {@code /synchronization} WebSocket and {@code /api}.
 *
 * <pre>
 * java -jar embedding-example.jar [--listen HOST:PORT] [--sock PATH | --demo]
 * </pre>
 *
 * Security: the gateway's default policy ({@code SecurityPolicy.localOnly()}) checks Host (loopback names only) and
 * Origin on its routes and requires a token it generates at start (any local user can connect to a loopback port).
 * The example prints the address with that token ({@code listening on http://127.0.0.1:8090/?token=...}): open it
 * in a browser for the dashboard, or give the token to scripts as {@code Authorization: Bearer} or {@code ?token=}.
 * The application's own {@code /hello} is not guarded.
 *
 * <p>The testkit's {@link FakeDaemon} is a compile-scope dependency only for {@code --demo}; an application
 * embedding mutagen-ws for real needs just {@code mutagen-ws-core}.
 */
public final class EmbeddingExample implements AutoCloseable {
    static final String USAGE = "usage: java -jar embedding-example.jar [--listen HOST:PORT] [--sock PATH | --demo]\n"
            + "  --listen HOST:PORT  address to bind (default 127.0.0.1:8090; port 0 picks a free one)\n"
            + "  --sock PATH         the Mutagen daemon's socket (default: where the mutagen CLI looks)\n"
            + "  --demo              run an in-process fake daemon instead; its SSH host example.com\n"
            + "                      asks alice's password, which is \"secret\"";

    /** Enough for the gateway's shutdown grace (2 s by default) and the rest of stopping. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final FakeDaemon fake;
    private final MutagenGateway gateway;
    private final DisposableServer server;

    private EmbeddingExample(FakeDaemon fake, MutagenGateway gateway, DisposableServer server) {
        this.fake = fake;
        this.gateway = gateway;
        this.server = server;
    }

    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (arguments.help) {
            System.out.println(USAGE);
            return;
        }
        EmbeddingExample app = start(arguments.listen, arguments.socket, arguments.demo);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "embedding-example-shutdown"));
        // Scripts (the js-client's Node test among them) wait for exactly this line. It carries the token, as the
        // launcher's does: stdout is the user's; logs (stderr) never see it.
        System.out.println(app.announcement());
        app.server.onDispose().block();
    }

    /**
     * Starts the application and returns once it is bound.
     *
     * @param socket the daemon's socket; ignored with {@code demo}, null means the CLI's default
     * @param demo   start an in-process {@link FakeDaemon} and serve it
     */
    public static EmbeddingExample start(InetSocketAddress listen, DaemonSocket socket, boolean demo) {
        FakeDaemon fake = null;
        MutagenGateway gateway = null;
        try {
            if (demo) {
                fake = FakeDaemon.builder().build().start();
                // The demo's SSH host, so that clients can try the password prompt end to end.
                fake.ssh().host("example.com").password("secret");
                socket = DaemonSocket.of(fake.socketPath());
            } else if (socket == null) {
                socket = DaemonSocket.fromEnvironment();
            }
            // The library's default policy: Host and Origin checks and a token generated now (see token()).
            gateway = MutagenGateway.builder().socket(socket).build();
            MutagenGateway mounted = gateway;
            DisposableServer server = HttpServer.create()
                    .bindAddress(() -> listen)
                    .route(routes -> {
                        // The application's own route...
                        routes.get("/hello", (request, response) -> response
                                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                                .sendString(Mono.just("hello from the embedding app\n")));
                        // ...and everything of mutagen-ws beside it.
                        mounted.register(routes);
                    })
                    .bindNow(Duration.ofSeconds(10));
            return new EmbeddingExample(fake, gateway, server);
        } catch (RuntimeException e) {
            if (gateway != null) {
                gateway.shutdown().block(STOP_TIMEOUT);
            }
            if (fake != null) {
                fake.close();
            }
            throw e;
        }
    }

    public DisposableServer server() {
        return server;
    }

    /** The token the gateway's routes require: generated at start by the library's default policy. A secret. */
    public String token() {
        return gateway.token().orElseThrow();
    }

    /** The dashboard's address with the token, e.g. {@code http://127.0.0.1:8090/?token=...}. */
    public String link() {
        return url() + "/?token=" + token();
    }

    /** The start-up line: {@code listening on http://127.0.0.1:8090/?token=...}. */
    public String announcement() {
        return "listening on " + link();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        InetSocketAddress address = (InetSocketAddress) server.address();
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Stops in reverse order of start. The gateway first, with one call: its WebSocket clients get close status 1001
     * (going away), its daemon calls are cancelled and the daemon client it created is closed; its routes answer 503
     * meanwhile. Then the application's own server, then the fake daemon.
     */
    @Override
    public void close() {
        gateway.shutdown().block(STOP_TIMEOUT);
        server.disposeNow(STOP_TIMEOUT);
        if (fake != null) {
            fake.close();
        }
    }

    /** The command line, parsed by hand: three flags do not need a library. */
    static final class Arguments {
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 8090);
        DaemonSocket socket;
        boolean demo;
        boolean help;

        static Arguments parse(String... args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--listen" -> a.listen = address(value(args, ++i, "--listen"));
                    case "--sock" -> a.socket = DaemonSocket.of(value(args, ++i, "--sock"));
                    case "--demo" -> a.demo = true;
                    case "-h", "--help" -> a.help = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (a.demo && a.socket != null) {
                throw new IllegalArgumentException("--demo and --sock exclude each other");
            }
            return a;
        }

        private static String value(String[] args, int index, String flag) {
            if (index >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[index];
        }

        /** HOST:PORT, with IPv6 hosts in brackets ({@code [::1]:8090}). */
        static InetSocketAddress address(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("--listen wants HOST:PORT, got \"" + text + "\"");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--listen port is not a number: \"" + text + "\"");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--listen port out of range: " + port);
            }
            // Resolved now so that an unknown host name fails here, with its name, not at bind time.
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("--listen host cannot be resolved: " + host);
            }
            return address;
        }
    }
}

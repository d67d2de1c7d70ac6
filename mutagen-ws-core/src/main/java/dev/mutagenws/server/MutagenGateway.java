package dev.mutagenws.server;

import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.json.ProtoJson;
import dev.mutagenws.protocol.ReplyWriter;
import dev.mutagenws.protocol.SynchronizationService;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateOptions;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The web face of the Mutagen daemon: the WebSocket protocol at {@code /synchronization} and the
 * REST API under {@code /api}. Mount it into your own Reactor Netty server
 * ({@code HttpServer.create().route(gateway::register)}) or start it on its own with
 * {@link #bind(InetSocketAddress)}.
 *
 * <pre>{@code
 * MutagenGateway gateway = MutagenGateway.builder().socket(DaemonSocket.fromEnvironment()).build();
 * gateway.bind(new InetSocketAddress("127.0.0.1", 8081)).subscribe(server -> log.info("on {}", server.port()));
 * }</pre>
 */
public final class MutagenGateway implements AutoCloseable {
    /** Path of the WebSocket endpoint (the reference server's). */
    public static final String WEBSOCKET_PATH = "/synchronization";

    private final MutagenDaemon daemon;
    private final boolean ownsDaemon;
    private final GatewayOptions options;
    private final SynchronizationService service;
    private final ReplyWriter writer;
    private final RestRoutes rest;
    private final DashboardRoutes dashboard = new DashboardRoutes();
    private final StateHub states;

    private MutagenGateway(Builder b) {
        this.ownsDaemon = b.daemon == null;
        this.daemon = b.daemon != null ? b.daemon
                : MutagenDaemon.builder().socket(b.socket != null ? b.socket : DaemonSocket.fromEnvironment()).build();
        this.options = b.options;
        ProtoJson json = ProtoJson.standard();
        this.service = new SynchronizationService(daemon, json);
        this.writer = new ReplyWriter(json);
        this.rest = new RestRoutes(service, writer, options, version());
        this.states = StateHub.create(daemon, StateOptions.builder().minInterval(options.minPollInterval()).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This software's version (from the jar manifest; "dev" when run from classes). */
    public static String version() {
        String v = MutagenGateway.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public MutagenDaemon daemon() {
        return daemon;
    }

    public GatewayOptions options() {
        return options;
    }

    /** The live session state shared by every WebSocket subscription and event stream of this gateway. */
    public StateHub states() {
        return states;
    }

    /** Live snapshots of a selection (the current one at once, then each change), shared with the gateway's clients. */
    public Flux<SessionStates> watch(SessionSelection selection) {
        return states.watch(selection);
    }

    /** Adds the gateway's routes to an application's routes. */
    public void register(HttpServerRoutes routes) {
        routes.ws(WEBSOCKET_PATH,
                (in, out) -> new WebSocketConnection(service, writer, options, daemon.availability(), states)
                        .handle(in, out),
                WebsocketServerSpec.builder()
                        // The transport's own cap; our limit (answered with 2008) is enforced per message.
                        .maxFramePayloadLength(Math.max(16 * 1024 * 1024, options.maxFrameSize() * 2))
                        .build());
        // Before the REST routes: a browser asking for "/" gets the page, other clients the JSON.
        dashboard.register(routes);
        rest.register(routes);
        new EventRoutes(states, writer, options).register(routes);
    }

    /** Starts a standalone server on the address; the returned server's {@code dispose()} stops it. */
    public Mono<DisposableServer> bind(InetSocketAddress address) {
        return bind(address, UnaryOperator.identity());
    }

    /** As {@link #bind(InetSocketAddress)}, letting the caller adjust the server first (e.g. TLS). */
    public Mono<DisposableServer> bind(InetSocketAddress address, UnaryOperator<HttpServer> customizer) {
        return customizer.apply(HttpServer.create().bindAddress(() -> address)).route(this::register).bind()
                .map(server -> (DisposableServer) server);
    }

    /** Closes the daemon connection when the gateway created it. */
    @Override
    public void close() {
        states.close();
        if (ownsDaemon) {
            daemon.close();
        }
    }

    public static final class Builder {
        private MutagenDaemon daemon;
        private DaemonSocket socket;
        private GatewayOptions options = GatewayOptions.defaults();

        private Builder() {
        }

        /** Use this daemon client (the caller closes it). */
        public Builder daemon(MutagenDaemon daemon) {
            this.daemon = Objects.requireNonNull(daemon, "daemon");
            return this;
        }

        /** Connect to the daemon at this socket (the gateway owns and closes the client). */
        public Builder socket(DaemonSocket socket) {
            this.socket = Objects.requireNonNull(socket, "socket");
            return this;
        }

        public Builder options(GatewayOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public MutagenGateway build() {
            return new MutagenGateway(this);
        }
    }
}

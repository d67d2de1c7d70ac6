package dev.mutagenws.server;

import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.server.DashboardRoutes;
import dev.mutagenws.internal.server.EventRoutes;
import dev.mutagenws.internal.server.HttpReplies;
import dev.mutagenws.internal.server.QueuedFrames;
import dev.mutagenws.internal.server.RestRoutes;
import dev.mutagenws.internal.server.StatusRoutes;
import dev.mutagenws.internal.server.WebSocketConnection;
import dev.mutagenws.internal.server.security.AccessLogs;
import dev.mutagenws.internal.server.security.GuardedRoutes;
import dev.mutagenws.internal.server.security.RequestGuard;
import dev.mutagenws.server.security.SecurityPolicy;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateOptions;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ReactorNetty;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The web face of the Mutagen daemon: the WebSocket protocol at {@code /synchronization} and the
 * REST API under {@code /api}. Start it on its own with {@link #bind(InetSocketAddress)}, or mount it into your own
 * Reactor Netty server with {@link #register(HttpServerRoutes)}.
 *
 * <pre>{@code
 * MutagenGateway gateway = MutagenGateway.builder().socket(DaemonSocket.fromEnvironment()).build();
 * GatewayServer server = gateway.bind(new InetSocketAddress("127.0.0.1", 8081)).block();
 * // The token is a secret: hand it to the user (stdout, a file only they can read), never to a log.
 * System.out.println("http://127.0.0.1:" + server.port() + "/?token=" + gateway.token().orElseThrow());
 * // ... and to stop: WebSockets get 1001, daemon calls are cancelled, the server and the daemon client closed.
 * server.close();
 * }</pre>
 *
 * <p>Every route the gateway registers is guarded by its {@link SecurityPolicy} (Host, Origin, token; see
 * {@link Builder#security(SecurityPolicy)}). The default, {@link SecurityPolicy#localOnly()}, checks Host and Origin
 * and requires a token generated for this gateway ({@link #token()}), since any local user can connect to a
 * loopback port; {@link SecurityPolicy#unauthenticatedLocalOnly()} is the explicit opt-out.
 *
 * <p>Stopping is one call: {@link GatewayServer#close()} (or {@link GatewayServer#disposeNow(Duration)}) for a
 * gateway started with {@code bind}; {@link #shutdown()} for one mounted with {@code register}, after which the
 * application disposes its own server.
 */
public final class MutagenGateway {
    /** Path of the WebSocket endpoint (the reference server's). */
    public static final String WEBSOCKET_PATH = "/synchronization";
    private static final Logger log = LoggerFactory.getLogger(MutagenGateway.class);

    private final MutagenDaemon daemon;
    private final boolean ownsDaemon;
    private final GatewayOptions options;
    private final ActionExecutor actions;
    private final ReplyWriter writer;
    private final HttpReplies replies;
    private final RestRoutes rest;
    private final StatusRoutes status;
    private final DashboardRoutes dashboard = new DashboardRoutes();
    private final StateHub states;
    /** Frames of every WebSocket and event stream not yet written to their sockets. */
    private final QueuedFrames queued = new QueuedFrames();
    private final RequestGuard guard;
    /** Open WebSockets, closed with 1001 on shutdown. */
    private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final Sinks.Empty<Void> stopping = Sinks.empty();
    private volatile boolean stopped;
    /** Set by the first stop; the sequence then runs once and {@link #terminated} completes when it has. */
    private final AtomicBoolean stopStarted = new AtomicBoolean();
    private final Sinks.Empty<Void> terminated = Sinks.empty();

    private MutagenGateway(Builder b) {
        this.ownsDaemon = b.daemon == null;
        this.daemon = b.daemon != null ? b.daemon
                : MutagenDaemon.builder().socket(b.socket != null ? b.socket : DaemonSocket.fromEnvironment()).build();
        this.options = b.options;
        ProtoJson json = ProtoJson.standard();
        this.states = StateHub.create(daemon, b.stateOptions);
        // Every transport runs its actions, long-polls and subscriptions through this one.
        this.actions = new ActionExecutor(daemon, states, options.availabilityWait());
        this.writer = new ReplyWriter(json);
        this.replies = new HttpReplies(writer);
        this.rest = new RestRoutes(actions, replies, options);
        this.status = new StatusRoutes(actions, replies, version());
        // Each gateway built with the default gets a token of its own.
        this.guard = new RequestGuard(b.security != null ? b.security : SecurityPolicy.localOnly());
    }

    /**
     * A builder of a gateway that connects to the daemon where the Mutagen CLI would, with default options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * This software's version.
     *
     * @return the version from the jar manifest; "dev" when run from classes
     */
    public static String version() {
        String v = MutagenGateway.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The daemon client the gateway uses: the builder's, or the one it created (and closes when it stops).
     *
     * @return the daemon client
     */
    public MutagenDaemon daemon() {
        return daemon;
    }

    /**
     * The gateway's limits and timings.
     *
     * @return the options given to the builder
     */
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

    /** Who may connect (see {@link Builder#security(SecurityPolicy)}). */
    public SecurityPolicy security() {
        return guard.policy();
    }

    /**
     * The token clients must present ({@code Authorization: Bearer}, {@code ?token=}, or the dashboard's cookie):
     * the one generated for this gateway unless the builder was given a policy; empty when the policy requires
     * none. A secret: give it to the user, never to a log.
     */
    public Optional<String> token() {
        return security().token();
    }

    /**
     * Adds the gateway's routes to an application's routes, each behind the security policy (refusals happen
     * before any handler, and before a WebSocket upgrade).
     */
    public void register(HttpServerRoutes appRoutes) {
        // Everything registered below goes through the guard.
        HttpServerRoutes routes = guarded(appRoutes);
        routes.route(req -> req.method().equals(HttpMethod.OPTIONS) && isOurs(req.fullPath()),
                (req, res) -> res.status(Outcome.NO_CONTENT.httpStatus()).send()); // the guard answers first
        routes.ws(WEBSOCKET_PATH, (in, out) -> {
                    WebSocketConnection connection = new WebSocketConnection(actions, writer, options, queued);
                    connections.add(connection);
                    return connection.handle(in, out).doFinally(signal -> connections.remove(connection));
                },
                WebsocketServerSpec.builder()
                        // The transport's own cap; our limit (answered with 2008) is enforced per message.
                        .maxFramePayloadLength(Math.max(16 * 1024 * 1024, options.maxFrameSize() * 2))
                        .build());
        // Before the status routes, which end with a catch-all for /api/**: a browser asking for "/" gets the page,
        // other clients the JSON, and the event stream and sessions are not taken for an unknown API path.
        dashboard.register(routes);
        new EventRoutes(actions, replies, writer, options, states.options().scheduler(), queued).register(routes);
        rest.register(routes);
        status.register(routes);
    }

    /**
     * Starts a standalone server on the address. Its access log (off unless
     * {@code -Dreactor.netty.http.server.accessLogEnabled=true}) never shows a {@code ?token=} value.
     *
     * @param address where to listen; port 0 picks a free one ({@link GatewayServer#port()} tells which)
     * @return the running server, whose {@link GatewayServer#close()} stops it and this gateway
     */
    public Mono<GatewayServer> bind(InetSocketAddress address) {
        return bind(address, UnaryOperator.identity());
    }

    /**
     * As {@link #bind(InetSocketAddress)}, letting the caller adjust the server first (e.g. TLS).
     *
     * @param address    where to listen
     * @param customizer applied to the Reactor Netty server before it binds
     * @return the running server, whose {@link GatewayServer#close()} stops it and this gateway
     */
    public Mono<GatewayServer> bind(InetSocketAddress address, UnaryOperator<HttpServer> customizer) {
        // The access log stays as the system property sets it, but with tokens in query strings redacted.
        HttpServer http = HttpServer.create().bindAddress(() -> address)
                .accessLog(Boolean.getBoolean(ReactorNetty.ACCESS_LOG_ENABLED), AccessLogs.redacted());
        return customizer.apply(http).route(routes -> {
            register(routes);
            // Standalone, the gateway owns every path: unknown ones are guarded too (Host checks on a 404).
            guarded(routes).route(req -> true, status::noRoute);
        }).bind().map(server -> new GatewayServer(this, server));
    }

    private HttpServerRoutes guarded(HttpServerRoutes routes) {
        return new GuardedRoutes(routes, guard, stopping.asMono(), () -> stopped, replies::failure);
    }

    private static boolean isOurs(String path) {
        return path.startsWith("/api/") || path.equals(WEBSOCKET_PATH) || path.equals("/metrics");
    }

    /**
     * Stops a gateway mounted with {@link #register(HttpServerRoutes)}, in this order: new requests to its routes are
     * answered 503; WebSockets are sent close status 1001 (going away) and given {@link GatewayOptions#shutdownGrace()}
     * to close; every request in flight, long-poll, event stream and prompt is cancelled, which cancels its daemon
     * call; then the live state and, when the gateway created it, the daemon client are closed. Dispose your own
     * server afterwards. A gateway started with {@link #bind} is stopped by its {@link GatewayServer} instead, which
     * also disposes the server.
     *
     * <p>Nothing happens until the result is subscribed to. Once begun, stopping runs to its end even if that
     * subscriber cancels; every call, before or after, completes when it has ended.
     *
     * @return completes when the gateway has stopped; never fails
     */
    public Mono<Void> shutdown() {
        return stop(options.shutdownGrace(), Mono.empty());
    }

    /**
     * The one stop sequence: drain within {@code grace}, then {@code disposeServer}, then close what the gateway
     * owns. The first call's steps run; every call completes when they have.
     */
    Mono<Void> stop(Duration grace, Mono<Void> disposeServer) {
        return Mono.defer(() -> {
            if (stopStarted.compareAndSet(false, true)) {
                // Detached: a caller that gives up waiting must not leave the gateway half stopped.
                drain(grace).then(disposeServer)
                        .onErrorResume(e -> {
                            log.warn("stopping: {}", e.toString());
                            return Mono.empty();
                        })
                        .then(Mono.fromRunnable(this::closeOwned))
                        .subscribe(null, e -> {
                            log.warn("closing: {}", e.toString());
                            terminated.tryEmitEmpty();
                        }, terminated::tryEmitEmpty);
            }
            return terminated.asMono();
        });
    }

    /** Completes when {@link #stop} has ended. */
    Mono<Void> terminated() {
        return terminated.asMono();
    }

    /**
     * New requests are answered 503, WebSockets are closed with 1001, and every request in flight, long-poll, stream
     * and prompt is cancelled, which cancels its daemon call. Completes when the WebSockets have closed or after
     * {@code grace}.
     */
    private Mono<Void> drain(Duration grace) {
        return Mono.defer(() -> {
            stopped = true;
            stopping.tryEmitEmpty();
            List<Mono<Void>> closing = new ArrayList<>();
            for (WebSocketConnection connection : connections) {
                closing.add(connection.goingAway());
            }
            if (!closing.isEmpty()) {
                log.debug("closing {} WebSocket connections", closing.size());
            }
            return Mono.when(closing).timeout(grace, Mono.fromRunnable(
                    () -> log.warn("{} WebSocket connections still open after {}", connections.size(), grace)));
        });
    }

    /** Closes the live state, and the daemon client when the gateway created it. */
    private void closeOwned() {
        states.close();
        if (ownsDaemon) {
            daemon.close();
        }
    }

    /** Builds a {@link MutagenGateway}; every setter is optional. */
    public static final class Builder {
        private MutagenDaemon daemon;
        private DaemonSocket socket;
        private GatewayOptions options = GatewayOptions.defaults();
        private StateOptions stateOptions = StateOptions.defaults();
        /** Null until given: the default generates a token, so each gateway built makes its own. */
        private SecurityPolicy security;

        private Builder() {
        }

        /**
         * Use this daemon client; the caller closes it, after stopping the gateway.
         *
         * @param daemon the client
         * @return this builder
         */
        public Builder daemon(MutagenDaemon daemon) {
            this.daemon = Objects.requireNonNull(daemon, "daemon");
            return this;
        }

        /**
         * Connect to the daemon at this socket (default: where the Mutagen CLI would); the gateway creates the client
         * and closes it when it stops. Ignored when {@link #daemon(MutagenDaemon)} is given.
         *
         * @param socket the daemon's socket
         * @return this builder
         */
        public Builder socket(DaemonSocket socket) {
            this.socket = Objects.requireNonNull(socket, "socket");
            return this;
        }

        /**
         * Limits and timings of the gateway (default {@link GatewayOptions#defaults()}).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(GatewayOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * How the gateway's live state ({@link MutagenGateway#states()}) polls the daemon and recovers (default
         * {@link StateOptions#defaults()}).
         *
         * @param stateOptions the options
         * @return this builder
         */
        public Builder stateOptions(StateOptions stateOptions) {
            this.stateOptions = Objects.requireNonNull(stateOptions, "stateOptions");
            return this;
        }

        /**
         * Who may connect. Default: {@link SecurityPolicy#localOnly()}, Host and Origin checks and a token generated
         * for this gateway (read it with {@link MutagenGateway#token()}). Without a token
         * ({@link SecurityPolicy#unauthenticatedLocalOnly()}) any local user of this machine can drive your daemon.
         *
         * @param security the policy
         * @return this builder
         */
        public Builder security(SecurityPolicy security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * Builds the gateway. No connection to the daemon is made yet.
         *
         * @return a gateway, to {@link MutagenGateway#bind} or {@link MutagenGateway#register}
         */
        public MutagenGateway build() {
            return new MutagenGateway(this);
        }
    }
}

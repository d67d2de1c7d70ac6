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
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.ReactorNetty;
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
 * gateway.bind(new InetSocketAddress("127.0.0.1", 8081))
 *        // The token is a secret: hand it to the user (stdout, a file only they can read), never to a log.
 *        .subscribe(server -> System.out.println("http://127.0.0.1:" + server.port() + "/?token="
 *                + gateway.token().orElseThrow()));
 * }</pre>
 *
 * <p>Every route the gateway registers is guarded by its {@link SecurityPolicy} (Host, Origin, token; see
 * {@link Builder#security(SecurityPolicy)}). The default, {@link SecurityPolicy#localOnly()}, checks Host and Origin
 * and requires a token generated for this gateway ({@link #token()}), since any local user can connect to a
 * loopback port; {@link SecurityPolicy#unauthenticatedLocalOnly()} is the explicit opt-out. To stop, call
 * {@link #shutdown(Duration)}, then dispose the server.
 */
public final class MutagenGateway implements AutoCloseable {
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

    private MutagenGateway(Builder b) {
        this.ownsDaemon = b.daemon == null;
        this.daemon = b.daemon != null ? b.daemon
                : MutagenDaemon.builder().socket(b.socket != null ? b.socket : DaemonSocket.fromEnvironment()).build();
        this.options = b.options;
        ProtoJson json = ProtoJson.standard();
        this.states = StateHub.create(daemon, StateOptions.builder().minInterval(options.minPollInterval()).build());
        // Every transport runs its actions, long-polls and subscriptions through this one.
        this.actions = new ActionExecutor(daemon, states);
        this.writer = new ReplyWriter(json);
        this.replies = new HttpReplies(writer);
        this.rest = new RestRoutes(actions, replies, options);
        this.status = new StatusRoutes(actions, replies, version());
        // Each gateway built with the default gets a token of its own.
        this.guard = new RequestGuard(b.security != null ? b.security : SecurityPolicy.localOnly());
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
     * Starts a standalone server on the address; the returned server's {@code dispose()} stops it. Its access log
     * (off unless {@code -Dreactor.netty.http.server.accessLogEnabled=true}) never shows a {@code ?token=} value.
     */
    public Mono<DisposableServer> bind(InetSocketAddress address) {
        return bind(address, UnaryOperator.identity());
    }

    /** As {@link #bind(InetSocketAddress)}, letting the caller adjust the server first (e.g. TLS). */
    public Mono<DisposableServer> bind(InetSocketAddress address, UnaryOperator<HttpServer> customizer) {
        // The access log stays as the system property sets it, but with tokens in query strings redacted.
        HttpServer http = HttpServer.create().bindAddress(() -> address)
                .accessLog(Boolean.getBoolean(ReactorNetty.ACCESS_LOG_ENABLED), AccessLogs.redacted());
        return customizer.apply(http).route(routes -> {
            register(routes);
            // Standalone, the gateway owns every path: unknown ones are guarded too (Host checks on a 404).
            guarded(routes).route(req -> true, status::noRoute);
        }).bind().map(server -> (DisposableServer) server);
    }

    private HttpServerRoutes guarded(HttpServerRoutes routes) {
        return new GuardedRoutes(routes, guard, stopping.asMono(), () -> stopped, replies::failure);
    }

    private static boolean isOurs(String path) {
        return path.startsWith("/api/") || path.equals(WEBSOCKET_PATH) || path.equals("/metrics");
    }

    /**
     * Begins to stop: new requests are answered 503, WebSockets are closed with status 1001 (going away), and every
     * request in flight, long-poll, stream and prompt is cancelled, which cancels its daemon call. Completes when
     * the WebSockets have closed or after {@code grace}; then dispose the server and {@link #close()} the gateway.
     */
    public Mono<Void> shutdown(Duration grace) {
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
        /** Null until given: the default generates a token, so each gateway built makes its own. */
        private SecurityPolicy security;

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

        /**
         * Who may connect. Default: {@link SecurityPolicy#localOnly()}, Host and Origin checks and a token generated
         * for this gateway (read it with {@link MutagenGateway#token()}). Without a token
         * ({@link SecurityPolicy#unauthenticatedLocalOnly()}) any local user of this machine can drive your daemon.
         */
        public Builder security(SecurityPolicy security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        public MutagenGateway build() {
            return new MutagenGateway(this);
        }
    }
}

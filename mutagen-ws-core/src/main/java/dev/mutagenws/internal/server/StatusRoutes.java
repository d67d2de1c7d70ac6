package dev.mutagenws.internal.server;

import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.protocol.AvailabilityJson;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolDescription;
import dev.mutagenws.internal.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * What the gateway says about itself over HTTP: daemon status, protocol description, health, readiness,
 * the root, and the answer for paths no route takes (an envelope, not an empty 404).
 */
public final class StatusRoutes {
    static final String DAEMON = "/api/daemon";
    static final String PROTOCOL = "/api/protocol";

    private final ActionExecutor actions;
    private final HttpReplies replies;
    /** {@code GET /}: what runs here, for {@code curl 127.0.0.1:8081}. */
    private final Map<String, Object> root = new LinkedHashMap<>();

    public StatusRoutes(ActionExecutor actions, HttpReplies replies, String version) {
        this.actions = actions;
        this.replies = replies;
        root.put("service", "mutagen-ws");
        root.put("version", version);
    }

    /**
     * Adds the routes. The last one answers every other path under {@code /api} (404, or 405 with
     * {@code Allow}), so routes added to {@code routes} afterwards never see {@code /api/...}:
     * register further API routes (sessions, events, metrics) before this.
     */
    public void register(HttpServerRoutes routes) {
        routes.get(DAEMON, this::daemonStatus)
                .get(PROTOCOL, (req, res) -> replies.value(res, Outcome.OK, ProtocolDescription.describe()))
                .get("/healthz", (req, res) -> HttpReplies.json(res, Outcome.OK, "{\"status\":\"ok\"}"))
                .get("/readyz", this::ready)
                .get("/", (req, res) -> replies.value(res, Outcome.OK, root))
                // Last: anything else under /api is ours to answer.
                .route(req -> req.fullPath().equals("/api") || req.fullPath().startsWith("/api/"), this::noRoute);
    }

    private Publisher<Void> daemonStatus(HttpServerRequest request, HttpServerResponse response) {
        return actions.currentAvailability().flatMap(a -> Mono.from(replies.value(response, Outcome.OK,
                AvailabilityJson.status(a, actions.socket()))));
    }

    /** 200 while the daemon answers, else 503 with the reason. */
    private Publisher<Void> ready(HttpServerRequest request, HttpServerResponse response) {
        return actions.currentAvailability().flatMap(a -> Mono.from(replies.value(response,
                a.isConnected() ? Outcome.OK : Outcome.DAEMON_UNAVAILABLE, AvailabilityJson.readiness(a))));
    }

    /** A path that no route took: 405 with Allow when the path exists, else 404; both code 2005. */
    public Publisher<Void> noRoute(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath();
        String allow = allowedMethods(path);
        String what = request.method().name() + " " + path;
        if (allow == null) {
            return replies.error(response, new ProtocolException(Outcome.NO_ROUTE,
                    "no such endpoint: " + what + "; GET " + PROTOCOL + " describes the API"));
        }
        response.header("Allow", allow);
        return replies.error(response, new ProtocolException(Outcome.METHOD_NOT_ALLOWED,
                what + " is not supported; " + path + " allows " + allow));
    }

    private static String allowedMethods(String path) {
        String sessions = RestRoutes.SESSIONS;
        if (path.equals(sessions)) {
            return "GET, POST";
        }
        if (path.startsWith(sessions + "/") && path.indexOf('/', sessions.length() + 1) < 0) {
            return "GET, POST, DELETE";
        }
        if (path.equals(DAEMON) || path.equals(PROTOCOL)) {
            return "GET";
        }
        return null;
    }
}

package dev.mutagenws.server;

import static dev.mutagenws.server.QueryParameters.bool;
import static dev.mutagenws.server.QueryParameters.bounded;
import static dev.mutagenws.server.QueryParameters.selectionNode;
import static dev.mutagenws.server.QueryParameters.single;
import static dev.mutagenws.server.QueryParameters.unsigned;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.prompting.PromptException;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.protocol.Actions;
import dev.mutagenws.protocol.ErrorCode;
import dev.mutagenws.protocol.Failure;
import dev.mutagenws.protocol.FrameDecoder;
import dev.mutagenws.protocol.ProtocolException;
import dev.mutagenws.protocol.ProtocolDescription;
import dev.mutagenws.protocol.Reply;
import dev.mutagenws.protocol.ReplyWriter;
import dev.mutagenws.protocol.Selections;
import dev.mutagenws.protocol.SynchronizationService;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The REST side: the reference server's {@code GET /api/synchronization/sessions} plus actions,
 * single sessions, daemon status, protocol description and health. Envelopes and codes are the
 * WebSocket's; the HTTP status follows the code (docs/protocol.md section 1).
 */
final class RestRoutes {
    private static final Logger log = LoggerFactory.getLogger(RestRoutes.class);
    static final String SESSIONS = "/api/synchronization/sessions";
    /** Where bad input is said to be: the query string or the JSON body. */
    private static final String QUERY = "query";
    private static final String BODY = "body";
    /** {@code token} is the authentication's (docs/protocol.md section 7), accepted everywhere. */
    private static final Set<String> NO_PARAMS = Set.of("token");
    private static final Set<String> SELECTION_PARAMS = with(NO_PARAMS, "id", "name", "label", "all");
    private static final Set<String> FLUSH_PARAMS = with(SELECTION_PARAMS, "skipWait");
    private static final Set<String> LIST_PARAMS = with(SELECTION_PARAMS, "stateIndex", "timeout", "page",
            "page_size");
    private static final List<String> OPERATION_NAMES = List.of(Actions.PAUSE, Actions.RESUME, Actions.FLUSH,
            Actions.RESET, Actions.TERMINATE);
    private static final Set<String> OPERATIONS = Set.copyOf(OPERATION_NAMES);

    private final SynchronizationService service;
    private final ReplyWriter writer;
    private final GatewayOptions options;
    private final String version;

    /** Long-polls of the session list: the shared state loop, the same as the WebSocket's {@code list}. */
    private final SharedLongPoll longPolls;

    RestRoutes(SynchronizationService service, ReplyWriter writer, GatewayOptions options, String version,
            SharedLongPoll longPolls) {
        this.service = service;
        this.writer = writer;
        this.options = options;
        this.version = version;
        this.longPolls = longPolls;
    }

    /**
     * Adds the routes. The last one answers every other path under {@code /api} (404, or 405 with
     * {@code Allow}), so routes added to {@code routes} afterwards never see {@code /api/...}:
     * register further API routes (SSE, metrics) before this.
     */
    void register(HttpServerRoutes routes) {
        routes.get(SESSIONS, this::list)
                .get(SESSIONS + "/{idOrName}", this::one)
                .post(SESSIONS, this::create)
                .post(SESSIONS + "/{operation}", this::operate)
                .delete(SESSIONS + "/{idOrName}", this::terminateOne)
                .get("/api/daemon", this::daemonStatus)
                .get("/api/protocol", (req, res) -> HttpReplies.json(res, 200,
                        writer.writeValue(ProtocolDescription.describe())))
                .get("/healthz", (req, res) -> HttpReplies.json(res, 200, "{\"status\":\"ok\"}"))
                .get("/readyz", this::ready)
                .get("/", this::root)
                // Last: anything else under /api is ours to answer (with an envelope, not an empty 404).
                .route(req -> req.fullPath().equals("/api") || req.fullPath().startsWith("/api/"), this::noRoute);
    }

    private Publisher<Void> root(HttpServerRequest request, HttpServerResponse response) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", "mutagen-ws");
        data.put("version", version);
        return HttpReplies.json(response, 200, writer.writeValue(data));
    }

    /** A path under /api that no route took: 405 with Allow when the path exists, else 404; both code 2005. */
    private Publisher<Void> noRoute(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath();
        String allow = allowedMethods(path);
        String what = request.method().name() + " " + path;
        if (allow == null) {
            return answer(request, response, "", Mono.error(new ProtocolException(ErrorCode.UNKNOWN_ACTION,
                    "no such endpoint: " + what + "; GET /api/protocol describes the API", 404)));
        }
        response.header("Allow", allow);
        return answer(request, response, "", Mono.error(new ProtocolException(ErrorCode.UNKNOWN_ACTION,
                what + " is not supported; " + path + " allows " + allow, 405)));
    }

    private static String allowedMethods(String path) {
        if (path.equals(SESSIONS)) {
            return "GET, POST";
        }
        if (path.startsWith(SESSIONS + "/") && path.indexOf('/', SESSIONS.length() + 1) < 0) {
            return "GET, POST, DELETE";
        }
        if (path.equals("/api/daemon") || path.equals("/api/protocol")) {
            return "GET";
        }
        return null;
    }

    private Publisher<Void> list(HttpServerRequest request, HttpServerResponse response) {
        return answer(request, response, Actions.LIST, Mono.defer(() -> {
            Map<String, List<String>> params = params(request, LIST_PARAMS);
            SessionSelection selection = selection(params);
            long stateIndex = unsigned(params, "stateIndex");
            Duration timeout = timeout(params, stateIndex);
            int page = (int) bounded(params, "page", 1, Integer.MAX_VALUE, 0);
            int pageSize = (int) bounded(params, "page_size", 1, 10_000, 0);
            if (params.containsKey("page") != params.containsKey("page_size")) {
                // A page without a size (or the reverse) is almost surely a mistake.
                throw ProtocolException.invalid("query.page and query.page_size go together");
            }
            Mono<ListResponse> states = stateIndex == 0 ? service.daemon().list(selection, 0)
                    : longPolls.after(selection, stateIndex, timeout);
            return states.map(r -> page == 0 ? r : paged(r, page, pageSize));
        }));
    }

    private static Object paged(ListResponse response, int page, int pageSize) {
        int count = response.getSessionStatesCount();
        int from = (int) Math.min((long) (page - 1) * pageSize, count);
        int to = Math.min(from + pageSize, count);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stateIndex", response.getStateIndex());
        data.put("sessionStates", response.getSessionStatesList().subList(from, to));
        Map<String, Object> pager = new LinkedHashMap<>();
        pager.put("page", page);
        pager.put("page_size", pageSize);
        pager.put("count", count);
        data.put("pager", pager);
        return data;
    }

    /** One session by identifier or name: its State, 404 when none matches, 409 when a name matches several. */
    private Publisher<Void> one(HttpServerRequest request, HttpServerResponse response) {
        String idOrName = request.param("idOrName");
        return answer(request, response, Actions.LIST, Mono.defer(() -> {
            params(request, NO_PARAMS);
            return oneSession(idOrName).map(state -> (Object) state);
        }));
    }

    /** The one session that {@code idOrName} designates, or a failure saying why there is not exactly one. */
    private Mono<State> oneSession(String idOrName) {
        return service.daemon().list(SessionSelection.of(idOrName), 0)
                .onErrorMap(DaemonOperationException.class, RestRoutes::notFound)
                .map(r -> {
                    if (r.getSessionStatesCount() == 1) {
                        return r.getSessionStates(0);
                    }
                    if (r.getSessionStatesCount() == 0) {
                        // The daemon says so itself for specifications; kept for safety.
                        throw new ProtocolException(ErrorCode.DAEMON_ERROR, "unable to locate requested sessions: "
                                + "specification \"" + idOrName + "\" did not match any sessions", 404);
                    }
                    List<String> ids = new ArrayList<>();
                    r.getSessionStatesList().forEach(s -> ids.add(s.getSession().getIdentifier()));
                    throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"" + idOrName + "\" matches "
                            + ids.size() + " sessions (" + String.join(", ", ids)
                            + "); use one of their identifiers", 409);
                });
    }

    /** "unable to locate requested sessions" becomes 404 (same code 2001 and text); other failures stay. */
    private static Throwable notFound(DaemonOperationException e) {
        return e.daemonMessage().startsWith("unable to locate requested sessions")
                ? new ProtocolException(ErrorCode.DAEMON_ERROR, e.daemonMessage(), 404) : e;
    }

    private Publisher<Void> create(HttpServerRequest request, HttpServerResponse response) {
        return answer(request, response, Actions.CREATION, Mono.defer(() -> {
            params(request, NO_PARAMS);
            return HttpBodies.readText(request, options.maxFrameSize()).flatMap(body -> {
                if (body.isBlank()) {
                    throw ProtocolException.invalid("body: missing; POST the creation specification as a JSON"
                            + " object, e.g. {\"alpha\":{\"path\":\"/a\"},\"beta\":{\"path\":\"/b\"}}");
                }
                return service.execute(Actions.CREATION, parse(body), NO_PROMPTS, BODY);
            });
        }));
    }

    private Publisher<Void> operate(HttpServerRequest request, HttpServerResponse response) {
        String operation = request.param("operation");
        if (!OPERATIONS.contains(operation)) {
            return answer(request, response, operation, Mono.error(new ProtocolException(ErrorCode.UNKNOWN_ACTION,
                    "unknown operation \"" + operation + "\"; POST to " + SESSIONS + "/ one of "
                            + String.join(", ", OPERATION_NAMES) + ", or POST a creation specification to "
                            + SESSIONS, 404)));
        }
        return answer(request, response, operation, Mono.defer(() -> {
            Set<String> allowed = operation.equals(Actions.FLUSH) ? FLUSH_PARAMS : SELECTION_PARAMS;
            Map<String, List<String>> params = params(request, allowed);
            ObjectNode query = selectionNode(params, true);
            return HttpBodies.readText(request, options.maxFrameSize()).flatMap(body -> {
                JsonNode data = query;
                if (!body.isBlank()) {
                    if (query.size() > 0) {
                        throw ProtocolException.invalid("give the selection either in the query ("
                                + String.join(", ", sorted(query.fieldNames())) + ") or in the body, not both");
                    }
                    data = parse(body);
                }
                if (params.containsKey("skipWait") && data.isObject()) {
                    if (data.has("skipWait")) {
                        throw ProtocolException.invalid("query.skipWait: given both in the query and in the body; give it once");
                    }
                    ((ObjectNode) data).put("skipWait", bool(params, "skipWait"));
                }
                return service.execute(operation, data, NO_PROMPTS, body.isBlank() ? QUERY : BODY);
            });
        }));
    }

    /** Terminates the one session {@code idOrName} designates (409 when a name matches several). */
    private Publisher<Void> terminateOne(HttpServerRequest request, HttpServerResponse response) {
        String idOrName = request.param("idOrName");
        return answer(request, response, Actions.TERMINATE, Mono.defer(() -> {
            params(request, NO_PARAMS);
            return oneSession(idOrName).flatMap(state -> service.daemon()
                    .terminate(SessionSelection.of(state.getSession().getIdentifier()), NO_PROMPTS)
                    .onErrorMap(DaemonOperationException.class, RestRoutes::notFound))
                    .thenReturn((Object) Map.of());
        }));
    }

    private Publisher<Void> daemonStatus(HttpServerRequest request, HttpServerResponse response) {
        return current().flatMap(a -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("connected", a.isConnected());
            data.put("socket", service.daemon().socket().toString());
            data.put("version", a.version());
            if (!a.isConnected()) {
                data.put("error", a.problem());
            }
            return Mono.from(HttpReplies.json(response, 200, writer.writeValue(data)));
        });
    }

    private Publisher<Void> ready(HttpServerRequest request, HttpServerResponse response) {
        return current().flatMap(a -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("ready", a.isConnected());
            data.put("daemon", a.isConnected() ? a.version().toString() : a.problem());
            return Mono.from(HttpReplies.json(response, a.isConnected() ? 200 : 503, writer.writeValue(data)));
        });
    }

    private Mono<DaemonAvailability> current() {
        return service.daemon().availability().next()
                .timeout(Duration.ofSeconds(5), Mono.fromSupplier(
                        () -> DaemonAvailability.disconnected("the daemon did not answer within 5 s")));
    }

    /** Runs an action and writes its envelope: success 200, failure with the code's HTTP status. */
    private Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response, String action,
            Mono<?> result) {
        long started = System.nanoTime();
        return result
                .map(data -> new Object[] {Reply.success(action, 0, data), 200})
                .switchIfEmpty(Mono.fromSupplier(() -> new Object[] {Reply.success(action, 0, null), 200}))
                .onErrorResume(error -> {
                    Failure failure = Failure.of(error);
                    return Mono.just(new Object[] {Reply.failure(0, failure), failure.httpStatus()});
                })
                .flatMap(pair -> {
                    Reply reply = (Reply) pair[0];
                    if (log.isDebugEnabled()) {
                        log.debug("{} {} {} code={} {} ms", request.method(), request.fullPath(), action, reply.code(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                    return Mono.from(HttpReplies.json(response, (Integer) pair[1], writer.write(reply, true)));
                });
    }

    private static Map<String, List<String>> params(HttpServerRequest request, Set<String> allowed) {
        Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                List<String> known = sorted(allowed.iterator());
                known.remove("token");
                throw ProtocolException.invalid("query." + name + ": unknown query parameter; "
                        + (known.isEmpty() ? request.method().name() + " " + request.fullPath() + " takes none"
                                : "known here: " + String.join(", ", known)));
            }
        }
        return params;
    }

    private static SessionSelection selection(Map<String, List<String>> params) {
        return Selections.read(selectionNode(params, false), QUERY);
    }










    private static Duration timeout(Map<String, List<String>> params, long stateIndex) {
        String value = single(params, "timeout");
        if (value == null) {
            return GatewayOptions.DEFAULT_LONG_POLL_TIMEOUT;
        }
        if (stateIndex == 0) {
            throw ProtocolException.invalid("query.timeout: only meaningful together with stateIndex");
        }
        Duration timeout;
        try {
            timeout = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.invalid("query.timeout: " + e.getMessage());
        }
        if (timeout.isZero() || timeout.compareTo(GatewayOptions.MAX_LONG_POLL_TIMEOUT) > 0) {
            throw ProtocolException.invalid("query.timeout: must be between 1ms and "
                    + GatewayOptions.MAX_LONG_POLL_TIMEOUT.toMinutes() + "m, got " + value);
        }
        return timeout;
    }

    private static JsonNode parse(String body) {
        try {
            return FrameDecoder.parse(body, BODY);
        } catch (ProtocolException e) {
            // FrameDecoder speaks of frames; here it is the request body.
            throw ProtocolException.invalid(e.getMessage().replace("the frame is empty", "the body is empty")
                    .replaceFirst("^not JSON: ", "body: not JSON: "));
        }
    }

    private static List<String> sorted(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    private static Set<String> with(Set<String> base, String... extra) {
        Set<String> all = new HashSet<>(base);
        all.addAll(List.of(extra));
        return Set.copyOf(all);
    }

    /** Plain HTTP cannot carry a question back to the client: prompts fail the request with 2007. */
    private static final Prompter NO_PROMPTS = new Prompter() {
        @Override
        public Mono<Void> message(String text) {
            return Mono.empty();
        }

        @Override
        public Mono<String> prompt(String text) {
            return Mono.error(new PromptException("the daemon asked \"" + Prompter.firstLine(text)
                    + "\", which cannot be answered over plain HTTP; use the WebSocket API at /synchronization"));
        }

        @Override
        public boolean allowsPrompts() {
            // Allowed, so that the daemon forwards the question and the client learns what was asked.
            return true;
        }
    };
}

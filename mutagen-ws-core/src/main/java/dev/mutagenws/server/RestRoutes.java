package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.MutagenDaemon;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
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
    private static final Set<String> SELECTION_PARAMS = Set.of("id", "name", "label", "token");
    private static final Set<String> LIST_PARAMS = Set.of("id", "name", "label", "stateIndex", "timeout", "page",
            "page_size", "token");
    private static final Set<String> OPERATIONS = Set.of(Actions.PAUSE, Actions.RESUME, Actions.FLUSH, Actions.RESET,
            Actions.TERMINATE);

    private final SynchronizationService service;
    private final ReplyWriter writer;
    private final GatewayOptions options;
    private final String version;

    RestRoutes(SynchronizationService service, ReplyWriter writer, GatewayOptions options, String version) {
        this.service = service;
        this.writer = writer;
        this.options = options;
        this.version = version;
    }

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
                .get("/", (req, res) -> HttpReplies.json(res, 200,
                        writer.writeValue(Map.of("service", "mutagen-ws", "version", version))));
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
            MutagenDaemon daemon = service.daemon();
            Mono<ListResponse> states = daemon.list(selection, stateIndex);
            if (stateIndex != 0) {
                // Nothing changed in time: answer with the current (unchanged) state.
                states = states.timeout(timeout, daemon.list(selection, 0));
            }
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

    private Publisher<Void> one(HttpServerRequest request, HttpServerResponse response) {
        String idOrName = request.param("idOrName");
        return answer(request, response, Actions.LIST, Mono.defer(() -> {
            params(request, Set.of("token"));
            return service.daemon().list(SessionSelection.of(idOrName), 0)
                    .onErrorMap(DaemonOperationException.class, e -> notFound(e))
                    .map(r -> {
                        if (r.getSessionStatesCount() != 1) {
                            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"" + idOrName + "\" matches "
                                    + r.getSessionStatesCount() + " sessions; use a session identifier", 409);
                        }
                        return r.getSessionStates(0);
                    });
        }));
    }

    private static Throwable notFound(DaemonOperationException e) {
        return e.daemonMessage().startsWith("unable to locate requested sessions")
                ? new ProtocolException(ErrorCode.DAEMON_ERROR, e.daemonMessage(), 404) : e;
    }

    private Publisher<Void> create(HttpServerRequest request, HttpServerResponse response) {
        return answer(request, response, Actions.CREATION, Mono.defer(() -> {
            params(request, Set.of("token"));
            return HttpBodies.readText(request, options.maxFrameSize()).flatMap(body -> {
                JsonNode data = body.isBlank() ? null : FrameDecoder.parse(body);
                return service.execute(Actions.CREATION, data, NO_PROMPTS);
            });
        }));
    }

    private Publisher<Void> operate(HttpServerRequest request, HttpServerResponse response) {
        String operation = request.param("operation");
        if (!OPERATIONS.contains(operation)) {
            return answer(request, response, operation, Mono.error(new ProtocolException(ErrorCode.UNKNOWN_ACTION,
                    "unknown operation \"" + operation + "\"; POST one of " + String.join(", ", OPERATIONS)
                            + ", or POST the creation specification to " + SESSIONS, 404)));
        }
        return answer(request, response, operation, Mono.defer(() -> {
            Set<String> allowed = operation.equals(Actions.FLUSH) ? with(SELECTION_PARAMS, "skipWait") : SELECTION_PARAMS;
            Map<String, List<String>> params = params(request, allowed);
            return HttpBodies.readText(request, options.maxFrameSize()).flatMap(body -> {
                ObjectNode data = selectionNode(params);
                if (!body.isBlank()) {
                    if (data.size() > 0) {
                        throw ProtocolException.invalid("give the selection either in the query or in the body, not both");
                    }
                    JsonNode parsed = FrameDecoder.parse(body);
                    if (!parsed.isObject()) {
                        throw ProtocolException.invalid("body: expected a selection object");
                    }
                    data = (ObjectNode) parsed;
                }
                if (params.containsKey("skipWait")) {
                    data.put("skipWait", bool(params, "skipWait"));
                }
                return service.execute(operation, data, NO_PROMPTS);
            });
        }));
    }

    private Publisher<Void> terminateOne(HttpServerRequest request, HttpServerResponse response) {
        String idOrName = request.param("idOrName");
        return answer(request, response, Actions.TERMINATE, Mono.defer(() -> {
            params(request, Set.of("token"));
            return service.daemon().terminate(SessionSelection.of(idOrName), NO_PROMPTS)
                    .onErrorMap(DaemonOperationException.class, RestRoutes::notFound)
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
                .onErrorResume(error -> {
                    Failure failure = Failure.of(error);
                    return Mono.just(new Object[] {Reply.failure(0, failure), failure.httpStatus()});
                })
                .flatMap(pair -> {
                    Reply reply = (Reply) pair[0];
                    if (log.isDebugEnabled()) {
                        log.debug("{} {} {} code={} {} ms", request.method(), request.path(), action, reply.code(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                    return Mono.from(HttpReplies.json(response, (Integer) pair[1], writer.write(reply, true)));
                });
    }

    private static Map<String, List<String>> params(HttpServerRequest request, Set<String> allowed) {
        Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw ProtocolException.invalid("unknown query parameter \"" + name + "\"");
            }
        }
        return params;
    }

    private static SessionSelection selection(Map<String, List<String>> params) {
        return Selections.read(selectionNode(params), "query");
    }

    private static ObjectNode selectionNode(Map<String, List<String>> params) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (String name : List.of("id", "name", "label")) {
            List<String> values = params.get(name);
            if (values == null) {
                continue;
            }
            if (values.size() > 1 && name.equals("label")) {
                throw ProtocolException.invalid("query.label: give one label selector (join requirements with commas)");
            }
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                values.forEach(node.withArray(name + "s")::add);
            }
        }
        return node;
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw ProtocolException.invalid("query." + name + ": given " + values.size() + " times");
        }
        return values.get(0);
    }

    private static long unsigned(Map<String, List<String>> params, String name) {
        String value = single(params, name);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid("query." + name + ": expected a non-negative integer, got \"" + value + "\"");
        }
    }

    private static long bounded(Map<String, List<String>> params, String name, long min, long max, long fallback) {
        String value = single(params, name);
        if (value == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid("query." + name + ": expected an integer, got \"" + value + "\"");
        }
        if (n < min || n > max) {
            throw ProtocolException.invalid("query." + name + ": must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static boolean bool(Map<String, List<String>> params, String name) {
        String value = single(params, name);
        if ("true".equals(value) || "1".equals(value)) {
            return true;
        }
        if ("false".equals(value) || "0".equals(value)) {
            return false;
        }
        throw ProtocolException.invalid("query." + name + ": expected true or false, got \"" + value + "\"");
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

    private static Set<String> with(Set<String> base, String extra) {
        java.util.HashSet<String> all = new java.util.HashSet<>(base);
        all.add(extra);
        return all;
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

package dev.mutagenws.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.actions.ActionData;
import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.actions.ActionRequest;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.Durations;
import dev.mutagenws.internal.protocol.FrameDecoder;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.prompting.PromptException;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.server.GatewayOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The REST adapter of the session actions: the reference server's {@code GET /api/synchronization/sessions}
 * plus actions and single sessions. Each route reads its query and body into an {@link ActionRequest}, runs it
 * through the {@link ActionExecutor}, and answers the envelope the WebSocket would, with the HTTP status of its
 * outcome (docs/protocol.md, HTTP).
 */
public final class RestRoutes {
    public static final String SESSIONS = "/api/synchronization/sessions";
    /** Where bad input is said to be when it is in the JSON body. */
    private static final String BODY = "body";
    private static final Set<String> SELECTION_PARAMS = Set.of("id", "name", "label", "all");
    private static final Set<String> FLUSH_PARAMS = with(SELECTION_PARAMS, "skipWait");
    private static final Set<String> LIST_PARAMS = with(SELECTION_PARAMS, "stateIndex", "timeout", "page",
            "page_size");
    private static final List<String> OPERATION_NAMES = List.of(Actions.PAUSE, Actions.RESUME, Actions.FLUSH,
            Actions.RESET, Actions.TERMINATE);
    private static final Set<String> OPERATIONS = Set.copyOf(OPERATION_NAMES);

    private final ActionExecutor actions;
    private final HttpReplies replies;
    private final GatewayOptions options;

    public RestRoutes(ActionExecutor actions, HttpReplies replies, GatewayOptions options) {
        this.actions = actions;
        this.replies = replies;
        this.options = options;
    }

    public void register(HttpServerRoutes routes) {
        routes.get(SESSIONS, this::list)
                .get(SESSIONS + "/{idOrName}", this::one)
                .post(SESSIONS, this::create)
                .post(SESSIONS + "/{operation}", this::operate)
                .delete(SESSIONS + "/{idOrName}", this::terminateOne);
    }

    private Publisher<Void> list(HttpServerRequest request, HttpServerResponse response) {
        return replies.answer(request, response, Actions.LIST, Mono.defer(() -> {
            QueryParameters query = QueryParameters.read(request, LIST_PARAMS);
            SessionSelection selection = query.selection();
            long stateIndex = query.unsigned("stateIndex");
            Duration timeout = timeout(query, stateIndex);
            int page = (int) query.bounded("page", 1, Integer.MAX_VALUE, 0);
            int pageSize = (int) query.bounded("page_size", 1, 10_000, 0);
            if (query.has("page") != query.has("page_size")) {
                // A page without a size (or the reverse) is almost surely a mistake.
                throw ProtocolException.invalid("query.page and query.page_size go together");
            }
            return actions.execute(new ActionRequest.ListSessions(selection, stateIndex, timeout), NO_PROMPTS)
                    .map(r -> page == 0 ? r : paged(r, page, pageSize));
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

    /** How long a long-poll waits before answering the unchanged state: {@code ?timeout=}, or the default. */
    private Duration timeout(QueryParameters query, long stateIndex) {
        String value = query.single("timeout");
        if (value == null) {
            return options.longPollTimeout();
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
        if (timeout.isZero() || timeout.compareTo(options.maxLongPollTimeout()) > 0) {
            throw ProtocolException.invalid("query.timeout: must be between 1ms and "
                    + Durations.format(options.maxLongPollTimeout()) + ", got " + value);
        }
        return timeout;
    }

    /** One session by identifier or name: its State, 404 when none matches, 409 when a name matches several. */
    private Publisher<Void> one(HttpServerRequest request, HttpServerResponse response) {
        String idOrName = request.param("idOrName");
        return replies.answer(request, response, Actions.LIST, Mono.defer(() -> {
            QueryParameters.read(request, Set.of());
            return actions.execute(new ActionRequest.GetSession(idOrName), NO_PROMPTS);
        }));
    }

    private Publisher<Void> create(HttpServerRequest request, HttpServerResponse response) {
        return replies.answer(request, response, Actions.CREATION, Mono.defer(() -> {
            QueryParameters.read(request, Set.of());
            return HttpBodies.readText(request, options.maxFrameSize()).flatMap(body -> {
                if (body.isBlank()) {
                    throw ProtocolException.invalid("body: missing; POST the creation specification as a JSON"
                            + " object, e.g. {\"alpha\":{\"path\":\"/a\"},\"beta\":{\"path\":\"/b\"}}");
                }
                return actions.execute(ActionData.parse(Actions.CREATION, parse(body), BODY), NO_PROMPTS);
            });
        }));
    }

    private Publisher<Void> operate(HttpServerRequest request, HttpServerResponse response) {
        String operation = request.param("operation");
        if (!OPERATIONS.contains(operation)) {
            return replies.answer(request, response, operation, Mono.error(new ProtocolException(Outcome.NO_ROUTE,
                    "unknown operation \"" + operation + "\"; POST to " + SESSIONS + "/ one of "
                            + String.join(", ", OPERATION_NAMES) + ", or POST a creation specification to "
                            + SESSIONS)));
        }
        return replies.answer(request, response, operation, Mono.defer(() -> {
            QueryParameters query = QueryParameters.read(request,
                    operation.equals(Actions.FLUSH) ? FLUSH_PARAMS : SELECTION_PARAMS);
            ObjectNode selection = query.selectionNode(true);
            return HttpBodies.readText(request, options.maxFrameSize()).flatMap(body -> {
                JsonNode data = selection;
                if (!body.isBlank()) {
                    if (selection.size() > 0) {
                        throw ProtocolException.invalid("give the selection either in the query ("
                                + String.join(", ", sorted(selection.fieldNames())) + ") or in the body, not both");
                    }
                    data = parse(body);
                }
                if (query.has("skipWait") && data.isObject()) {
                    if (data.has("skipWait")) {
                        throw ProtocolException.invalid(
                                "query.skipWait: given both in the query and in the body; give it once");
                    }
                    ((ObjectNode) data).put("skipWait", query.bool("skipWait"));
                }
                return actions.execute(ActionData.parse(operation, data,
                        body.isBlank() ? QueryParameters.WHERE : BODY), NO_PROMPTS);
            });
        }));
    }

    /** Terminates the one session {@code idOrName} designates (409 when a name matches several). */
    private Publisher<Void> terminateOne(HttpServerRequest request, HttpServerResponse response) {
        String idOrName = request.param("idOrName");
        return replies.answer(request, response, Actions.TERMINATE, Mono.defer(() -> {
            QueryParameters.read(request, Set.of());
            return actions.execute(new ActionRequest.TerminateSession(idOrName), NO_PROMPTS);
        }));
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

    private static List<String> sorted(Iterator<String> names) {
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

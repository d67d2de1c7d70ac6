package dev.mutagenws.internal.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.actions.ResumePoint;
import dev.mutagenws.internal.actions.Selections;
import dev.mutagenws.internal.protocol.ProtocolException;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The query parameters of one HTTP request, read the same way on every route (REST and the event streams):
 * names a route does not take are refused, and every error names the parameter ({@code query.x: ...}).
 */
final class QueryParameters {
    /** Where bad input is said to be. */
    static final String WHERE = "query";
    /** The authentication's (docs/protocol.md, Security): accepted on every route. */
    private static final String TOKEN = "token";

    private final Map<String, List<String>> params;

    private QueryParameters(Map<String, List<String>> params) {
        this.params = params;
    }

    /**
     * The request's parameters, refusing any the route does not take (besides {@code token}) with a
     * message that lists those it does.
     */
    static QueryParameters read(HttpServerRequest request, Set<String> allowed) {
        Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
        for (String name : params.keySet()) {
            if (!name.equals(TOKEN) && !allowed.contains(name)) {
                List<String> known = new ArrayList<>(allowed);
                known.sort(null);
                throw ProtocolException.invalid(WHERE + "." + name + ": unknown query parameter; "
                        + (known.isEmpty() ? request.method().name() + " " + request.fullPath() + " takes none"
                                : "known here: " + String.join(", ", known)));
            }
        }
        return new QueryParameters(params);
    }

    boolean has(String name) {
        return params.containsKey(name);
    }

    /** The selection of the query, where an empty value is allowed (reading). */
    SessionSelection selection() {
        return Selections.read(selectionNode(false), WHERE);
    }

    /**
     * The selection object of the query: {@code id}, {@code name} (repeatable), {@code label}, {@code all}.
     * With {@code strict} (state-changing requests) an empty value is refused: the reference
     * server read {@code ?name=} as "no name", which selects every session.
     */
    ObjectNode selectionNode(boolean strict) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (has("all")) {
            node.put("all", bool("all"));
        }
        for (String name : List.of("id", "name", "label")) {
            List<String> values = params.get(name);
            if (values == null) {
                continue;
            }
            if (strict && values.stream().anyMatch(String::isEmpty)) {
                throw ProtocolException.invalid(WHERE + "." + name + ": empty; leave it out, or select every session"
                        + " with all=true");
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

    /** The value of a parameter given at most once, or null when absent. */
    String single(String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw ProtocolException.invalid(WHERE + "." + name + ": given " + values.size() + " times");
        }
        return values.get(0);
    }

    /** A uint64 parameter (a state index), 0 when absent. */
    long unsigned(String name) {
        return ResumePoint.index(single(name), WHERE + "." + name);
    }

    /** An integer within {@code min} and {@code max}, {@code fallback} when absent. */
    long bounded(String name, long min, long max, long fallback) {
        String value = single(name);
        if (value == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid(WHERE + "." + name + ": expected an integer, got \"" + value + "\"");
        }
        if (n < min || n > max) {
            throw ProtocolException.invalid(WHERE + "." + name + ": must be between " + min + " and " + max + ", got "
                    + n);
        }
        return n;
    }

    /**
     * {@code true}/{@code 1} or {@code false}/{@code 0}; false when absent. An empty value is refused: on
     * {@code ?all=} guessing "true" could select every session.
     */
    boolean bool(String name) {
        String value = single(name);
        if (value == null || "false".equals(value) || "0".equals(value)) {
            return false;
        }
        if ("true".equals(value) || "1".equals(value)) {
            return true;
        }
        throw ProtocolException.invalid(WHERE + "." + name + ": expected true or false, got \"" + value + "\"");
    }
}

package dev.mutagenws.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.protocol.ProtocolException;
import java.util.List;
import java.util.Map;

/** Reading query parameters of the HTTP routes, with errors that name the parameter ({@code query.x: ...}). */
final class QueryParameters {
    private QueryParameters() {
    }

    /**
     * The selection object of the query: {@code id}, {@code name} (repeatable), {@code label}, {@code all}.
     * With {@code strict} (state-changing requests) an empty value is refused: the reference
     * server read {@code ?name=} as "no name", which selects every session.
     */
    static ObjectNode selectionNode(Map<String, List<String>> params, boolean strict) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (params.containsKey("all")) {
            node.put("all", bool(params, "all"));
        }
        for (String name : List.of("id", "name", "label")) {
            List<String> values = params.get(name);
            if (values == null) {
                continue;
            }
            if (strict && values.stream().anyMatch(String::isEmpty)) {
                throw ProtocolException.invalid("query." + name + ": empty; leave it out, or select every session"
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

    static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw ProtocolException.invalid("query." + name + ": given " + values.size() + " times");
        }
        return values.get(0);
    }

    /** A uint64 parameter (e.g. a state index), 0 when absent. */
    static long unsigned(Map<String, List<String>> params, String name) {
        return unsignedValue(single(params, name), "query." + name);
    }

    /** A uint64 from a parameter or header value, 0 when null; {@code where} names it in the error. */
    static long unsignedValue(String value, String where) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid(where + ": expected a non-negative integer, got \"" + value + "\"");
        }
    }

    static long bounded(Map<String, List<String>> params, String name, long min, long max, long fallback) {
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

    static boolean bool(Map<String, List<String>> params, String name) {
        String value = single(params, name);
        if ("true".equals(value) || "1".equals(value)) {
            return true;
        }
        if ("false".equals(value) || "0".equals(value)) {
            return false;
        }
        throw ProtocolException.invalid("query." + name + ": expected true or false, got \"" + value + "\"");
    }
}

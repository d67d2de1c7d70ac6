package dev.mutagenws.internal.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.internal.protocol.JsonTypes;
import dev.mutagenws.internal.protocol.ProtocolException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict reader of a small JSON object in a request ({@code data} of an action, query
 * parameters): only the allowed fields, each of the right type, with the path in every error.
 */
final class JsonFields {
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** Reads {@code node} (null = no fields) allowing only {@code allowed} field names. */
    static JsonFields of(JsonNode node, String path, Set<String> allowed) {
        if (node == null || node.isNull()) {
            return new JsonFields(null, path);
        }
        if (!node.isObject()) {
            throw ProtocolException.invalid(path + ": expected an object, got " + JsonTypes.describe(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ProtocolException.invalid(path + "." + name + ": unknown field"
                        + (allowed.isEmpty() ? " (this action takes no data)" : ""));
            }
        }
        return new JsonFields(node, path);
    }

    private JsonNode get(String name) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** Whether the key is there at all, even with a null, false or empty value. */
    boolean present(String name) {
        return node != null && node.has(name);
    }

    /** The string, or "" when absent. */
    String string(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return "";
        }
        if (!value.isTextual()) {
            throw ProtocolException.invalid(path + "." + name + ": expected a string, got " + JsonTypes.describe(value));
        }
        return value.textValue();
    }

    boolean bool(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ProtocolException.invalid(path + "." + name + ": expected true or false, got "
                    + JsonTypes.describe(value));
        }
        return value.booleanValue();
    }

    /** A uint64 (as its two's-complement long), or 0 when absent. */
    long unsignedLong(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw ProtocolException.invalid(path + "." + name + ": expected a non-negative integer, got "
                    + JsonTypes.describe(value));
        }
        BigInteger number = value.bigIntegerValue();
        if (number.signum() < 0 || number.compareTo(MAX_UINT64) > 0) {
            throw ProtocolException.invalid(path + "." + name + ": out of range (0 to " + MAX_UINT64 + "), got "
                    + number);
        }
        return number.longValue();
    }

    /** An array of strings, or an empty list when absent. */
    List<String> strings(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ProtocolException.invalid(path + "." + name + ": expected an array of strings, got "
                    + JsonTypes.describe(value));
        }
        List<String> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual()) {
                throw ProtocolException.invalid(path + "." + name + "[" + i + "]: expected a string, got "
                        + JsonTypes.describe(element));
            }
            result.add(element.textValue());
        }
        return result;
    }
}

package dev.mutagenws.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** Short descriptions of JSON values for error messages. */
public final class JsonTypes {
    private JsonTypes() {
    }

    /** E.g. {@code "x"}, {@code 5}, {@code an array}, {@code an object}; long values are cut. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}

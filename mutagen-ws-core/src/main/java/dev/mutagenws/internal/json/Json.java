package dev.mutagenws.internal.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Small helpers for decode error texts. */
final class Json {
    /** Long string values are cut in error messages: they are echoed to the client. */
    private static final int MAX_SHOWN = 40;

    private Json() {
    }

    /** The offending value as the client would recognise it: {@code "x"}, {@code 1.5}, {@code an array}. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> {
                String s = node.textValue();
                boolean cut = s.length() > MAX_SHOWN;
                if (cut) {
                    int end = MAX_SHOWN;
                    if (Character.isHighSurrogate(s.charAt(end - 1))) {
                        end--;
                    }
                    s = s.substring(0, end);
                }
                yield '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + (cut ? "...\"" : "\"");
            }
            case NUMBER, BOOLEAN -> node.asText();
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
        };
    }

    /** {@code parent.name}, or {@code parent["odd name"]} when the name would be ambiguous in a path. */
    static String child(String parent, String name) {
        if (isPlain(name)) {
            return parent + '.' + name;
        }
        return parent + "[\"" + new String(JsonStringEncoder.getInstance().quoteAsString(name)) + "\"]";
    }

    static String index(String parent, int i) {
        return parent + '[' + i + ']';
    }

    private static boolean isPlain(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

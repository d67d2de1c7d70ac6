package dev.mutagenws.internal.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Where a frame (or a request body) becomes a {@link Request}. Strict: anything but a JSON object
 * with a string {@code action}, an optional integer {@code id} and an optional {@code data} is
 * refused with a message that says what is wrong. Keys are matched case-insensitively, as the
 * reference server's Go decoder did ({@code "Action"} works).
 */
public final class FrameDecoder {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private FrameDecoder() {
    }

    /** Parses JSON text into a tree; fails with 2003 and the parser's reason. */
    public static JsonNode parse(String text) {
        return parse(text, "");
    }

    /**
     * As {@link #parse(String)}; {@code root} is what paths in errors start from ("" for a frame, whose
     * keys are {@code action} and {@code data}; {@code body} for a REST body).
     */
    public static JsonNode parse(String text, String root) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ProtocolException.invalid("not JSON: the frame is empty");
            }
            return node;
        } catch (JsonParseException e) {
            ProtocolException duplicate = duplicate(e, root);
            if (duplicate != null) {
                throw duplicate;
            }
            // Jackson quotes the offending input; a malformed answer frame could hold a password, so say where only.
            throw ProtocolException.invalid("not JSON: syntax error" + location(e));
        } catch (JsonProcessingException e) {
            throw ProtocolException.invalid("not JSON: " + e.getClass().getSimpleName());
        }
    }

    /** Decodes a whole frame. */
    public static Request decode(String text) {
        return decode(parse(text));
    }

    /** Decodes a parsed frame. On failure the exception carries the id when it could be read. */
    public static Request decode(JsonNode node) {
        if (!node.isObject()) {
            throw ProtocolException.invalid("a request must be a JSON object with an \"action\", got "
                    + JsonTypes.describe(node));
        }
        JsonNode action = null;
        JsonNode id = null;
        JsonNode data = null;
        Map<String, String> spelled = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey().toLowerCase(Locale.ROOT);
            String earlier = spelled.putIfAbsent(key, field.getKey());
            if (earlier != null) {
                // "action" and "Action" are one key to a case-insensitive reader (as Go's was): refuse to pick one.
                throw new RequestException(idOrZero(id), ProtocolException.invalid(quote(earlier) + " and "
                        + quote(field.getKey()) + ": the same field twice (keys are matched ignoring case)"));
            }
            switch (key) {
                case "action":
                    action = field.getValue();
                    break;
                case "id":
                    id = field.getValue();
                    break;
                case "data":
                    data = field.getValue();
                    break;
                default:
                    throw new RequestException(idOrZero(id), ProtocolException.invalid(
                            field.getKey() + ": unknown field (a request has \"action\", \"id\" and \"data\")"));
            }
        }
        long requestId;
        try {
            requestId = readId(id);
        } catch (ProtocolException e) {
            throw new RequestException(0, e);
        }
        if (action == null || action.isNull()) {
            throw new RequestException(requestId, ProtocolException.invalid("action: missing"));
        }
        if (!action.isTextual()) {
            throw new RequestException(requestId, ProtocolException.invalid(
                    "action: expected a string, got " + JsonTypes.describe(action)));
        }
        return new Request(action.textValue(), requestId, data);
    }

    private static long idOrZero(JsonNode id) {
        try {
            return readId(id);
        } catch (ProtocolException e) {
            return 0;
        }
    }

    private static long readId(JsonNode id) {
        if (id == null || id.isNull()) {
            return 0;
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
            throw ProtocolException.invalid("id: expected an integer, got " + JsonTypes.describe(id));
        }
        return id.longValue();
    }

    /**
     * Jackson's duplicate-key error as a path ({@code data.alpha: duplicate field "path"}), or null when
     * {@code e} is another syntax error. Go kept the last of two equal keys; we refuse to guess.
     */
    private static ProtocolException duplicate(JsonParseException e, String root) {
        if (e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field")
                || !(e.getProcessor() instanceof JsonParser)) {
            return null;
        }
        JsonStreamContext context = ((JsonParser) e.getProcessor()).getParsingContext();
        if (context == null || !context.inObject() || context.getCurrentName() == null) {
            return null;
        }
        Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            chain.addFirst(c);
        }
        StringBuilder path = new StringBuilder(root);
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path.append('[').append(c.getCurrentIndex()).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
            }
        }
        return ProtocolException.invalid((path.length() == 0 ? "" : path + ": ") + "duplicate field "
                + quote(context.getCurrentName()));
    }

    private static String quote(String name) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(name)) + '"';
    }

    private static String location(JsonParseException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** A decoding failure that knows which request id to answer. */
    public static final class RequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long id;

        RequestException(long id, ProtocolException cause) {
            super(cause.getMessage(), cause, false, false);
            this.id = id;
        }

        public long id() {
            return id;
        }

        @Override
        public synchronized ProtocolException getCause() {
            return (ProtocolException) super.getCause();
        }
    }
}

package dev.mutagenws.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JSON trees into message builders by their plans, strictly: unknown fields, wrong types,
 * out-of-range numbers and doubly given aliases fail with the JSON path of the offending value.
 */
final class ProtoJsonReader {
    private final Plans plans;

    ProtoJsonReader(Plans plans) {
        this.plans = plans;
    }

    /** Decodes {@code node} into {@code b}'s type; {@code path} names the node in error messages. */
    Message read(JsonNode node, Message.Builder b, String path) throws JsonDecodeException {
        return readMessage(node, plans.plan(b.getDescriptorForType()), b, path);
    }

    private Message readMessage(JsonNode node, MessagePlan p, Message.Builder b, String path)
            throws JsonDecodeException {
        if (node == null || !node.isObject()) {
            throw new JsonDecodeException(path, "expected an object, got " + Json.describe(node));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            FieldPlan f = p.byName.get(name);
            if (f == null) {
                throw new JsonDecodeException(Json.child(path, name), "unknown field");
            }
            JsonNode value = e.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!p.aliases.isEmpty()) {
                String canonical = p.aliases.get(name);
                if (canonical != null) {
                    JsonNode other = node.get(canonical);
                    if (other != null && !other.isNull()) {
                        throw new JsonDecodeException(Json.child(path, name),
                                "is an alias of " + canonical + "; give only one of them");
                    }
                }
            }
            readField(value, f, b, Json.child(path, name));
        }
        return b.build();
    }

    private void readField(JsonNode value, FieldPlan f, Message.Builder b, String path) throws JsonDecodeException {
        switch (f.shape) {
            case SINGULAR -> b.setField(f.field, readValue(value, f, path, b, f.field));
            case REPEATED -> {
                if (!value.isArray()) {
                    throw new JsonDecodeException(path, "expected an array, got " + Json.describe(value));
                }
                for (int i = 0, n = value.size(); i < n; i++) {
                    b.addRepeatedField(f.field, readValue(value.get(i), f, Json.index(path, i), b, f.field));
                }
            }
            case MAP -> {
                if (!value.isObject()) {
                    throw new JsonDecodeException(path, "expected an object, got " + Json.describe(value));
                }
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    String entryPath = Json.child(path, e.getKey());
                    Message.Builder entry = b.newBuilderForField(f.field);
                    entry.setField(f.mapKey, readKey(e.getKey(), f, entryPath));
                    entry.setField(f.mapValue, readValue(e.getValue(), f, entryPath, entry, f.mapValue));
                    b.addRepeatedField(f.field, entry.build());
                }
            }
        }
    }

    /** One value of kind {@code f.kind}; {@code owner.newBuilderForField(ownerField)} makes message values. */
    private Object readValue(JsonNode n, FieldPlan f, String path, Message.Builder owner, FieldDescriptor ownerField)
            throws JsonDecodeException {
        switch (f.kind) {
            case INT32, UINT32 -> {
                return (int) readInteger(n, f, path);
            }
            case INT64, UINT64 -> {
                return readInteger(n, f, path);
            }
            case FLOAT -> {
                return (float) readFloating(n, path);
            }
            case DOUBLE -> {
                return readFloating(n, path);
            }
            case BOOL -> {
                if (!n.isBoolean()) {
                    throw new JsonDecodeException(path, "expected true or false, got " + Json.describe(n));
                }
                return n.booleanValue();
            }
            case STRING -> {
                if (!n.isTextual()) {
                    throw new JsonDecodeException(path, "expected a string, got " + Json.describe(n));
                }
                return n.textValue();
            }
            case BYTES -> {
                if (n.isTextual()) {
                    try {
                        return ByteString.copyFrom(Base64.getDecoder().decode(n.textValue()));
                    } catch (IllegalArgumentException e) {
                        // falls through to the error below
                    }
                }
                throw new JsonDecodeException(path, "expected a standard Base64 string, got " + Json.describe(n));
            }
            case ENUM -> {
                return f.enumCodec.read(n, path);
            }
            case MESSAGE -> {
                Message.Builder child = owner.newBuilderForField(ownerField);
                return readMessage(n, plans.plan(child.getDescriptorForType()), child, path);
            }
        }
        throw new IllegalStateException("unhandled kind " + f.kind);
    }

    private static long readInteger(JsonNode n, FieldPlan f, String path) throws JsonDecodeException {
        if (!n.isNumber()) {
            throw new JsonDecodeException(path, "expected a number, got " + Json.describe(n));
        }
        boolean unsigned64 = f.kind == FieldPlan.ValueKind.UINT64;
        if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                long v = n.longValue();
                if (unsigned64 ? v >= 0 : (v >= f.min && v <= f.max)) {
                    return v;
                }
            } else if (unsigned64) {
                BigInteger big = n.bigIntegerValue();
                if (big.signum() >= 0 && big.bitLength() <= 64) {
                    return big.longValue();
                }
            }
        }
        String range = unsigned64 ? "0 to " + Long.toUnsignedString(f.max) : f.min + " to " + f.max;
        throw new JsonDecodeException(path, "expected an integer from " + range + ", got " + Json.describe(n));
    }

    private static double readFloating(JsonNode n, String path) throws JsonDecodeException {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            switch (n.textValue()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> { }
            }
        }
        throw new JsonDecodeException(path, "expected a number, got " + Json.describe(n));
    }

    private static Object readKey(String key, FieldPlan f, String path) throws JsonDecodeException {
        try {
            return switch (f.mapKeyKind) {
                case STRING -> key;
                case BOOL -> switch (key) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
                case INT32 -> Integer.parseInt(key);
                case UINT32 -> Integer.parseUnsignedInt(key);
                case INT64 -> Long.parseLong(key);
                case UINT64 -> Long.parseUnsignedLong(key);
                default -> throw new IllegalStateException("map key kind " + f.mapKeyKind);
            };
        } catch (NumberFormatException e) {
            throw new JsonDecodeException(path, "invalid map key for " + f.mapKey.getType().name().toLowerCase(Locale.ROOT));
        }
    }
}

package dev.mutagenws.json;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON mapping of daemon protobuf messages (protocol.md section 5): the reference server's
 * Go encoding/json shape with mutagen-ws's deliberate differences, and strict decoding.
 *
 * <p>Plans (field order, names, enum tables) for every message type of the daemon API are computed
 * once when the instance is built and never change, so an instance is immutable and thread-safe.
 * Messages of other types still work, with a plan built per call.
 */
public final class ProtoJson {

    private static final ProtoJson STANDARD = new ProtoJson(List.of(
            dev.mutagenws.proto.service.synchronization.CreationSpecification.getDescriptor().getFile(),
            dev.mutagenws.proto.service.forwarding.CreationSpecification.getDescriptor().getFile(),
            dev.mutagenws.proto.service.daemon.VersionResponse.getDescriptor().getFile(),
            dev.mutagenws.proto.service.prompting.HostRequest.getDescriptor().getFile()));

    private final Map<Descriptor, MessagePlan> plans;
    private final Map<EnumDescriptor, EnumCodec> enums;
    private final JsonFactory factory;

    private ProtoJson(List<FileDescriptor> roots) {
        Set<FileDescriptor> files = new HashSet<>();
        Deque<FileDescriptor> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            FileDescriptor f = todo.pop();
            if (files.add(f)) {
                todo.addAll(f.getDependencies());
            }
        }
        Map<EnumDescriptor, EnumCodec> enumCodecs = new HashMap<>();
        Map<Descriptor, MessagePlan> messagePlans = new HashMap<>();
        for (FileDescriptor f : files) {
            for (EnumDescriptor e : f.getEnumTypes()) {
                enumCodecs.put(e, new EnumCodec(e));
            }
            Deque<Descriptor> types = new ArrayDeque<>(f.getMessageTypes());
            while (!types.isEmpty()) {
                Descriptor d = types.pop();
                types.addAll(d.getNestedTypes());
                for (EnumDescriptor e : d.getEnumTypes()) {
                    enumCodecs.put(e, new EnumCodec(e));
                }
            }
        }
        for (FileDescriptor f : files) {
            Deque<Descriptor> types = new ArrayDeque<>(f.getMessageTypes());
            while (!types.isEmpty()) {
                Descriptor d = types.pop();
                types.addAll(d.getNestedTypes());
                messagePlans.put(d, buildPlan(d, enumCodecs));
            }
        }
        this.enums = Map.copyOf(enumCodecs);
        this.plans = Map.copyOf(messagePlans);
        this.factory = new JsonFactoryBuilder()
                .characterEscapes(GoCharacterEscapes.INSTANCE)
                // Go writes characters outside the BMP as raw UTF-8, not as escaped surrogate pairs.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    /** The mutagen-ws mapping for all message types of the daemon API. */
    public static ProtoJson standard() {
        return STANDARD;
    }

    /**
     * A factory whose generators escape strings like Go (see {@link #write}); use it for the
     * envelopes around messages so the whole frame follows one escaping rule.
     */
    public JsonFactory jsonFactory() {
        return factory;
    }

    /**
     * Writes {@code m} as one JSON object at the generator's current position. Switches the
     * generator to Go-style escaping ({@code <>&} and U+2028/U+2029 escaped) if it is not already,
     * so output stays safe to embed in HTML/JavaScript.
     */
    public void write(MessageOrBuilder m, JsonGenerator g) throws IOException {
        if (g.getCharacterEscapes() != GoCharacterEscapes.INSTANCE) {
            g.setCharacterEscapes(GoCharacterEscapes.INSTANCE);
        }
        writeMessage(m, plan(m.getDescriptorForType()), g);
    }

    public String toJson(MessageOrBuilder m) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(m, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public byte[] toJsonBytes(MessageOrBuilder m) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(m, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a JSON tree into a message of the given type; {@code path} is the name of the root
     * for error messages, e.g. "data". JSON null for a field means the field is absent.
     */
    @SuppressWarnings("unchecked")
    public <T extends Message> T read(JsonNode node, T defaultInstance, String path) throws JsonDecodeException {
        MessagePlan p = plan(defaultInstance.getDescriptorForType());
        return (T) readMessage(node, p, defaultInstance.newBuilderForType(), path);
    }

    // ---------------------------------------------------------------------------------------
    // Plans

    private MessagePlan plan(Descriptor d) {
        MessagePlan p = plans.get(d);
        // Foreign types are planned per call rather than cached: keeps the instance immutable.
        return p != null ? p : buildPlan(d, enums);
    }

    /** For tests: fields of this type that encode through getField rather than bound getters. */
    List<String> fieldsWithoutDirectGetters(Descriptor d) {
        MessagePlan p = plan(d);
        return Arrays.stream(p.fields).filter(f -> p.messageClass == null || !f.direct).map(f -> f.name).toList();
    }

    private static MessagePlan buildPlan(Descriptor d, Map<EnumDescriptor, EnumCodec> enumCodecs) {
        List<FieldDescriptor> declared = d.getFields();
        Class<?> messageClass = Getters.messageClass(d);
        FieldPlan[] fields = new FieldPlan[declared.size()];
        for (int i = 0; i < fields.length; i++) {
            FieldDescriptor f = declared.get(i);
            FieldDescriptor valueField = f.isMapField() ? f.getMessageType().findFieldByNumber(2) : f;
            EnumCodec codec = null;
            if (valueField.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                EnumDescriptor e = valueField.getEnumType();
                codec = enumCodecs.get(e);
                if (codec == null) {
                    codec = new EnumCodec(e);
                }
            }
            fields[i] = new FieldPlan(f, codec, messageClass);
        }
        return new MessagePlan(d, messageClass, fields);
    }

    // ---------------------------------------------------------------------------------------
    // Encoding

    private void writeMessage(MessageOrBuilder m, MessagePlan p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        // Builders and other implementations of the type take the getField path.
        boolean direct = p.messageClass != null && m.getClass() == p.messageClass;
        for (FieldPlan f : p.fields) {
            if (direct && f.direct) {
                writeDirect(m, f, g);
                continue;
            }
            switch (f.shape) {
                case SINGULAR -> writeSingular(m, f, g);
                case REPEATED -> writeRepeated(m, f, g);
                case MAP -> writeMap(m, f, g);
            }
        }
        g.writeEndObject();
    }

    /** Same output as writeSingular/writeRepeated/writeMap, through the bound getters. */
    private void writeDirect(MessageOrBuilder m, FieldPlan f, JsonGenerator g) throws IOException {
        switch (f.shape) {
            case SINGULAR -> {
                switch (f.kind) {
                    case INT32, UINT32, ENUM -> {
                        int v = f.intGetter.applyAsInt(m);
                        if (v != 0 || f.alwaysPresent) {
                            g.writeFieldName(f.key);
                            if (f.kind == FieldPlan.ValueKind.ENUM) {
                                f.enumCodec.write(g, v);
                            } else if (f.kind == FieldPlan.ValueKind.UINT32) {
                                g.writeNumber(Integer.toUnsignedLong(v));
                            } else {
                                g.writeNumber(v);
                            }
                        }
                    }
                    case INT64, UINT64 -> {
                        long v = f.longGetter.applyAsLong(m);
                        if (v != 0 || f.alwaysPresent) {
                            g.writeFieldName(f.key);
                            if (f.kind == FieldPlan.ValueKind.INT64 || v >= 0) {
                                g.writeNumber(v);
                            } else {
                                g.writeNumber(Long.toUnsignedString(v));
                            }
                        }
                    }
                    case BOOL -> {
                        boolean v = f.boolGetter.test(m);
                        if (v || f.alwaysPresent) {
                            g.writeFieldName(f.key);
                            g.writeBoolean(v);
                        }
                    }
                    case STRING -> {
                        String v = (String) f.objectGetter.apply(m);
                        if (!v.isEmpty() || f.alwaysPresent) {
                            g.writeFieldName(f.key);
                            g.writeString(v);
                        }
                    }
                    case MESSAGE -> {
                        if (f.boolGetter.test(m)) {
                            g.writeFieldName(f.key);
                            writeValue(f.objectGetter.apply(m), f, g);
                        }
                    }
                    default -> {
                        Object v = f.objectGetter.apply(m);
                        if (f.alwaysPresent || !isZero(v, f.kind)) {
                            g.writeFieldName(f.key);
                            writeValue(v, f, g);
                        }
                    }
                }
            }
            case REPEATED -> writeList((List<?>) f.objectGetter.apply(m), f, g);
            case MAP -> {
                Map<?, ?> map = (Map<?, ?>) f.objectGetter.apply(m);
                int n = map.size();
                if (n == 0 && !f.alwaysPresent) {
                    return;
                }
                String[] keys = new String[n];
                Object[] values = new Object[n];
                int i = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    keys[i] = keyText(e.getKey(), f.mapKeyKind);
                    values[i] = e.getValue();
                    i++;
                }
                writeSortedMap(keys, values, f, g);
            }
        }
    }

    private void writeSingular(MessageOrBuilder m, FieldPlan f, JsonGenerator g) throws IOException {
        if (f.explicitPresence) {
            if (m.hasField(f.field)) {
                g.writeFieldName(f.key);
                writeValue(m.getField(f.field), f, g);
            }
            return;
        }
        Object v = m.getField(f.field);
        if (f.alwaysPresent || !isZero(v, f.kind)) {
            g.writeFieldName(f.key);
            writeValue(v, f, g);
        }
    }

    private void writeRepeated(MessageOrBuilder m, FieldPlan f, JsonGenerator g) throws IOException {
        writeList((List<?>) m.getField(f.field), f, g);
    }

    private void writeList(List<?> values, FieldPlan f, JsonGenerator g) throws IOException {
        if (values.isEmpty() && !f.alwaysPresent) {
            return;
        }
        g.writeFieldName(f.key);
        g.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            writeValue(values.get(i), f, g);
        }
        g.writeEndArray();
    }

    private void writeMap(MessageOrBuilder m, FieldPlan f, JsonGenerator g) throws IOException {
        List<?> entries = (List<?>) m.getField(f.field);
        int n = entries.size();
        if (n == 0 && !f.alwaysPresent) {
            return;
        }
        String[] keys = new String[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            Message e = (Message) entries.get(i);
            keys[i] = keyText(e.getField(f.mapKey), f.mapKeyKind);
            values[i] = e.getField(f.mapValue);
        }
        writeSortedMap(keys, values, f, g);
    }

    private void writeSortedMap(String[] keys, Object[] values, FieldPlan f, JsonGenerator g) throws IOException {
        int n = keys.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n > 1) {
            Arrays.sort(order, (a, b) -> compareUtf8(keys[a], keys[b]));
        }
        g.writeFieldName(f.key);
        g.writeStartObject();
        for (int i = 0; i < n; i++) {
            int j = order[i];
            g.writeFieldName(keys[j]);
            writeValue(values[j], f, g);
        }
        g.writeEndObject();
    }

    private void writeValue(Object v, FieldPlan f, JsonGenerator g) throws IOException {
        switch (f.kind) {
            case INT32 -> g.writeNumber((Integer) v);
            case UINT32 -> g.writeNumber(Integer.toUnsignedLong((Integer) v));
            case INT64 -> g.writeNumber((Long) v);
            case UINT64 -> {
                long x = (Long) v;
                if (x >= 0) {
                    g.writeNumber(x);
                } else {
                    g.writeNumber(Long.toUnsignedString(x));
                }
            }
            case FLOAT -> g.writeNumber((Float) v);
            case DOUBLE -> g.writeNumber((Double) v);
            case BOOL -> g.writeBoolean((Boolean) v);
            case STRING -> g.writeString((String) v);
            case BYTES -> {
                byte[] b = ((ByteString) v).toByteArray();
                g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, b, 0, b.length);
            }
            case ENUM -> f.enumCodec.write(g, ((EnumValueDescriptor) v).getNumber());
            case MESSAGE -> {
                MessageOrBuilder child = (MessageOrBuilder) v;
                writeMessage(child, plan(child.getDescriptorForType()), g);
            }
        }
    }

    private static boolean isZero(Object v, FieldPlan.ValueKind kind) {
        return switch (kind) {
            case INT32, UINT32 -> (Integer) v == 0;
            case INT64, UINT64 -> (Long) v == 0L;
            // Raw bits: -0.0 is a set value in proto3 and must survive a round trip.
            case FLOAT -> Float.floatToRawIntBits((Float) v) == 0;
            case DOUBLE -> Double.doubleToRawLongBits((Double) v) == 0L;
            case BOOL -> !(Boolean) v;
            case STRING -> ((String) v).isEmpty();
            case BYTES -> ((ByteString) v).isEmpty();
            case ENUM -> ((EnumValueDescriptor) v).getNumber() == 0;
            // Only reached for message fields without presence, which proto3 does not have.
            case MESSAGE -> false;
        };
    }

    private static String keyText(Object key, FieldPlan.ValueKind kind) {
        return switch (kind) {
            case UINT32 -> Integer.toUnsignedString((Integer) key);
            case UINT64 -> Long.toUnsignedString((Long) key);
            default -> key.toString();
        };
    }

    /** Orders like Go's byte-wise comparison of UTF-8 strings, i.e. by code point. */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Integer.compare(codePointRank(x), codePointRank(y));
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Moves surrogates (code points >= U+10000) above U+E000..U+FFFF, keeping everything else in order. */
    private static int codePointRank(char c) {
        if (c < 0xD800) {
            return c;
        }
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    // ---------------------------------------------------------------------------------------
    // Decoding

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
                return readMessage(n, plan(child.getDescriptorForType()), child, path);
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
            throw new JsonDecodeException(path, "invalid map key for " + f.mapKey.getType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}

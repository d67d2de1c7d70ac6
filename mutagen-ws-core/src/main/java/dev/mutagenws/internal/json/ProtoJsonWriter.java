package dev.mutagenws.internal.json;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes messages by their plans in the shape of Go's encoding/json (protocol.md section 5):
 * declaration order, zero values omitted unless always present, map keys sorted like Go.
 *
 * <p>Generated messages of a planned type take the bound-getter fast path; builders and other
 * implementations go through getField with the same output. Immutable, like the plans.
 */
final class ProtoJsonWriter {
    private final Plans plans;

    ProtoJsonWriter(Plans plans) {
        this.plans = plans;
    }

    /** Writes {@code m} as one JSON object at the generator's current position. */
    void write(MessageOrBuilder m, JsonGenerator g) throws IOException {
        writeMessage(m, plans.plan(m.getDescriptorForType()), g);
    }

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
                writeMessage(child, plans.plan(child.getDescriptorForType()), g);
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
}

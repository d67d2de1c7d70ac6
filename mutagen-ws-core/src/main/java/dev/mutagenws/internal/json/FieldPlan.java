package dev.mutagenws.internal.json;

import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/** Everything the codec needs about one field, computed once from its descriptor. */
final class FieldPlan {

    enum Shape { SINGULAR, REPEATED, MAP }

    /** The JSON form of one value (an element of a repeated field, or a map value). */
    enum ValueKind { INT32, UINT32, INT64, UINT64, FLOAT, DOUBLE, BOOL, STRING, BYTES, ENUM, MESSAGE }

    final FieldDescriptor field;
    final String name;
    final SerializedString key;
    final Shape shape;
    final ValueKind kind;
    /** For enum values (also map values), else null. */
    final EnumCodec enumCodec;
    /** For message values (also map values), else null. */
    final Descriptor messageType;
    /** Printed even when zero/empty (protocol.md section 5). */
    final boolean alwaysPresent;
    /** Singular fields whose presence is tracked (messages, proto3 optional, oneof members). */
    final boolean explicitPresence;
    /** Map key/value descriptors, else null. */
    final FieldDescriptor mapKey;
    final FieldDescriptor mapValue;
    final ValueKind mapKeyKind;
    /** Accepted input range of integer values (unsigned ranges as if the long were unsigned for UINT64). */
    final long min;
    final long max;

    /*
     * Direct getters of the generated message class (see Getters); "direct" is true when the
     * ones this field needs are bound. They return what getField would, except that enums come
     * as numbers, so repeated enums and enum-valued maps are never bound.
     */
    final boolean direct;
    final ToIntFunction<Object> intGetter;
    final ToLongFunction<Object> longGetter;
    /** Value of a bool field, or hasFoo of a message field. */
    final Predicate<Object> boolGetter;
    /** String, ByteString or message value; the List of a repeated field; the Map of a map field. */
    final Function<Object, Object> objectGetter;

    FieldPlan(FieldDescriptor field, EnumCodec enumCodec, Class<?> messageClass) {
        this.field = field;
        this.name = field.getName();
        this.key = new SerializedString(name);
        this.alwaysPresent = MappingRules.alwaysPresent(field.getFullName());
        if (field.isMapField()) {
            this.shape = Shape.MAP;
            this.mapKey = field.getMessageType().findFieldByNumber(1);
            this.mapValue = field.getMessageType().findFieldByNumber(2);
            this.mapKeyKind = kindOf(mapKey);
            this.kind = kindOf(mapValue);
            this.messageType = kind == ValueKind.MESSAGE ? mapValue.getMessageType() : null;
        } else {
            this.shape = field.isRepeated() ? Shape.REPEATED : Shape.SINGULAR;
            this.mapKey = null;
            this.mapValue = null;
            this.mapKeyKind = null;
            this.kind = kindOf(field);
            this.messageType = kind == ValueKind.MESSAGE ? field.getMessageType() : null;
        }
        this.enumCodec = kind == ValueKind.ENUM ? enumCodec : null;
        this.explicitPresence = shape == Shape.SINGULAR && field.hasPresence();
        long lo = 0;
        long hi = 0;
        switch (kind) {
            case INT32 -> {
                lo = Integer.MIN_VALUE;
                hi = Integer.MAX_VALUE;
            }
            case UINT32 -> hi = 0xFFFF_FFFFL;
            case INT64 -> {
                lo = Long.MIN_VALUE;
                hi = Long.MAX_VALUE;
            }
            case UINT64 -> hi = -1L;
            default -> { }
        }
        // Timestamp.nanos outside this range is an invalid timestamp for Go's and the daemon's code.
        if (field.getFullName().equals("google.protobuf.Timestamp.nanos")) {
            lo = 0;
            hi = 999_999_999;
        }
        this.min = lo;
        this.max = hi;

        ToIntFunction<Object> ints = null;
        ToLongFunction<Object> longs = null;
        Predicate<Object> bools = null;
        Function<Object, Object> objects = null;
        boolean bound = false;
        String n = Getters.javaName(field);
        Class<?> c = messageClass;
        if (c != null && shape == Shape.MAP && kind != ValueKind.ENUM) {
            objects = Getters.maps(c, "get" + n + "Map");
            bound = objects != null;
        } else if (c != null && shape == Shape.REPEATED && kind != ValueKind.ENUM) {
            objects = Getters.lists(c, "get" + n + "List");
            bound = objects != null;
        } else if (c != null && shape == Shape.SINGULAR) {
            switch (kind) {
                case INT32, UINT32 -> {
                    ints = explicitPresence ? null : Getters.ints(c, "get" + n);
                    bound = ints != null;
                }
                case ENUM -> {
                    ints = explicitPresence ? null : Getters.ints(c, "get" + n + "Value");
                    bound = ints != null;
                }
                case INT64, UINT64 -> {
                    longs = explicitPresence ? null : Getters.longs(c, "get" + n);
                    bound = longs != null;
                }
                case BOOL -> {
                    bools = explicitPresence ? null : Getters.booleans(c, "get" + n);
                    bound = bools != null;
                }
                case STRING -> {
                    objects = explicitPresence ? null : Getters.objects(c, "get" + n, String.class);
                    bound = objects != null;
                }
                case BYTES -> {
                    objects = explicitPresence ? null : Getters.objects(c, "get" + n, ByteString.class);
                    bound = objects != null;
                }
                case MESSAGE -> {
                    bools = Getters.booleans(c, "has" + n);
                    objects = Getters.objects(c, "get" + n, returnTypeOf(c, "get" + n));
                    bound = bools != null && objects != null;
                }
                default -> bound = false;
            }
        }
        this.direct = bound;
        this.intGetter = ints;
        this.longGetter = longs;
        this.boolGetter = bools;
        this.objectGetter = objects;
    }

    private static Class<?> returnTypeOf(Class<?> c, String method) {
        try {
            return c.getMethod(method).getReturnType();
        } catch (NoSuchMethodException e) {
            return Object.class;
        }
    }

    static ValueKind kindOf(FieldDescriptor f) {
        return switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> ValueKind.INT32;
            case UINT32, FIXED32 -> ValueKind.UINT32;
            case INT64, SINT64, SFIXED64 -> ValueKind.INT64;
            case UINT64, FIXED64 -> ValueKind.UINT64;
            case FLOAT -> ValueKind.FLOAT;
            case DOUBLE -> ValueKind.DOUBLE;
            case BOOL -> ValueKind.BOOL;
            case STRING -> ValueKind.STRING;
            case BYTES -> ValueKind.BYTES;
            case ENUM -> ValueKind.ENUM;
            case MESSAGE, GROUP -> ValueKind.MESSAGE;
        };
    }
}

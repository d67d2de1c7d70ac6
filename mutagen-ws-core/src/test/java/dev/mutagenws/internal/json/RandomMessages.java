package dev.mutagenws.internal.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Random;

/**
 * Seeded random protobuf messages for round-trip properties: every field kind, maps, bytes,
 * unsigned values above the signed range, strings from all Unicode planes, defined enum values.
 */
final class RandomMessages {
    /** Characters that stress JSON escaping and UTF-8/UTF-16 handling. */
    private static final int[] SPECIAL = {'<', '>', '&', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', 0, 0x1f, 0x7f,
            0x2028, 0x2029, 0xe9, 0x4e2d, 0xfffd, 0xffff, 0xe000, 0xd7ff, 0x1f600, 0x10ffff, 0x10000};

    private final Random random;

    RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    /** A random message of the given type; nested messages go at most {@code depth} levels deeper. */
    @SuppressWarnings("unchecked")
    <T extends Message> T next(T type, int depth) {
        return (T) fill(type.newBuilderForType(), depth);
    }

    private Message fill(Message.Builder b, int depth) {
        for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
            if (random.nextInt(4) == 0) {
                continue; // leave some fields at their default
            }
            boolean message = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
            if (f.isMapField()) {
                FieldDescriptor key = f.getMessageType().findFieldByNumber(1);
                FieldDescriptor value = f.getMessageType().findFieldByNumber(2);
                boolean messageValues = value.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
                if (messageValues && depth <= 0) {
                    continue;
                }
                for (int i = random.nextInt(4); i > 0; i--) {
                    Message.Builder entry = b.newBuilderForField(f);
                    entry.setField(key, scalar(key));
                    entry.setField(value, messageValues ? fill(entry.newBuilderForField(value), depth - 1) : scalar(value));
                    b.addRepeatedField(f, entry.build());
                }
            } else if (f.isRepeated()) {
                if (message && depth <= 0) {
                    continue;
                }
                for (int i = random.nextInt(4); i > 0; i--) {
                    b.addRepeatedField(f, message ? fill(b.newBuilderForField(f), depth - 1) : scalar(f));
                }
            } else if (message) {
                if (depth > 0) {
                    b.setField(f, fill(b.newBuilderForField(f), depth - 1));
                }
            } else {
                b.setField(f, scalar(f));
            }
        }
        return b.build();
    }

    private Object scalar(FieldDescriptor f) {
        return switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> f.getFullName().equals("google.protobuf.Timestamp.nanos")
                    ? random.nextInt(1_000_000_000) : anyInt();
            case UINT32, FIXED32 -> anyInt();
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> anyLong();
            case FLOAT -> random.nextFloat() * 1000 - 500;
            case DOUBLE -> random.nextDouble() * 1e6 - 5e5;
            case BOOL -> random.nextBoolean();
            case STRING -> string();
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(24)];
                random.nextBytes(bytes);
                yield ByteString.copyFrom(bytes);
            }
            case ENUM -> {
                List<EnumValueDescriptor> values = f.getEnumType().getValues();
                yield values.get(random.nextInt(values.size()));
            }
            case MESSAGE, GROUP -> throw new IllegalArgumentException("not a scalar: " + f);
        };
    }

    private int anyInt() {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000);
            case 2 -> Integer.MAX_VALUE;
            case 3 -> -1 - random.nextInt(1000); // for unsigned fields: just below 2^32
            default -> random.nextInt();
        };
    }

    private long anyLong() {
        return switch (random.nextInt(6)) {
            case 0 -> 0L;
            case 1 -> random.nextInt(100_000);
            case 2 -> Long.MIN_VALUE; // 2^63 when unsigned
            case 3 -> -1L - random.nextInt(1000); // just below 2^64 when unsigned
            case 4 -> Long.MAX_VALUE;
            default -> random.nextLong();
        };
    }

    private String string() {
        int length = random.nextInt(5) == 0 ? 0 : random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0x80 + random.nextInt(0xd800 - 0x80);
                default -> {
                    // Anything but a lone surrogate (not representable in UTF-8, nor on the wire).
                    int c = random.nextInt(0x110000);
                    yield (c >= 0xd800 && c <= 0xdfff) ? 'x' : c;
                }
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }
}

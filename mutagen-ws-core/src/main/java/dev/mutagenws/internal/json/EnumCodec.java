package dev.mutagenws.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Prints and parses one enum type; built once per enum descriptor. */
final class EnumCodec {
    private static final SerializedString UNKNOWN = new SerializedString("unknown");
    /** Dense tables are used up to this number (EntryKind reaches 102). */
    private static final int DENSE_LIMIT = 256;

    private final EnumDescriptor type;
    private final MappingRules.EnumStyle style;
    /** Printed text by number for TEXT enums; null entries print "unknown". */
    private final SerializedString[] textByNumber;
    private final Map<Integer, SerializedString> sparseText;
    /** Input words (never "" nor "unknown") to number. */
    private final Map<String, Integer> numberByWord;
    /** For error messages: what the input may be. */
    private final String expectation;

    EnumCodec(EnumDescriptor type) {
        this.type = type;
        this.style = MappingRules.style(type.getFullName());
        Map<Integer, String> words = MappingRules.words(type.getFullName());

        int max = -1;
        for (int n : words.keySet()) {
            max = Math.max(max, n);
        }
        SerializedString[] dense = null;
        Map<Integer, SerializedString> sparse = new HashMap<>();
        if (style == MappingRules.EnumStyle.TEXT) {
            dense = new SerializedString[Math.min(max, DENSE_LIMIT - 1) + 1];
            for (Map.Entry<Integer, String> e : words.entrySet()) {
                SerializedString s = new SerializedString(e.getValue());
                if (e.getKey() >= 0 && e.getKey() < dense.length) {
                    dense[e.getKey()] = s;
                } else {
                    sparse.put(e.getKey(), s);
                }
            }
        }
        this.textByNumber = dense;
        this.sparseText = Map.copyOf(sparse);

        // Sorted by number so error messages list the words in schema order.
        Map<Integer, String> ordered = new TreeMap<>(words);
        Map<String, Integer> byWord = new HashMap<>();
        StringJoiner listed = new StringJoiner(", ");
        if (style == MappingRules.EnumStyle.VCS_BOOLEAN) {
            listed.add("true").add("false");
        }
        for (Map.Entry<Integer, String> e : ordered.entrySet()) {
            String w = e.getValue();
            // A word is only accepted if this schema defines the value (phantom-directory is v0.18+).
            if (!w.isEmpty() && !w.equals("unknown") && type.findValueByNumber(e.getKey()) != null) {
                byWord.put(w, e.getKey());
                listed.add('"' + w + '"');
            }
        }
        this.numberByWord = Map.copyOf(byWord);
        String numbers = style == MappingRules.EnumStyle.VCS_BOOLEAN ? "0 to 2" : "a defined number";
        this.expectation = listed.length() == 0 ? numbers : "one of " + listed + " or " + numbers;
    }

    EnumDescriptor type() {
        return type;
    }

    void write(JsonGenerator g, int number) throws IOException {
        switch (style) {
            case TEXT -> g.writeString(text(number));
            case NUMBER -> g.writeNumber(number);
            case VCS_BOOLEAN -> {
                // Go failed the whole marshal for other values; a number keeps the frame useful.
                if (number == 1) {
                    g.writeBoolean(true);
                } else if (number == 2) {
                    g.writeBoolean(false);
                } else {
                    g.writeNumber(number);
                }
            }
        }
    }

    private SerializedString text(int number) {
        SerializedString s = null;
        if (number >= 0 && number < textByNumber.length) {
            s = textByNumber[number];
        } else if (!sparseText.isEmpty()) {
            s = sparseText.get(number);
        }
        return s != null ? s : UNKNOWN;
    }

    /** Parses a non-null JSON value to a value this schema defines. */
    EnumValueDescriptor read(JsonNode node, String path) throws JsonDecodeException {
        Integer number = null;
        if (node.isTextual()) {
            number = numberByWord.get(node.textValue());
        } else if (node.isBoolean() && style == MappingRules.EnumStyle.VCS_BOOLEAN) {
            number = node.booleanValue() ? 1 : 2;
        } else if (node.isIntegralNumber() && node.canConvertToInt()) {
            number = node.intValue();
        }
        EnumValueDescriptor v = number == null ? null : type.findValueByNumber(number);
        if (v == null) {
            throw new JsonDecodeException(path, "expected " + expectation + ", got " + Json.describe(node));
        }
        return v;
    }
}

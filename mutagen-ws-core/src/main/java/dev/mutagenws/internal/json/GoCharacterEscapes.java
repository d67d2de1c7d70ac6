package dev.mutagenws.internal.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Go encoding/json's string escaping (as of Go 1.19, what the reference server used):
 * {@code < > &} and U+2028/U+2029 as lowercase {@code \}u escapes so output is safe inside HTML
 * and JavaScript; control characters other than \n \r \t as lowercase {@code \}u00xx.
 */
final class GoCharacterEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    static final GoCharacterEscapes INSTANCE = new GoCharacterEscapes();

    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    private final int[] asciiEscapes;
    private final SerializedString[] asciiSequences = new SerializedString[128];

    private GoCharacterEscapes() {
        int[] table = standardAsciiEscapesForJSON();
        for (int c = 0; c < 0x20; c++) {
            if (c != '\n' && c != '\r' && c != '\t') {
                custom(table, c);
            }
        }
        custom(table, '<');
        custom(table, '>');
        custom(table, '&');
        this.asciiEscapes = table;
    }

    private void custom(int[] table, int c) {
        table[c] = ESCAPE_CUSTOM;
        asciiSequences[c] = new SerializedString(String.format("\\u%04x", c));
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch < 128) {
            return asciiSequences[ch];
        }
        if (ch == 0x2028) {
            return LINE_SEPARATOR;
        }
        if (ch == 0x2029) {
            return PARAGRAPH_SEPARATOR;
        }
        return null;
    }
}

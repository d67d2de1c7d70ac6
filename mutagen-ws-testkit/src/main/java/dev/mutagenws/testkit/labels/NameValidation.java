package dev.mutagenws.testkit.labels;

/** Session name validation as the daemon does it at Create (facts §4.4). */
public final class NameValidation {
    private NameValidation() {
    }

    /**
     * {@code null} when valid (the empty name is valid), else the reason without the
     * {@code "invalid name: "} prefix. Rules in the daemon's order: first rune a Unicode letter;
     * later runes letters, Unicode numbers or {@code -} (index = UTF-8 byte offset, as Go reports
     * it); not a UUID when it contains {@code -}; not {@code defaults}.
     */
    public static String nameError(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        int byteIndex = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (byteIndex == 0) {
                if (!Character.isLetter(cp)) {
                    return "name does not start with Unicode letter";
                }
            } else if (!(Character.isLetter(cp) || isNumber(cp) || cp == '-')) {
                int shown = Character.isSurrogate((char) cp) && cp <= 0xFFFF ? 0xFFFD : cp;
                return "invalid name character at index " + byteIndex + ": '" + Character.toString(shown) + "'";
            }
            byteIndex += GoText.utf8Width(cp);
        }
        if (name.indexOf('-') >= 0 && isUuid(name)) {
            return "name must not be a UUID";
        }
        if (name.equals("defaults")) {
            return "\"defaults\" is disallowed as a name";
        }
        return null;
    }

    // Go unicode.IsNumber: categories Nd, Nl, No.
    private static boolean isNumber(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * google/uuid {@code Parse} acceptance for the only form that can reach this check (the
     * braced and {@code urn:uuid:} forms fail the character rules first, the 32-hex form has no
     * dash): 8-4-4-4-12 hex digits of either case.
     */
    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}

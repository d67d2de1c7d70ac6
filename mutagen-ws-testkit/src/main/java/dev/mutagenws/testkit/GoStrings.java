package dev.mutagenws.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Small pieces of Go's standard library whose exact behaviour decides daemon error texts: {@code path.Clean},
 * {@code strings.TrimSpace} and UTF-8 rune decoding over byte offsets (Go strings are byte sequences).
 */
final class GoStrings {
    private GoStrings() {
    }

    /** Go's {@code path.Clean}: lexical clean-up of a slash-separated path ("" becomes "."). */
    static String cleanPath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        int n = path.length();
        boolean rooted = path.charAt(0) == '/';
        StringBuilder out = new StringBuilder(n);
        int r = 0;
        int dotdot = 0; // where ".." may no longer back up
        if (rooted) {
            out.append('/');
            r = 1;
            dotdot = 1;
        }
        while (r < n) {
            char c = path.charAt(r);
            if (c == '/') {
                r++; // empty element
            } else if (c == '.' && (r + 1 == n || path.charAt(r + 1) == '/')) {
                r++; // "." element
            } else if (c == '.' && path.charAt(r + 1) == '.' && (r + 2 == n || path.charAt(r + 2) == '/')) {
                r += 2; // ".." element: drop the last element written, if any
                if (out.length() > dotdot) {
                    int w = out.length() - 1;
                    while (w > dotdot && out.charAt(w) != '/') {
                        w--;
                    }
                    out.setLength(w);
                } else if (!rooted) {
                    if (out.length() > 0) {
                        out.append('/');
                    }
                    out.append("..");
                    dotdot = out.length();
                }
            } else {
                if (rooted ? out.length() != 1 : out.length() != 0) {
                    out.append('/');
                }
                while (r < n && path.charAt(r) != '/') {
                    out.append(path.charAt(r++));
                }
            }
        }
        return out.length() == 0 ? "." : out.toString();
    }

    /** Go's {@code strings.TrimSpace}: strips Unicode White_Space from both ends. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!isSpace(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    static final int RUNE_ERROR = 0xFFFD;

    /**
     * Go's {@code utf8.DecodeRuneInString(s[i:])} as {rune, width}: {RuneError, 0} at the end, {RuneError, 1} on
     * a malformed sequence.
     */
    static int[] decodeRune(byte[] s, int i) {
        if (i >= s.length) {
            return new int[] {RUNE_ERROR, 0};
        }
        int b0 = s[i] & 0xFF;
        if (b0 < 0x80) {
            return new int[] {b0, 1};
        }
        int need;
        int min;
        int cp;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            min = 0x80;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            min = 0x800;
            cp = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            min = 0x10000;
            cp = b0 & 0x07;
        } else {
            return new int[] {RUNE_ERROR, 1};
        }
        if (i + need >= s.length) {
            return new int[] {RUNE_ERROR, 1};
        }
        for (int k = 1; k <= need; k++) {
            int b = s[i + k] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                return new int[] {RUNE_ERROR, 1};
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return new int[] {RUNE_ERROR, 1};
        }
        return new int[] {cp, need + 1};
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] slice(byte[] s, int from, int to) {
        return Arrays.copyOfRange(s, from, to);
    }
}

package dev.mutagenws.testkit;

import java.util.Set;

/**
 * The vendored moby {@code Pattern.compile}: a pattern becomes a Go regular expression, which must compile.
 * Only character classes can make that expression invalid (the other parts it is built from are fixed), so
 * this checks them the way Go's {@code regexp/syntax} parses classes under Perl flags.
 */
final class MobyRegexp {
    private MobyRegexp() {
    }

    private static final String ESCAPED = ".+()|{}$";

    static boolean compiles(String pattern) {
        String regexp = toRegexp(pattern);
        return regexp == null || classesValid(regexp);
    }

    /** The expression, or null when the pattern is an exact, prefix or suffix match (no expression). */
    static String toRegexp(String pattern) {
        int[] cps = pattern.codePoints().toArray();
        int k = 0;
        if (cps.length > 0 && cps[0] == 0xFEFF) {
            k = 1; // text/scanner skips a leading byte order mark
        }
        StringBuilder re = new StringBuilder("^");
        String type = "exact";
        for (int i = 0; k < cps.length; i++) {
            int ch = cps[k++];
            if (ch == '*') {
                if (k < cps.length && cps[k] == '*') {
                    k++;
                    if (k < cps.length && cps[k] == '/') {
                        k++; // "**/" is "**"
                    }
                    if (k >= cps.length) {
                        if (type.equals("exact")) {
                            type = "prefix";
                        } else {
                            re.append(".*");
                            type = "regexp";
                        }
                    } else {
                        re.append("(.*/)?");
                        type = "regexp";
                    }
                    if (i == 0) {
                        type = "suffix";
                    }
                } else {
                    re.append("[^/]*");
                    type = "regexp";
                }
            } else if (ch == '?') {
                re.append("[^/]");
                type = "regexp";
            } else if (ch < 0x80 && ESCAPED.indexOf(ch) >= 0) {
                re.append('\\').appendCodePoint(ch);
            } else if (ch == '\\') {
                if (k < cps.length) {
                    re.append('\\').appendCodePoint(cps[k++]);
                    type = "regexp";
                } else {
                    re.append('\\');
                }
            } else if (ch == '[' || ch == ']') {
                re.appendCodePoint(ch);
                type = "regexp";
            } else {
                re.appendCodePoint(ch);
            }
        }
        return type.equals("regexp") ? re.append('$').toString() : null;
    }

    private static final Set<String> POSIX_CLASSES = Set.of("alnum", "alpha", "ascii", "blank", "cntrl",
            "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit");

    /** Walks the expression and parses every character class like {@code regexp/syntax.parseClass}. */
    static boolean classesValid(String re) {
        int[] cps = re.codePoints().toArray();
        int i = 0;
        while (i < cps.length) {
            if (cps[i] == '\\') {
                i += 2;
            } else if (cps[i] == '[') {
                i = parseClass(cps, i);
                if (i < 0) {
                    return false;
                }
            } else {
                i++;
            }
        }
        return true;
    }

    /** Index just after the class starting at {@code start}, or -1 where Go reports an error. */
    private static int parseClass(int[] cps, int start) {
        int t = start + 1;
        if (t < cps.length && cps[t] == '^') {
            t++;
        }
        boolean first = true; // ']' is a literal as the first item
        while (t >= cps.length || cps[t] != ']' || first) {
            first = false;
            if (t + 2 < cps.length && cps[t] == '[' && cps[t + 1] == ':') {
                int end = indexOf(cps, t + 2, ':', ']');
                if (end >= 0) {
                    String name = new String(cps, t + 2, end - (t + 2));
                    if (name.startsWith("^")) {
                        name = name.substring(1);
                    }
                    if (!POSIX_CLASSES.contains(name)) {
                        return -1; // invalid character class range
                    }
                    t = end + 2;
                    continue;
                }
            }
            int[] lo = classChar(cps, t);
            if (lo == null) {
                return -1; // missing closing ]
            }
            t = lo[1];
            if (t + 1 < cps.length && cps[t] == '-' && cps[t + 1] != ']') {
                int[] hi = classChar(cps, t + 1);
                if (hi == null) {
                    return -1;
                }
                t = hi[1];
                if (hi[0] < lo[0]) {
                    return -1; // invalid character class range
                }
            }
        }
        return t + 1;
    }

    /** {code point, next index}, or null at the end of the expression. */
    private static int[] classChar(int[] cps, int t) {
        if (t >= cps.length) {
            return null;
        }
        if (cps[t] == '\\') {
            // Only escaped punctuation is ever generated; Go accepts it anywhere.
            return t + 1 < cps.length ? new int[] {cps[t + 1], t + 2} : null;
        }
        return new int[] {cps[t], t + 1};
    }

    private static int indexOf(int[] cps, int from, int a, int b) {
        for (int i = from; i + 1 < cps.length; i++) {
            if (cps[i] == a && cps[i + 1] == b) {
                return i;
            }
        }
        return -1;
    }
}

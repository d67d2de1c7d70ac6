package dev.mutagenws.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.mutagenws.testkit.GoStrings.decodeRune;
import static dev.mutagenws.testkit.GoStrings.utf8;

/**
 * Ignorer construction of Mutagen v0.18.1's local endpoint, for its errors only: Mutagen-style patterns
 * ({@code pkg/synchronization/core/ignore/mutagen/ignore.go}) and Docker-style patterns
 * ({@code pkg/synchronization/core/ignore/docker/ignore.go} over its vendored moby {@code patternmatcher}).
 */
final class IgnorePatterns {
    private IgnorePatterns() {
    }

    private static final String BAD_PATTERN = "syntax error in pattern";

    /** Text after {@code unable to create Mutagen-style ignorer: }, or null when every pattern parses. */
    static String mutagenError(List<String> patterns) {
        for (String pattern : patterns) {
            String e = mutagenPatternError(pattern);
            if (e != null) {
                return "unable to parse pattern: " + e;
            }
        }
        return null;
    }

    private static String mutagenPatternError(String pattern) {
        if (pattern.isEmpty()) {
            return "empty pattern";
        }
        if (pattern.charAt(0) == '!') {
            pattern = pattern.substring(1);
        }
        if (pattern.isEmpty()) {
            return "negated empty pattern";
        }
        // path.Clean, keeping a trailing slash (but "/" has none to keep).
        boolean trailingSlash = pattern.length() > 1 && pattern.endsWith("/");
        pattern = GoStrings.cleanPath(pattern) + (trailingSlash ? "/" : "");
        if (pattern.equals("/")) {
            return "root pattern";
        }
        if (pattern.equals("//")) {
            return "root directory pattern";
        }
        if (pattern.charAt(0) == '/') {
            pattern = pattern.substring(1); // absolute: the slash takes no part in matching
        }
        if (pattern.endsWith("/")) {
            pattern = pattern.substring(0, pattern.length() - 1); // directory-only: likewise
        }
        try {
            Doublestar.match(pattern, "a"); // a non-empty name, or bad patterns go unnoticed
        } catch (Doublestar.BadPattern e) {
            return "unable to validate pattern: " + e.getMessage();
        }
        return null;
    }

    /** Text after {@code unable to create Docker-style ignorer: }, or null when the patterns are accepted. */
    static String dockerError(List<String> patterns) {
        String e = dockerPatternsError(patterns);
        return e == null ? null : "unable to construct pattern matcher: " + e;
    }

    private static String dockerPatternsError(List<String> patterns) {
        // Mutagen's own clean-up of every pattern first (it mirrors .dockerignore loading).
        List<String> cleaned = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern.indexOf('\\') >= 0) {
                return "escape sequences and backslash-separated paths disallowed in portable .dockerignore patterns";
            }
            pattern = GoStrings.trimSpace(pattern);
            if (pattern.isEmpty()) {
                return "whitespace-only pattern";
            }
            boolean negated = pattern.charAt(0) == '!';
            if (negated) {
                pattern = GoStrings.trimSpace(pattern.substring(1));
                if (pattern.isEmpty()) {
                    return "whitespace-only negated pattern";
                }
            }
            pattern = GoStrings.cleanPath(pattern);
            if (pattern.equals("/")) {
                return "root pattern";
            }
            if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                pattern = pattern.substring(1);
            }
            cleaned.add(negated ? "!" + pattern : pattern);
        }
        // patternmatcher.New: each pattern must survive filepath.Match(p, ".").
        List<String> compiled = new ArrayList<>();
        for (String p : cleaned) {
            p = GoStrings.trimSpace(p);
            if (p.isEmpty()) {
                continue;
            }
            p = GoStrings.cleanPath(p);
            if (p.charAt(0) == '!') {
                if (p.length() == 1) {
                    return "illegal exclusion pattern: \"!\"";
                }
                p = p.substring(1);
            }
            if (!PathMatch.valid(p, ".")) {
                return BAD_PATTERN;
            }
            compiled.add(p);
        }
        // PrecompileForMutagen: the regular expression each pattern becomes must compile.
        for (String p : compiled) {
            if (!MobyRegexp.compiles(p)) {
                return BAD_PATTERN;
            }
        }
        return null;
    }

    /** Go's {@code path.Match} (= {@code filepath.Match} on POSIX) as of Go 1.24, for its error result. */
    static final class PathMatch {
        private PathMatch() {
        }

        private static final class Bad extends Exception {
            Bad() {
                super(null, null, false, false);
            }
        }

        /** False when {@code path.Match(pattern, name)} returns ErrBadPattern. */
        static boolean valid(String pattern, String name) {
            try {
                match(utf8(pattern), utf8(name));
                return true;
            } catch (Bad e) {
                return false;
            }
        }

        private static boolean match(byte[] pattern, byte[] name) throws Bad {
            int p = 0;
            int n = 0;
            outer:
            while (p < pattern.length) {
                // scanChunk: a star run, then everything up to the next star outside a class.
                boolean star = false;
                while (p < pattern.length && pattern[p] == '*') {
                    p++;
                    star = true;
                }
                int chunkStart = p;
                boolean inRange = false;
                int i = p;
                scan:
                for (; i < pattern.length; i++) {
                    switch (pattern[i]) {
                        case '\\':
                            if (i + 1 < pattern.length) {
                                i++;
                            }
                            break;
                        case '[':
                            inRange = true;
                            break;
                        case ']':
                            inRange = false;
                            break;
                        case '*':
                            if (!inRange) {
                                break scan;
                            }
                            break;
                        default:
                            break;
                    }
                }
                byte[] chunk = GoStrings.slice(pattern, chunkStart, i);
                p = i;
                if (star && chunk.length == 0) {
                    return indexOf(name, n, (byte) '/') < 0; // trailing '*'
                }
                int t = matchChunk(chunk, name, n);
                if (t >= 0 && (t == name.length || p < pattern.length)) {
                    n = t;
                    continue;
                }
                if (star) {
                    for (int k = n; k < name.length && name[k] != '/'; k++) {
                        int t2 = matchChunk(chunk, name, k + 1);
                        if (t2 >= 0) {
                            if (p == pattern.length && t2 < name.length) {
                                continue;
                            }
                            n = t2;
                            continue outer;
                        }
                    }
                }
                // Before giving up, the rest of the pattern must still be well-formed.
                while (p < pattern.length) {
                    while (p < pattern.length && pattern[p] == '*') {
                        p++;
                    }
                    int start = p;
                    boolean range = false;
                    int j = p;
                    rest:
                    for (; j < pattern.length; j++) {
                        byte b = pattern[j];
                        if (b == '\\') {
                            if (j + 1 < pattern.length) {
                                j++;
                            }
                        } else if (b == '[') {
                            range = true;
                        } else if (b == ']') {
                            range = false;
                        } else if (b == '*' && !range) {
                            break rest;
                        }
                    }
                    matchChunk(GoStrings.slice(pattern, start, j), new byte[0], 0);
                    p = j;
                }
                return false;
            }
            return n == name.length;
        }

        /** matchChunk: the end of the matched prefix of name[from:], or -1; throws on a malformed chunk. */
        private static int matchChunk(byte[] chunk, byte[] s, int from) throws Bad {
            boolean failed = false;
            int c = 0;
            int at = from;
            while (c < chunk.length) {
                if (!failed && at >= s.length) {
                    failed = true;
                }
                switch (chunk[c]) {
                    case '[': {
                        int r = 0;
                        if (!failed) {
                            int[] d = decodeRune(s, at);
                            r = d[0];
                            at += d[1];
                        }
                        c++;
                        boolean negated = false;
                        if (c < chunk.length && chunk[c] == '^') {
                            negated = true;
                            c++;
                        }
                        boolean match = false;
                        int nrange = 0;
                        while (true) {
                            if (c < chunk.length && chunk[c] == ']' && nrange > 0) {
                                c++;
                                break;
                            }
                            int[] lo = getEsc(chunk, c);
                            c = lo[1];
                            int hi = lo[0];
                            if (chunk[c] == '-') {
                                int[] h = getEsc(chunk, c + 1);
                                hi = h[0];
                                c = h[1];
                            }
                            if (lo[0] <= r && r <= hi) {
                                match = true;
                            }
                            nrange++;
                        }
                        if (match == negated) {
                            failed = true;
                        }
                        break;
                    }
                    case '?':
                        if (!failed) {
                            if (s[at] == '/') {
                                failed = true;
                            }
                            at += decodeRune(s, at)[1];
                        }
                        c++;
                        break;
                    default:
                        if (chunk[c] == '\\') {
                            c++;
                            if (c >= chunk.length) {
                                throw new Bad();
                            }
                        }
                        if (!failed) {
                            if (chunk[c] != s[at]) {
                                failed = true;
                            }
                            at++;
                        }
                        c++;
                        break;
                }
            }
            return failed ? -1 : at;
        }

        /** getEsc: {rune, next index}; throws where Go returns ErrBadPattern. */
        private static int[] getEsc(byte[] chunk, int c) throws Bad {
            if (c >= chunk.length || chunk[c] == '-' || chunk[c] == ']') {
                throw new Bad();
            }
            if (chunk[c] == '\\') {
                c++;
                if (c >= chunk.length) {
                    throw new Bad();
                }
            }
            int[] d = decodeRune(chunk, c);
            if (d[0] == GoStrings.RUNE_ERROR && d[1] == 1) {
                throw new Bad();
            }
            c += d[1];
            if (c >= chunk.length) {
                throw new Bad(); // nothing may end right after a class item
            }
            return new int[] {d[0], c};
        }

        private static int indexOf(byte[] s, int from, byte b) {
            for (int i = from; i < s.length; i++) {
                if (s[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * The vendored moby {@code Pattern.compile}: a pattern becomes a Go regular expression, which must compile.
     * Only character classes can make that expression invalid (the other parts it is built from are fixed), so
     * this checks them the way Go's {@code regexp/syntax} parses classes under Perl flags.
     */
    static final class MobyRegexp {
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
}

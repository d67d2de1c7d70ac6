package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.GoStrings.decodeRune;
import static dev.mutagenws.testkit.GoStrings.utf8;

/** Go's {@code path.Match} (= {@code filepath.Match} on POSIX) as of Go 1.24, for its error result. */
final class GoPathMatch {
    private GoPathMatch() {
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

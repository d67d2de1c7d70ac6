package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.GoStrings.concat;
import static dev.mutagenws.testkit.GoStrings.decodeRune;
import static dev.mutagenws.testkit.GoStrings.slice;
import static dev.mutagenws.testkit.GoStrings.utf8;

/**
 * The matcher of {@code github.com/bmatcuk/doublestar/v4} v4.7.1 (the version Mutagen v0.18.1 builds with), with
 * '/' as the separator. Mutagen-style ignores are validated by matching each pattern against {@code "a"}: a
 * malformed pattern only counts as one if the matcher reaches the bad part, or, when the match fails, if the
 * unmatched rest of the pattern is malformed. Works on UTF-8 bytes because all indexes in the original are byte
 * offsets.
 */
final class Doublestar {
    private Doublestar() {
    }

    /** doublestar's {@code ErrBadPattern} (which is {@code path.ErrBadPattern}): "syntax error in pattern". */
    static final class BadPattern extends Exception {
        BadPattern() {
            super("syntax error in pattern", null, false, false);
        }
    }

    private static final int SEPARATOR = '/';

    /** {@code doublestar.Match(pattern, name)}. */
    static boolean match(String pattern, String name) throws BadPattern {
        return match(utf8(pattern), utf8(name), -1, -1, -1, -1, 0, 0);
    }

    private static boolean match(byte[] pattern, byte[] name, int doublestarPatternBacktrack,
            int doublestarNameBacktrack, int starPatternBacktrack, int starNameBacktrack, int patIdx, int nameIdx)
            throws BadPattern {
        int patLen = pattern.length;
        int nameLen = name.length;
        boolean startOfSegment = true;
        match:
        while (nameIdx < nameLen) {
            if (patIdx < patLen) {
                switch (pattern[patIdx]) {
                    case '*': {
                        patIdx++;
                        if (patIdx < patLen && pattern[patIdx] == '*') {
                            // "**" counts as a doublestar only at the start of a segment and followed by '/'.
                            patIdx++;
                            if (startOfSegment) {
                                if (patIdx >= patLen) {
                                    return true; // a trailing "/**" matches everything below
                                }
                                int[] r = decodeRune(pattern, patIdx);
                                if (r[0] == SEPARATOR) {
                                    patIdx += r[1];
                                    doublestarPatternBacktrack = patIdx;
                                    doublestarNameBacktrack = nameIdx;
                                    starPatternBacktrack = -1;
                                    starNameBacktrack = -1;
                                    continue match;
                                }
                            }
                        }
                        startOfSegment = false;
                        starPatternBacktrack = patIdx;
                        starNameBacktrack = nameIdx;
                        continue match;
                    }
                    case '?': {
                        startOfSegment = false;
                        int[] n = decodeRune(name, nameIdx);
                        if (n[0] == SEPARATOR) {
                            break; // '?' never matches the separator
                        }
                        patIdx++;
                        nameIdx += n[1];
                        continue match;
                    }
                    case '[': {
                        startOfSegment = false;
                        patIdx++;
                        if (patIdx >= patLen) {
                            throw new BadPattern(); // the class never ends
                        }
                        int[] n = decodeRune(name, nameIdx);
                        boolean matched = false;
                        boolean negate = pattern[patIdx] == '!' || pattern[patIdx] == '^';
                        if (negate) {
                            patIdx++;
                        }
                        if (patIdx >= patLen || pattern[patIdx] == ']') {
                            throw new BadPattern(); // unterminated or empty class
                        }
                        int last = Character.MAX_CODE_POINT;
                        while (patIdx < patLen && pattern[patIdx] != ']') {
                            int[] p = decodeRune(pattern, patIdx);
                            patIdx += p[1];
                            int patRune = p[0];
                            if (last < Character.MAX_CODE_POINT && patRune == '-' && patIdx < patLen
                                    && pattern[patIdx] != ']') {
                                if (pattern[patIdx] == '\\') {
                                    patIdx++; // escaped upper bound
                                }
                                p = decodeRune(pattern, patIdx);
                                patIdx += p[1];
                                if (last <= n[0] && n[0] <= p[0]) {
                                    matched = true;
                                    break;
                                }
                                last = Character.MAX_CODE_POINT; // no range match: start over
                                continue;
                            }
                            if (patRune == '\\') {
                                p = decodeRune(pattern, patIdx);
                                patIdx += p[1];
                                patRune = p[0];
                            }
                            if (patRune == n[0]) {
                                matched = true;
                                break;
                            }
                            last = patRune;
                        }
                        if (matched == negate) {
                            if (patIdx >= patLen) {
                                throw new BadPattern(); // ran off the end without a closing ']'
                            }
                            break;
                        }
                        int closing = indexUnescapedByte(pattern, patIdx, ']');
                        if (closing == -1) {
                            throw new BadPattern();
                        }
                        patIdx = closing + 1;
                        nameIdx += n[1];
                        continue match;
                    }
                    case '{': {
                        startOfSegment = false;
                        int beforeIdx = patIdx;
                        patIdx++;
                        int closingIdx = indexMatchedClosingAlt(pattern, patIdx);
                        if (closingIdx == -1) {
                            throw new BadPattern(); // no closing '}'
                        }
                        while (true) {
                            int commaIdx = indexNextAlt(pattern, patIdx, closingIdx);
                            if (commaIdx == -1) {
                                break;
                            }
                            byte[] alternative = concat(slice(pattern, 0, beforeIdx),
                                    slice(pattern, patIdx, commaIdx), slice(pattern, closingIdx + 1, patLen));
                            if (match(alternative, name, doublestarPatternBacktrack, doublestarNameBacktrack,
                                    starPatternBacktrack, starNameBacktrack, beforeIdx, nameIdx)) {
                                return true;
                            }
                            patIdx = commaIdx + 1;
                        }
                        byte[] lastAlternative = concat(slice(pattern, 0, beforeIdx),
                                slice(pattern, patIdx, closingIdx), slice(pattern, closingIdx + 1, patLen));
                        return match(lastAlternative, name, doublestarPatternBacktrack, doublestarNameBacktrack,
                                starPatternBacktrack, starNameBacktrack, beforeIdx, nameIdx);
                    }
                    default: {
                        if (pattern[patIdx] == '\\') {
                            patIdx++; // the next rune is matched literally
                            if (patIdx >= patLen) {
                                throw new BadPattern(); // trailing escape
                            }
                        }
                        int[] p = decodeRune(pattern, patIdx);
                        int[] n = decodeRune(name, nameIdx);
                        if (p[0] != n[0]) {
                            if (patIdx > 0 && pattern[patIdx - 1] == '\\') {
                                patIdx--; // back to the escape before backtracking or validating
                            }
                            break;
                        }
                        patIdx += p[1];
                        nameIdx += n[1];
                        startOfSegment = p[0] == SEPARATOR;
                        continue match;
                    }
                }
            }
            if (starPatternBacktrack >= 0) {
                // '*' takes one more rune of the name, unless that rune is the separator.
                int[] n = decodeRune(name, starNameBacktrack);
                if (n[0] != SEPARATOR) {
                    starNameBacktrack += n[1];
                    patIdx = starPatternBacktrack;
                    nameIdx = starNameBacktrack;
                    startOfSegment = false;
                    continue;
                }
            }
            if (doublestarPatternBacktrack >= 0) {
                // "**" takes the name up to and including its next separator.
                nameIdx = doublestarNameBacktrack;
                while (nameIdx < nameLen) {
                    int[] n = decodeRune(name, nameIdx);
                    nameIdx += n[1];
                    if (n[0] == SEPARATOR) {
                        doublestarNameBacktrack = nameIdx;
                        patIdx = doublestarPatternBacktrack;
                        startOfSegment = true;
                        continue match;
                    }
                }
            }
            if (patIdx < patLen && !validate(slice(pattern, patIdx, patLen))) {
                throw new BadPattern();
            }
            return false;
        }
        return isZeroLengthPattern(slice(pattern, patIdx, patLen));
    }

    /** Whether the rest of the pattern can match an empty name; validates it when it cannot. */
    private static boolean isZeroLengthPattern(byte[] pattern) throws BadPattern {
        switch (pattern.length) {
            case 0:
                return true;
            case 1:
                if (pattern[0] == '*') {
                    return true;
                }
                break;
            case 2:
                if (pattern[0] == '*' && pattern[1] == '*') {
                    return true;
                }
                break;
            case 3:
                if ((pattern[0] == SEPARATOR && pattern[1] == '*' && pattern[2] == '*')
                        || (pattern[0] == '*' && pattern[1] == '*' && pattern[2] == SEPARATOR)) {
                    return true;
                }
                break;
            case 4:
                if (pattern[0] == SEPARATOR && pattern[1] == '*' && pattern[2] == '*' && pattern[3] == SEPARATOR) {
                    return true;
                }
                break;
            default:
                break;
        }
        if (pattern[0] == '{') {
            int closingIdx = indexMatchedClosingAlt(pattern, 1);
            if (closingIdx == -1) {
                throw new BadPattern();
            }
            int patIdx = 1;
            while (true) {
                int commaIdx = indexNextAlt(pattern, patIdx, closingIdx);
                if (commaIdx == -1) {
                    break;
                }
                if (isZeroLengthPattern(concat(slice(pattern, patIdx, commaIdx),
                        slice(pattern, closingIdx + 1, pattern.length)))) {
                    return true;
                }
                patIdx = commaIdx + 1;
            }
            return isZeroLengthPattern(concat(slice(pattern, patIdx, closingIdx),
                    slice(pattern, closingIdx + 1, pattern.length)));
        }
        if (!validate(pattern)) {
            throw new BadPattern();
        }
        return false;
    }

    /** Index (absolute) of the first unescaped {@code c} at or after {@code from}, or -1. */
    private static int indexUnescapedByte(byte[] s, int from, char c) {
        for (int i = from; i < s.length; i++) {
            if (s[i] == '\\') {
                i++; // skip the escaped byte
            } else if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** With an opening '{' just before {@code from}: index (absolute) of its matching '}', or -1. */
    private static int indexMatchedClosingAlt(byte[] s, int from) {
        int alts = 1;
        for (int i = from; i < s.length; i++) {
            if (s[i] == '\\') {
                i++;
            } else if (s[i] == '{') {
                alts++;
            } else if (s[i] == '}') {
                if (--alts == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Index (absolute) of the next top-level ',' in {@code s[from:to]}, or -1 (v4.7.1: classes not skipped). */
    private static int indexNextAlt(byte[] s, int from, int to) {
        int alts = 1;
        for (int i = from; i < to; i++) {
            if (s[i] == '\\') {
                i++;
            } else if (s[i] == '{') {
                alts++;
            } else if (s[i] == '}') {
                alts--;
            } else if (s[i] == ',' && alts == 1) {
                return i;
            }
        }
        return -1;
    }

    /** doublestar's {@code doValidatePattern} (the boolean form of v4.7.1). */
    private static boolean validate(byte[] s) {
        int altDepth = 0;
        int l = s.length;
        scan:
        for (int i = 0; i < l; i++) {
            switch (s[i]) {
                case '\\':
                    if (++i >= l) {
                        return false; // trailing escape
                    }
                    continue;
                case '[':
                    if (++i >= l) {
                        return false;
                    }
                    if (s[i] == '^' || s[i] == '!') {
                        i++;
                    }
                    if (i >= l || s[i] == ']') {
                        return false; // unterminated or empty class
                    }
                    for (; i < l; i++) {
                        if (s[i] == '\\') {
                            i++;
                        } else if (s[i] == ']') {
                            continue scan;
                        }
                    }
                    return false;
                case '{':
                    altDepth++;
                    continue;
                case '}':
                    if (altDepth == 0) {
                        return false; // '}' without '{'
                    }
                    altDepth--;
                    continue;
                default:
                    break;
            }
        }
        return altDepth == 0;
    }
}

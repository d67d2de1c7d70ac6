package dev.mutagenws.testkit;

import java.util.ArrayList;
import java.util.List;

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
            if (!GoPathMatch.valid(p, ".")) {
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
}

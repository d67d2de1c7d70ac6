package dev.mutagenws.internal.json;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The mutagen-ws decisions of protocol.md section 5 that the descriptors cannot tell, keyed by
 * protobuf full names so that they follow the schema rather than the Java package layout.
 */
final class MappingRules {

    /** How an enum type is printed. */
    enum EnumStyle {
        /** Go's MarshalText word; "unknown" outside the table. */
        TEXT,
        /** A JSON number (the Go types without text methods). */
        NUMBER,
        /** IgnoreVCSMode: Ignore(1) = true, Propagate(2) = false. */
        VCS_BOOLEAN
    }

    /** Text forms of mutagen-daemon-api.md section 9; "" marks a Default that has no word. */
    private static final Map<String, Map<Integer, String>> TEXTS = Map.ofEntries(
            Map.entry("synchronization.Status", sequence("disconnected", "halted-on-root-emptied",
                    "halted-on-root-deletion", "halted-on-root-type-change", "connecting-alpha",
                    "connecting-beta", "watching", "scanning", "waiting-for-rescan", "reconciling",
                    "staging-alpha", "staging-beta", "transitioning", "saving")),
            Map.entry("forwarding.Status", sequence("disconnected", "connecting-source",
                    "connecting-destination", "forwarding")),
            Map.entry("url.Protocol", Map.of(0, "local", 1, "ssh", 11, "docker")),
            Map.entry("core.SynchronizationMode", sequence("", "two-way-safe", "two-way-resolved",
                    "one-way-safe", "one-way-replica")),
            Map.entry("synchronization.WatchMode", sequence("", "portable", "force-poll", "no-watch")),
            Map.entry("synchronization.ScanMode", sequence("", "full", "accelerated")),
            Map.entry("synchronization.StageMode", sequence("", "mutagen", "neighboring", "internal")),
            Map.entry("behavior.ProbeMode", sequence("", "probe", "assume")),
            Map.entry("core.SymbolicLinkMode", sequence("", "ignore", "portable", "posix-raw")),
            Map.entry("core.PermissionsMode", sequence("", "portable", "manual")),
            Map.entry("ignore.Syntax", sequence("", "mutagen", "docker")),
            Map.entry("hashing.Algorithm", sequence("", "sha1", "sha256", "xxh128")),
            Map.entry("compression.Algorithm", sequence("", "none", "deflate", "zstandard")),
            Map.entry("forwarding.SocketOverwriteMode", sequence("", "leave", "overwrite")),
            Map.entry("core.EntryKind", Map.of(0, "directory", 1, "file", 2, "symlink",
                    100, "untracked", 101, "problematic", 102, "phantom-directory")));

    /** Printed as numbers; the map holds extra words accepted on input only. */
    private static final Map<String, Map<Integer, String>> NUMERIC = Map.of(
            "url.Kind", Map.of(0, "synchronization", 1, "forwarding"),
            "synchronization.Version", Map.of(),
            "forwarding.Version", Map.of());

    /** core.IgnoreVCSMode is the v0.16/v0.17 name of the same enum. */
    private static final Set<String> VCS_BOOLEAN = Set.of("ignore.IgnoreVCSMode", "core.IgnoreVCSMode");

    /** Words accepted on input for the boolean-printed VCS mode, besides true/false. */
    static final Map<Integer, String> VCS_WORDS = Map.of(1, "ignore", 2, "propagate");

    /** Fields printed even when zero (protocol.md section 5, "deliberate differences"). */
    private static final Set<String> ALWAYS_PRESENT = Set.of(
            "synchronization.State.status",
            "forwarding.State.status",
            "synchronization.ListResponse.sessionStates",
            "forwarding.ListResponse.sessionStates");

    /** Input-only alternative names: message full name to (alias to canonical field name). */
    private static final Map<String, Map<String, String>> ALIASES = Map.of(
            "synchronization.CreationSpecification", Map.of(
                    "alphaConfiguration", "configurationAlpha",
                    "betaConfiguration", "configurationBeta"));

    private MappingRules() {
    }

    static EnumStyle style(String enumFullName) {
        if (TEXTS.containsKey(enumFullName)) {
            return EnumStyle.TEXT;
        }
        if (VCS_BOOLEAN.contains(enumFullName)) {
            return EnumStyle.VCS_BOOLEAN;
        }
        // Includes NUMERIC and any enum the rules do not know (Go prints those as numbers too).
        return EnumStyle.NUMBER;
    }

    /** Printed words for TEXT enums, input-only words for NUMBER ones; may be empty. */
    static Map<Integer, String> words(String enumFullName) {
        Map<Integer, String> t = TEXTS.get(enumFullName);
        if (t != null) {
            return t;
        }
        if (VCS_BOOLEAN.contains(enumFullName)) {
            return VCS_WORDS;
        }
        return NUMERIC.getOrDefault(enumFullName, Map.of());
    }

    static boolean alwaysPresent(String fieldFullName) {
        return ALWAYS_PRESENT.contains(fieldFullName);
    }

    static Map<String, String> aliases(String messageFullName) {
        return ALIASES.getOrDefault(messageFullName, Map.of());
    }

    private static Map<Integer, String> sequence(String... words) {
        Map<Integer, String> m = new HashMap<>();
        for (int i = 0; i < words.length; i++) {
            m.put(i, words[i]);
        }
        return Map.copyOf(m);
    }
}

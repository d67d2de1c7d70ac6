package dev.mutagenws.testkit;

import dev.mutagenws.proto.synchronization.Configuration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks Mutagen v0.18.1 makes when it connects a local endpoint (Create unless paused, Resume, the run loop's
 * reconnects): {@code local.NewEndpoint} in {@code pkg/synchronization/endpoint/local/endpoint.go}, reached through
 * the local protocol handler ({@code pkg/synchronization/protocols/local/protocol.go}), which adds
 * {@code unable to create local endpoint: }. In source order, the only ones a request can trip are:
 * <ol>
 *   <li>the ignorer for the effective ignore syntax, built from default ignores then ignores
 *       ({@code unable to create Mutagen-style ignorer: …} / {@code unable to create Docker-style ignorer: …});</li>
 *   <li>the ownership specification: owner, then group, looked up on this machine
 *       ({@code pkg/filesystem/permissions_posix.go}: {@code unable to create ownership specification: …}).</li>
 * </ol>
 * Everything else NewEndpoint computes cannot fail for a request that passed validation: modes and defaults are
 * only resolved, the root is not looked at (a missing or unreadable root surfaces later, in scans), the cache and
 * Mutagen staging paths live in the daemon's own data directory, neighbouring/internal staging paths are only
 * joined, and watching and probing start in the background without failing the connection.
 */
final class LocalEndpoint {
    private LocalEndpoint() {
    }

    /** Text after {@code unable to connect to endpoint: } for a local endpoint, or null when it connects. */
    static String creationError(Configuration base, Configuration specific) {
        String e = ignorerError(base, specific);
        if (e == null) {
            e = ownershipError(effectiveOwner(base, specific), effectiveGroup(base, specific), PosixAccounts.SYSTEM);
        }
        return e == null ? null : "unable to create local endpoint: " + e;
    }

    /**
     * Text after {@code unable to connect to endpoint: } for an agent endpoint (SSH, Docker) that was dialed: the
     * agent creates the local endpoint on its side ({@code endpoint/remote/server.go}, {@code client.go}). Only
     * the machine-independent check (the ignorer) is modelled; owner and group belong to the remote machine.
     */
    static String remoteInitializationError(Configuration base, Configuration specific) {
        String e = ignorerError(base, specific);
        return e == null ? null : "remote error: unable to create underlying endpoint: " + e;
    }

    /** The ignorer of the merged configuration (endpoint-specific values over the session's, ignores appended). */
    static String ignorerError(Configuration base, Configuration specific) {
        int syntax = specific.getIgnoreSyntaxValue() != 0 ? specific.getIgnoreSyntaxValue()
                : base.getIgnoreSyntaxValue();
        List<String> ignores = new ArrayList<>(base.getDefaultIgnoresList());
        ignores.addAll(specific.getDefaultIgnoresList());
        ignores.addAll(base.getIgnoresList());
        ignores.addAll(specific.getIgnoresList());
        if (syntax == 2) {
            String e = IgnorePatterns.dockerError(ignores);
            return e == null ? null : "unable to create Docker-style ignorer: " + e;
        }
        String e = IgnorePatterns.mutagenError(ignores); // the default syntax is Mutagen's
        return e == null ? null : "unable to create Mutagen-style ignorer: " + e;
    }

    private static String effectiveOwner(Configuration base, Configuration specific) {
        return specific.getDefaultOwner().isEmpty() ? base.getDefaultOwner() : specific.getDefaultOwner();
    }

    private static String effectiveGroup(Configuration base, Configuration specific) {
        return specific.getDefaultGroup().isEmpty() ? base.getDefaultGroup() : specific.getDefaultGroup();
    }

    /**
     * {@code filesystem.NewOwnershipSpecification} on POSIX: {@code id:<n>} is looked up by id, {@code sid:…} is
     * refused, anything else is a name. Both lookups wrap their error as "… by ID", even by name.
     */
    static String ownershipError(String owner, String group, PosixAccounts accounts) {
        String e = null;
        if (!owner.isEmpty()) {
            e = identifierError(owner, "user", accounts);
        }
        if (e == null && !group.isEmpty()) {
            e = identifierError(group, "group", accounts);
        }
        return e == null ? null : "unable to create ownership specification: " + e;
    }

    private static String identifierError(String spec, String kind, PosixAccounts accounts) {
        try {
            if (spec.startsWith("id:")) {
                String id = spec.substring(3);
                if (!id.matches("0|[1-9][0-9]*")) {
                    return "invalid " + kind + " specification"; // validation already rejects these
                }
                if (kind.equals("user")) {
                    accounts.lookupUserId(id);
                } else {
                    accounts.lookupGroupId(id);
                }
            } else if (spec.startsWith("sid:")) {
                return spec.length() == 4 ? "invalid " + kind + " specification"
                        : "Windows SIDs not supported on POSIX systems";
            } else if (kind.equals("user")) {
                accounts.lookupUser(spec);
            } else {
                accounts.lookupGroup(spec);
            }
            return null;
        } catch (PosixAccounts.LookupError e) {
            return "unable to lookup " + kind + " by ID: " + e.getMessage();
        }
    }
}

package dev.mutagenws.testkit;

import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.testkit.labels.LabelSelector;
import dev.mutagenws.testkit.labels.LabelSelectorException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The live sessions and how requests and tests pick them: creation order and selection resolution. Not
 * synchronized itself: every call happens under the engine's monitor, which guards all fake daemon state.
 */
final class SessionRegistry {
    private final LinkedHashMap<String, SessionRecord> sessions = new LinkedHashMap<>();
    private long ordinals;

    /** Registers a new session; the ordinal breaks ties between equal creation times. */
    SessionRecord add(Session session) {
        SessionRecord r = new SessionRecord(session, ordinals++);
        sessions.put(session.getIdentifier(), r);
        return r;
    }

    void remove(SessionRecord r) {
        sessions.remove(r.id());
    }

    /** Every session in insertion order (a live view). */
    Collection<SessionRecord> all() {
        return sessions.values();
    }

    /** Every session in the daemon's order: creation time, then creation order. */
    List<SessionRecord> ordered() {
        List<SessionRecord> all = new ArrayList<>(sessions.values());
        all.sort(Comparator.<SessionRecord>comparingLong(r -> r.session.getCreationTime().getSeconds())
                .thenComparingInt(r -> r.session.getCreationTime().getNanos())
                .thenComparingLong(r -> r.ordinal));
        return all;
    }

    /** Exact id-or-name matching, first unmatched specification fails, duplicates removed (facts §4.3). */
    List<SessionRecord> resolve(Selection s) throws DaemonError {
        List<SessionRecord> all = ordered();
        if (s.getAll()) {
            return all;
        }
        if (!s.getLabelSelector().isEmpty()) {
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(s.getLabelSelector());
            } catch (LabelSelectorException e) {
                throw new DaemonError("unable to locate requested sessions: unable to parse label selector: "
                        + e.getMessage());
            }
            List<SessionRecord> out = new ArrayList<>();
            for (SessionRecord r : all) {
                if (selector.matches(r.session.getLabelsMap())) {
                    out.add(r);
                }
            }
            return out;
        }
        LinkedHashSet<SessionRecord> out = new LinkedHashSet<>();
        for (String spec : s.getSpecificationsList()) {
            boolean matched = false;
            for (SessionRecord r : all) {
                if (r.id().equals(spec) || r.session.getName().equals(spec)) {
                    out.add(r);
                    matched = true;
                }
            }
            if (!matched) {
                throw new DaemonError("unable to locate requested sessions: specification \"" + spec
                        + "\" did not match any sessions");
            }
        }
        return new ArrayList<>(out);
    }

    /** The test controls' lookup: every session whose id or name is {@code spec}, at least one. */
    List<SessionRecord> matching(String spec) {
        List<SessionRecord> matched = new ArrayList<>();
        for (SessionRecord r : ordered()) {
            if (r.id().equals(spec) || r.session.getName().equals(spec)) {
                matched.add(r);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("no session with id or name " + spec);
        }
        return matched;
    }
}

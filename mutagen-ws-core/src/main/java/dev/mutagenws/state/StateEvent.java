package dev.mutagenws.state;

import dev.mutagenws.json.ProtoJson;
import dev.mutagenws.protocol.RawJson;
import dev.mutagenws.protocol.ReplyWriter;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change found between two consecutive snapshots of a subscription (docs/protocol.md section 4):
 * {@code {"type", "time", "stateIndex", "session", ...fields}} ({@code session} left out of events about
 * the daemon itself). Immutable.
 */
public final class StateEvent {
    /** Events hold plain values (strings, numbers, booleans), written as a reply's data would be. */
    private static final ReplyWriter WRITER = new ReplyWriter(ProtoJson.standard());

    public static final String SESSION_CREATED = "session_created";
    public static final String SESSION_TERMINATED = "session_terminated";
    public static final String STATUS_CHANGED = "status_changed";
    public static final String PAUSED = "paused";
    public static final String RESUMED = "resumed";
    public static final String CONNECTION_CHANGED = "connection_changed";
    public static final String ERROR = "error";
    public static final String ERROR_CLEARED = "error_cleared";
    public static final String CONFLICTS_CHANGED = "conflicts_changed";
    public static final String PROBLEMS_CHANGED = "problems_changed";
    public static final String STAGING_PROGRESS = "staging_progress";
    public static final String CYCLE_COMPLETED = "cycle_completed";
    /** The daemon restarted between two snapshots; about no one session ({@link #session()} is empty). */
    public static final String DAEMON_RESTARTED = "daemon_restarted";

    private final String type;
    private final Instant time;
    private final long stateIndex;
    private final String session;
    private final Map<String, Object> fields;
    /** The encoded {@link #toMap()}: written once, shared by every subscriber that sends this event. */
    private volatile RawJson json;

    public StateEvent(String type, Instant time, long stateIndex, String session, Map<String, Object> fields) {
        this.type = Objects.requireNonNull(type, "type");
        this.time = Objects.requireNonNull(time, "time");
        this.stateIndex = stateIndex;
        this.session = Objects.requireNonNull(session, "session");
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String type() {
        return type;
    }

    public Instant time() {
        return time;
    }

    public long stateIndex() {
        return stateIndex;
    }

    /** The session's identifier; empty for {@link #DAEMON_RESTARTED}. */
    public String session() {
        return session;
    }

    /** The type-specific fields, in protocol order (strings, numbers and booleans). */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The event object as written in JSON: fixed keys first, then the type's fields. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        map.put("time", time.toString()); // ISO-8601 in UTC with a Z: RFC 3339
        map.put("stateIndex", stateIndex);
        if (!session.isEmpty()) {
            map.put("session", session);
        }
        map.putAll(fields);
        return map;
    }

    /**
     * The event as compact JSON ({@link #toMap()}'s keys and order), encoded once: subscribers of one
     * selection share the event objects of a change, and so its bytes.
     */
    public RawJson json() {
        RawJson j = json;
        if (j == null) {
            synchronized (this) {
                j = json;
                if (j == null) {
                    j = new RawJson(WRITER.writeValue(toMap()));
                    json = j;
                }
            }
        }
        return j;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateEvent)) {
            return false;
        }
        StateEvent other = (StateEvent) o;
        return type.equals(other.type) && time.equals(other.time) && stateIndex == other.stateIndex
                && session.equals(other.session) && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, time, stateIndex, session, fields);
    }

    @Override
    public String toString() {
        return type + "@" + Long.toUnsignedString(stateIndex) + " " + session + " " + fields;
    }
}

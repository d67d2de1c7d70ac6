package dev.mutagenws.state;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.ReplyWriter;
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

    /** A session appeared; fields: {@code name}. */
    public static final String SESSION_CREATED = "session_created";
    /** A session disappeared (terminated); fields: {@code name}. */
    public static final String SESSION_TERMINATED = "session_terminated";
    /** The session's status moved; fields: {@code from}, {@code to} (status texts such as {@code scanning}). */
    public static final String STATUS_CHANGED = "status_changed";
    /** The session was paused; no fields. */
    public static final String PAUSED = "paused";
    /** The session was resumed; no fields. */
    public static final String RESUMED = "resumed";
    /**
     * An endpoint connected or disconnected; fields: {@code endpoint} ({@code alpha}/{@code beta}), {@code connected}.
     */
    public static final String CONNECTION_CHANGED = "connection_changed";
    /** The session's last error is new or changed; fields: {@code lastError}. */
    public static final String ERROR = "error";
    /** The session's last error went away; fields: {@code lastError} (the error that was cleared). */
    public static final String ERROR_CLEARED = "error_cleared";
    /** The conflicts changed; fields: {@code conflicts} (count listed), {@code excludedConflicts}. */
    public static final String CONFLICTS_CHANGED = "conflicts_changed";
    /**
     * An endpoint's problems changed; fields: {@code endpoint}, {@code kind} ({@code scan}/{@code transition}),
     * {@code count} (excluded ones included).
     */
    public static final String PROBLEMS_CHANGED = "problems_changed";
    /**
     * An endpoint is receiving files; fields: {@code endpoint}, {@code path} and the files and bytes received of
     * expected.
     */
    public static final String STAGING_PROGRESS = "staging_progress";
    /** A synchronization cycle succeeded; fields: {@code successfulCycles} (the new count). */
    public static final String CYCLE_COMPLETED = "cycle_completed";
    /** The daemon restarted between two snapshots; about no one session ({@link #session()} is empty). */
    public static final String DAEMON_RESTARTED = "daemon_restarted";

    private final String type;
    private final Instant time;
    private final long stateIndex;
    private final String session;
    private final Map<String, Object> fields;
    /** The encoded {@link #toMap()}: written once, shared by every subscriber that sends this event. */
    private volatile SerializableString json;

    /**
     * An event; made by the state layer when it compares snapshots, public for tests and custom transports.
     *
     * @param type one of this class's type constants
     * @param time when the snapshot that showed the change was received
     * @param stateIndex the daemon's state index of that snapshot (unsigned)
     * @param session the session's identifier; empty (not null) for {@link #DAEMON_RESTARTED}
     * @param fields the type-specific fields in protocol order, plain values only; copied
     */
    public StateEvent(String type, Instant time, long stateIndex, String session, Map<String, Object> fields) {
        this.type = Objects.requireNonNull(type, "type");
        this.time = Objects.requireNonNull(time, "time");
        this.stateIndex = stateIndex;
        this.session = Objects.requireNonNull(session, "session");
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The event type, one of this class's constants such as {@link #STATUS_CHANGED}. */
    public String type() {
        return type;
    }

    /**
     * When the snapshot that showed the change was received from the daemon (not when the change happened in the
     * daemon, which it does not report).
     */
    public Instant time() {
        return time;
    }

    /** The daemon's state index of the snapshot that showed the change; unsigned, compare only for equality. */
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
    public SerializableString json() {
        SerializableString j = json;
        if (j == null) {
            synchronized (this) {
                j = json;
                if (j == null) {
                    j = new SerializedString(WRITER.writeValue(toMap()));
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

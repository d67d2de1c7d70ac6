package dev.mutagenws.state;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mutagenws.json.ProtoJson;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.protocol.RawJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One snapshot of the selected sessions, as the daemon's {@code List} returned it: the state index
 * (opaque: compare only for equality, it restarts at 1 with the daemon) and the session states.
 * Immutable. The JSON form is encoded at most once and shared by every subscriber that sends it.
 */
public final class SessionStates {
    private final long stateIndex;
    private final List<State> states;
    private final Instant receivedAt;

    /** Encoded {@code sessionStates} array; written once, read by many (benign publication via volatile). */
    private volatile RawJson statesJson;
    private volatile RawJson json;
    /** Events from one earlier snapshot to this one: almost every subscriber asks with the same predecessor. */
    private volatile EventsMemo events;

    public SessionStates(long stateIndex, List<State> states, Instant receivedAt) {
        this.stateIndex = stateIndex;
        this.states = List.copyOf(states);
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
    }

    static SessionStates of(ListResponse response, Instant receivedAt) {
        return new SessionStates(response.getStateIndex(), response.getSessionStatesList(), receivedAt);
    }

    /** The daemon's state index of this snapshot (unsigned). */
    public long stateIndex() {
        return stateIndex;
    }

    /** The selected sessions, oldest first (the daemon's order). */
    public List<State> states() {
        return states;
    }

    /** When this snapshot was received from the daemon. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** True when both hold the same session states (whatever their indices). */
    public boolean sameStates(SessionStates other) {
        return other != null && states.equals(other.states);
    }

    /** The {@code sessionStates} JSON array, encoded once. */
    public RawJson sessionStatesJson() {
        RawJson j = statesJson;
        if (j == null) {
            synchronized (this) {
                j = statesJson;
                if (j == null) {
                    j = new RawJson(encodeStates());
                    statesJson = j;
                }
            }
        }
        return j;
    }

    /** {@code {"stateIndex": N, "sessionStates": [...]}}, the {@code list} reply's shape, encoded once. */
    public RawJson json() {
        RawJson j = json;
        if (j == null) {
            j = new RawJson("{\"stateIndex\":" + Long.toUnsignedString(stateIndex) + ",\"sessionStates\":"
                    + sessionStatesJson().json() + "}");
            json = j; // Recomputing in a race only concatenates again; the states are encoded once.
        }
        return j;
    }

    private String encodeStates() {
        ProtoJson protoJson = ProtoJson.standard();
        StringWriter out = new StringWriter(256 + states.size() * 1024);
        try (JsonGenerator g = protoJson.jsonFactory().createGenerator(out)) {
            g.writeStartArray();
            for (State state : states) {
                protoJson.write(state, g);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The change events from {@code previous} to this snapshot (none when {@code previous} is null). */
    public List<StateEvent> eventsSince(SessionStates previous) {
        if (previous == null) {
            return List.of();
        }
        EventsMemo memo = events;
        if (memo != null && memo.previous == previous) {
            return memo.events;
        }
        List<StateEvent> computed = StateEvents.diff(previous, this);
        events = new EventsMemo(previous, computed);
        return computed;
    }

    @Override
    public String toString() {
        return "SessionStates{stateIndex=" + Long.toUnsignedString(stateIndex) + ", sessions=" + states.size() + "}";
    }

    private static final class EventsMemo {
        final SessionStates previous;
        final List<StateEvent> events;

        EventsMemo(SessionStates previous, List<StateEvent> events) {
            this.previous = previous;
            this.events = events;
        }
    }
}

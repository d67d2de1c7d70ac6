package dev.mutagenws.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.state.Epochs;
import dev.mutagenws.internal.state.StateEvents;
import dev.mutagenws.proto.synchronization.State;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One snapshot of the selected sessions, as the daemon's {@code List} returned it: the state index
 * (opaque: compare only for equality, it restarts at 1 with the daemon), the session states, and the
 * {@link #epoch()} of the daemon run it came from (an index means nothing without it). Immutable. The
 * JSON form is encoded at most once and shared by every subscriber that sends it.
 */
public final class SessionStates {
    private final long stateIndex;
    private final List<State> states;
    private final Instant receivedAt;
    /** Which run of the daemon (as this process saw it) answered; differs across a restart. */
    private final long run;
    /** {@link #run} as its token, made once: every push and frame of this snapshot carries it. */
    private final String epoch;

    /** Encoded {@code sessionStates} array; written once, read by many (benign publication via volatile). */
    private volatile SerializableString statesJson;
    private volatile SerializableString json;
    /** Events from one earlier snapshot to this one: almost every subscriber asks with the same predecessor. */
    private volatile EventsMemo events;

    /** A snapshot of the first daemon run this process saw. */
    public SessionStates(long stateIndex, List<State> states, Instant receivedAt) {
        this(stateIndex, states, receivedAt, 0);
    }

    /**
     * A snapshot of the {@code run}-th daemon run this process saw (0 the first; a restart makes the next).
     *
     * @param stateIndex the daemon's state index (unsigned)
     * @param states the selected sessions in the daemon's order (copied)
     * @param receivedAt when the daemon answered
     * @param run the daemon run, which {@link #epoch()} carries
     */
    public SessionStates(long stateIndex, List<State> states, Instant receivedAt, long run) {
        this.stateIndex = stateIndex;
        this.states = List.copyOf(states);
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.run = run;
        this.epoch = Epochs.token(run);
    }

    /** The daemon's state index of this snapshot (unsigned). */
    public long stateIndex() {
        return stateIndex;
    }

    /** The selected sessions, oldest first (the daemon's order). */
    public List<State> states() {
        return states;
    }

    /**
     * The daemon run this snapshot belongs to, as an opaque token ({@link Epochs}): a client that resumes
     * with a state index and this token is known to mean this run's index, so an equal index of a later
     * run (the daemon restarted) is not mistaken for "nothing changed".
     */
    public String epoch() {
        return epoch;
    }

    /** True when both snapshots come from the same daemon run. */
    public boolean sameRun(SessionStates other) {
        return other != null && run == other.run;
    }

    /** When this snapshot was received from the daemon. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** True when both hold the same session states (whatever their indices). */
    public boolean sameStates(SessionStates other) {
        return other != null && states.equals(other.states);
    }

    /**
     * The {@code sessionStates} JSON array as the gateway writes it, encoded once and shared: {@code getValue()} is
     * the text, and its cached UTF-8 bytes let every subscriber's frame copy rather than encode again.
     */
    public SerializableString sessionStatesJson() {
        SerializableString j = statesJson;
        if (j == null) {
            synchronized (this) {
                j = statesJson;
                if (j == null) {
                    j = new SerializedString(encodeStates());
                    statesJson = j;
                }
            }
        }
        return j;
    }

    /**
     * {@code {"stateIndex": N, "epoch": "...", "sessionStates": [...]}}, the state record of the live streams,
     * encoded once.
     */
    public SerializableString json() {
        SerializableString j = json;
        if (j == null) {
            j = new SerializedString("{\"stateIndex\":" + Long.toUnsignedString(stateIndex) + ",\"epoch\":\"" + epoch()
                    + "\",\"sessionStates\":" + sessionStatesJson().getValue() + "}");
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
        List<StateEvent> computed = sameRun(previous) ? StateEvents.diff(previous, this)
                : StateEvents.acrossRestart(previous, this);
        events = new EventsMemo(previous, computed);
        return computed;
    }

    @Override
    public String toString() {
        return "SessionStates{stateIndex=" + Long.toUnsignedString(stateIndex) + ", epoch=" + epoch() + ", sessions="
                + states.size() + "}";
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

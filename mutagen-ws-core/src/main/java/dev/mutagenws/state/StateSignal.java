package dev.mutagenws.state;

import dev.mutagenws.daemon.DaemonAvailability;
import java.util.List;
import java.util.Objects;

/**
 * What a subscriber of {@link StateHub#signals} receives, in order. Immutable.
 * <ul>
 *   <li>{@link Kind#SNAPSHOT}: a snapshot that differs from the previous one this subscriber got
 *       (the current one first); {@link #events()} are the changes since that previous one.</li>
 *   <li>{@link Kind#UNCHANGED}: first signal only, when the subscriber resumed with a state index
 *       that is still current, so there is nothing new to send yet.</li>
 *   <li>{@link Kind#DAEMON}: the daemon went away or came back; snapshots continue by themselves.</li>
 * </ul>
 */
public final class StateSignal {
    /**
     * What a signal carries: {@code SNAPSHOT}, a new snapshot with its events; {@code UNCHANGED}, the resumed index is
     * still current (first signal only); {@code DAEMON}, the daemon went away or came back.
     */
    public enum Kind { SNAPSHOT, UNCHANGED, DAEMON }

    private final Kind kind;
    private final SessionStates snapshot;
    private final SessionStates previous;
    private final long stateIndex;
    private final String epoch;
    private final DaemonAvailability daemon;

    private StateSignal(Kind kind, SessionStates snapshot, SessionStates previous, long stateIndex, String epoch,
            DaemonAvailability daemon) {
        this.kind = kind;
        this.snapshot = snapshot;
        this.previous = previous;
        this.stateIndex = stateIndex;
        this.epoch = epoch;
        this.daemon = daemon;
    }

    /**
     * A snapshot signal. Made by {@link StateHub}; public for tests and custom sources.
     *
     * @param snapshot the new snapshot (not null)
     * @param previous the snapshot this subscriber got before, or null for its first one (then there are no events)
     */
    public static StateSignal snapshot(SessionStates snapshot, SessionStates previous) {
        return new StateSignal(Kind.SNAPSHOT, Objects.requireNonNull(snapshot), previous, snapshot.stateIndex(),
                snapshot.epoch(), null);
    }

    /**
     * The answer to a resume whose index is still current. Made by {@link StateHub}; public for tests.
     *
     * @param stateIndex the subscriber's own, still current, state index
     * @param epoch the daemon run of that index ({@link SessionStates#epoch()}; not null)
     */
    public static StateSignal unchanged(long stateIndex, String epoch) {
        return new StateSignal(Kind.UNCHANGED, null, null, stateIndex, Objects.requireNonNull(epoch), null);
    }

    /** A change of the daemon's availability (not null). Made by {@link StateHub}; public for tests. */
    public static StateSignal daemon(DaemonAvailability availability) {
        return new StateSignal(Kind.DAEMON, null, null, 0, null, Objects.requireNonNull(availability));
    }

    /** Which kind of signal this is, and so which accessors carry values. */
    public Kind kind() {
        return kind;
    }

    /** The snapshot ({@link Kind#SNAPSHOT}), else null. */
    public SessionStates snapshot() {
        return snapshot;
    }

    /** The state index of a snapshot, or the still-current index of {@link Kind#UNCHANGED}; else 0. */
    public long stateIndex() {
        return stateIndex;
    }

    /** The daemon run of {@link #stateIndex()} ({@link SessionStates#epoch()}); null for {@link Kind#DAEMON}. */
    public String epoch() {
        return epoch;
    }

    /** The daemon's availability ({@link Kind#DAEMON}), else null. */
    public DaemonAvailability daemon() {
        return daemon;
    }

    /**
     * The change events between the snapshot this subscriber got before and this one; empty for the
     * first snapshot of a subscription and for other kinds. Computed on first use and shared.
     */
    public List<StateEvent> events() {
        return snapshot == null ? List.of() : snapshot.eventsSince(previous);
    }

    @Override
    public String toString() {
        switch (kind) {
            case SNAPSHOT:
                return "snapshot " + snapshot;
            case UNCHANGED:
                return "unchanged at " + Long.toUnsignedString(stateIndex);
            default:
                return "daemon " + daemon;
        }
    }
}

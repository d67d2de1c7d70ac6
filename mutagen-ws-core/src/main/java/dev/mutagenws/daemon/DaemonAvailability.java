package dev.mutagenws.daemon;

import java.util.Objects;

/** Whether the daemon answers, with its version when it does and the reason when it does not. Immutable. */
public final class DaemonAvailability {
    private final boolean connected;
    private final DaemonVersion version;
    private final String problem;

    private DaemonAvailability(boolean connected, DaemonVersion version, String problem) {
        this.connected = connected;
        this.version = version;
        this.problem = problem;
    }

    /** The daemon answers and runs {@code version} (not null). */
    public static DaemonAvailability connected(DaemonVersion version) {
        return new DaemonAvailability(true, Objects.requireNonNull(version, "version"), null);
    }

    /**
     * The daemon does not answer; {@code problem} (not null) says why in words a user can act on, usually a
     * {@link DaemonUnavailableException}'s message.
     */
    public static DaemonAvailability disconnected(String problem) {
        return new DaemonAvailability(false, null, Objects.requireNonNull(problem, "problem"));
    }

    /** True when the daemon answered; {@link #version()} is then set, else {@link #problem()} is. */
    public boolean isConnected() {
        return connected;
    }

    /** The daemon's version while connected, else null. */
    public DaemonVersion version() {
        return version;
    }

    /** Why the daemon is unreachable, else null. */
    public String problem() {
        return problem;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaemonAvailability)) {
            return false;
        }
        DaemonAvailability other = (DaemonAvailability) o;
        return connected == other.connected && Objects.equals(version, other.version)
                && Objects.equals(problem, other.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connected, version, problem);
    }

    @Override
    public String toString() {
        return connected ? "connected (daemon " + version + ")" : "disconnected (" + problem + ")";
    }
}

package dev.mutagenws.internal.protocol;

import dev.mutagenws.daemon.DaemonAvailability;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daemon's availability as every transport shows it (docs/protocol.md): the WebSocket's
 * {@code daemon} pushes, the event streams' {@code daemon} records, {@code GET /api/daemon} and
 * {@code GET /readyz}. The one place that renders a {@link DaemonAvailability}.
 */
public final class AvailabilityJson {
    private AvailabilityJson() {
    }

    /** {@code {"connected", "version"}}: a WebSocket push, whose message carries the reason. */
    public static Map<String, Object> data(DaemonAvailability a) {
        return put(new LinkedHashMap<>(), a, null, false);
    }

    /** As {@link #data}, plus {@code "error"} (the reason) while the daemon is away: an event stream's record. */
    public static Map<String, Object> withReason(Map<String, Object> into, DaemonAvailability a) {
        return put(into, a, null, true);
    }

    /** {@code {"connected", "socket", "version"}}, plus {@code "error"} while away: {@code GET /api/daemon}. */
    public static Map<String, Object> status(DaemonAvailability a, String socket) {
        return put(new LinkedHashMap<>(), a, socket, true);
    }

    /** {@code {"ready", "daemon"}}: the version while the daemon answers, else the reason ({@code GET /readyz}). */
    public static Map<String, Object> readiness(DaemonAvailability a) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ready", a.isConnected());
        data.put("daemon", a.isConnected() ? a.version().toString() : a.problem());
        return data;
    }

    /** The message of a {@code daemon} push: empty while connected, else the reason. */
    public static String message(DaemonAvailability a) {
        return a.isConnected() ? "" : a.problem();
    }

    private static Map<String, Object> put(Map<String, Object> into, DaemonAvailability a, String socket,
            boolean withReason) {
        into.put("connected", a.isConnected());
        if (socket != null) {
            into.put("socket", socket);
        }
        into.put("version", a.version());
        if (withReason && !a.isConnected()) {
            into.put("error", a.problem());
        }
        return into;
    }
}

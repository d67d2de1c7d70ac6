package dev.mutagenws.internal.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The machine-readable description served at {@code GET /api/protocol}. */
public final class ProtocolDescription {
    public static final int MAJOR = 1;
    public static final int MINOR = 0;

    /** Event types of change events (docs/protocol.md section 4). */
    public static final List<String> EVENT_TYPES = List.of("session_created", "session_terminated", "status_changed",
            "paused", "resumed", "connection_changed", "error", "error_cleared", "conflicts_changed",
            "problems_changed", "staging_progress", "cycle_completed", "daemon_restarted");

    private ProtocolDescription() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("major", MAJOR);
        version.put("minor", MINOR);
        out.put("version", version);
        out.put("actions", Actions.REQUESTS);
        out.put("pushes", Actions.PUSHES);
        List<Object> codes = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("code", code.code());
            c.put("name", code.name().toLowerCase(Locale.ROOT));
            c.put("httpStatus", Outcome.of(code).httpStatus());
            codes.add(c);
        }
        out.put("codes", codes);
        out.put("eventTypes", EVENT_TYPES);
        return out;
    }
}

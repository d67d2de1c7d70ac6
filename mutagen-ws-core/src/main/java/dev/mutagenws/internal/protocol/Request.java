package dev.mutagenws.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One decoded client request: {@code {"action": "...", "id": N, "data": ...}}. Immutable. */
public final class Request {
    private final String action;
    private final long id;
    private final JsonNode data;

    public Request(String action, long id, JsonNode data) {
        this.action = Objects.requireNonNull(action, "action");
        this.id = id;
        this.data = data == null || data.isNull() || data.isMissingNode() ? null : data;
    }

    public String action() {
        return action;
    }

    /** The client's correlation id, echoed verbatim; 0 when absent. */
    public long id() {
        return id;
    }

    /** The action's data, or null when absent or JSON null. */
    public JsonNode data() {
        return data;
    }

    @Override
    public String toString() {
        // Never the data: it may hold a prompt answer.
        return action + "#" + id;
    }
}

package dev.mutagenws.internal.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.internal.json.JsonDecodeException;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import java.util.HashSet;
import java.util.Set;

/**
 * Where an action's JSON {@code data} (a WebSocket frame's, a REST body, a REST query made into an
 * object) becomes an {@link ActionRequest} or a {@link Subscribe}. Strict: only the fields the action
 * takes, each of the right type; every error names the field from {@code path} ({@code data.alpha.port},
 * {@code body.name}, {@code query.all}).
 */
public final class ActionData {
    private static final Set<String> LIST_FIELDS = with(Selections.FIELDS, "stateIndex");
    private static final Set<String> FLUSH_FIELDS = with(Selections.FIELDS, "skipWait");
    private static final JsonNode EMPTY_OBJECT = JsonNodeFactory.instance.objectNode();

    private ActionData() {
    }

    /** Whether the action layer executes {@code action} (the others, answer, cancel, ..., are a connection's). */
    public static boolean isAction(String action) {
        return Actions.DAEMON_ACTIONS.contains(action);
    }

    /**
     * Reads the request of a daemon action.
     *
     * @throws ProtocolException 2003 naming the bad field (of a creation specification too), 2005 for an action
     *     that is not one
     */
    public static ActionRequest<?> parse(String action, JsonNode data, String path) {
        switch (action) {
            case Actions.CREATION:
                return new ActionRequest.Create(specification(data, path));
            case Actions.LIST: {
                JsonFields fields = JsonFields.of(data, path, LIST_FIELDS);
                // 0 (or none) asks for the current state; any other index waits for the next one.
                return new ActionRequest.ListSessions(Selections.read(fields, path), fields.unsignedLong("stateIndex"),
                        null);
            }
            case Actions.FLUSH: {
                JsonFields fields = JsonFields.of(data, path, FLUSH_FIELDS);
                return new ActionRequest.Flush(Selections.read(fields, path), fields.bool("skipWait"));
            }
            case Actions.PAUSE, Actions.RESUME, Actions.RESET, Actions.TERMINATE:
                return new ActionRequest.Change(action, Selections.read(data, path));
            case Actions.VERSION:
                // Takes no data; anything in it is a client mistake worth hearing about (null and {} are fine).
                JsonFields.of(data, path, Set.of());
                return new ActionRequest.Version();
            default:
                throw ProtocolException.unknownAction(action);
        }
    }

    private static CreationSpecification specification(JsonNode data, String path) {
        try {
            return ProtoJson.standard().read(data == null ? EMPTY_OBJECT : data,
                    CreationSpecification.getDefaultInstance(), path);
        } catch (JsonDecodeException e) {
            throw ProtocolException.invalid(e.getMessage()); // it names the path already
        }
    }

    /** Reads a {@code subscribe}'s data: a selection, plus optional {@code stateIndex}, {@code epoch}, {@code events}. */
    public static Subscribe subscribe(JsonNode data) {
        if (data != null && !data.isNull() && !data.isObject()) {
            throw ProtocolException.invalid("data: expected a selection object, optionally with stateIndex and events");
        }
        ObjectNode selection = data == null || data.isNull() ? JsonNodeFactory.instance.objectNode()
                : ((ObjectNode) data).deepCopy();
        JsonNode index = selection.remove("stateIndex");
        long stateIndex = 0;
        if (index != null && !index.isNull()) {
            if (!index.isIntegralNumber() || !index.canConvertToLong() || index.longValue() < 0) {
                throw ProtocolException.invalid("data.stateIndex: expected a non-negative integer, got " + index);
            }
            stateIndex = index.longValue();
        }
        JsonNode epochNode = selection.remove("epoch");
        String epoch = epochNode == null || epochNode.isNull() ? null
                : epochNode.isTextual() ? epochNode.textValue() : epochNode.toString();
        ResumePoint resume = ResumePoint.of(stateIndex, epoch, String.valueOf(epochNode), "data.epoch",
                "data.stateIndex");
        JsonNode events = selection.remove("events");
        if (events != null && !events.isNull() && !events.isBoolean()) {
            throw ProtocolException.invalid("data.events: expected true or false, got " + events);
        }
        return new Subscribe(Selections.read(selection, "data"), resume, events != null && events.asBoolean());
    }

    private static Set<String> with(Set<String> base, String extra) {
        Set<String> all = new HashSet<>(base);
        all.add(extra);
        return Set.copyOf(all);
    }
}

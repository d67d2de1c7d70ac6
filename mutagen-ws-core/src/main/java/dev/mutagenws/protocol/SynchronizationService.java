package dev.mutagenws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.json.JsonDecodeException;
import dev.mutagenws.json.ProtoJson;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The daemon actions of the protocol, independent of transport: validates an action's
 * {@code data}, calls the daemon, and returns the success {@code data} of the reply. WebSocket and
 * REST both come through here; what differs between them (how prompts are answered) arrives as the
 * {@link Prompter}.
 */
public final class SynchronizationService {
    private static final Set<String> LIST_FIELDS = with(Selections.FIELDS, "stateIndex");
    private static final Set<String> FLUSH_FIELDS = with(Selections.FIELDS, "skipWait");
    private static final JsonNode EMPTY_OBJECT = JsonNodeFactory.instance.objectNode();

    private final MutagenDaemon daemon;
    private final ProtoJson json;
    private final ListLongPoll longPoll;

    /** A service whose {@code list} long-polls each make their own daemon call ({@link ListLongPoll#direct}). */
    public SynchronizationService(MutagenDaemon daemon, ProtoJson json) {
        this(daemon, json, ListLongPoll.direct(daemon));
    }

    /** A service whose {@code list} with a {@code stateIndex} waits through {@code longPoll}. */
    public SynchronizationService(MutagenDaemon daemon, ProtoJson json, ListLongPoll longPoll) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.json = Objects.requireNonNull(json, "json");
        this.longPoll = Objects.requireNonNull(longPoll, "longPoll");
    }

    public MutagenDaemon daemon() {
        return daemon;
    }

    /**
     * Runs a daemon action. Bad input fails at once (before any daemon call) with a
     * {@link ProtocolException} naming the field; daemon failures arrive as the daemon's exceptions.
     *
     * @return the reply data: a protobuf message, a map, or an empty object
     */
    public Mono<Object> execute(String action, JsonNode data, Prompter prompter) {
        return execute(action, data, prompter, "data");
    }

    /**
     * As {@link #execute(String, JsonNode, Prompter)}, naming bad input from {@code path} rather
     * than {@code data} (REST says {@code body.alpha.port}, since there the JSON is the whole body).
     */
    public Mono<Object> execute(String action, JsonNode data, Prompter prompter, String path) {
        return Mono.defer(() -> {
            switch (action) {
                case Actions.CREATION:
                    return create(data, prompter, path);
                case Actions.LIST: {
                    JsonFields fields = JsonFields.of(data, path, LIST_FIELDS);
                    SessionSelection selection = Selections.read(fields, path);
                    long stateIndex = fields.unsignedLong("stateIndex");
                    // 0 (or none) asks for the current state; any other index waits for the next one.
                    Mono<ListResponse> states = stateIndex == 0 ? daemon.list(selection, 0)
                            : longPoll.after(selection, stateIndex);
                    return states.map(r -> (Object) r);
                }
                case Actions.FLUSH: {
                    JsonFields fields = JsonFields.of(data, path, FLUSH_FIELDS);
                    SessionSelection selection = Selections.read(fields, path);
                    return daemon.flush(selection, fields.bool("skipWait"), prompter).thenReturn(EMPTY_OBJECT);
                }
                case Actions.PAUSE:
                    return daemon.pause(Selections.read(data, path), prompter).thenReturn(EMPTY_OBJECT);
                case Actions.RESUME:
                    return daemon.resume(Selections.read(data, path), prompter).thenReturn(EMPTY_OBJECT);
                case Actions.RESET:
                    return daemon.reset(Selections.read(data, path), prompter).thenReturn(EMPTY_OBJECT);
                case Actions.TERMINATE:
                    return daemon.terminate(Selections.read(data, path), prompter).thenReturn(EMPTY_OBJECT);
                case Actions.VERSION:
                    // Takes no data; anything in it is a client mistake worth hearing about (null and {} are fine).
                    JsonFields.of(data, path, Set.of());
                    return daemon.version().map(v -> (Object) v);
                default:
                    return Mono.error(new ProtocolException(ErrorCode.UNKNOWN_ACTION, "unknown action \""
                            + action + "\"; known actions: " + String.join(", ", Actions.REQUESTS)));
            }
        });
    }

    private Mono<Object> create(JsonNode data, Prompter prompter, String path) {
        CreationSpecification specification;
        try {
            specification = json.read(data == null ? EMPTY_OBJECT : data,
                    CreationSpecification.getDefaultInstance(), path);
        } catch (JsonDecodeException e) {
            return Mono.error(e);
        }
        return daemon.create(specification, prompter).map(session -> (Object) Map.of("session", session));
    }

    private static Set<String> with(Set<String> base, String extra) {
        java.util.HashSet<String> all = new java.util.HashSet<>(base);
        all.add(extra);
        return Set.copyOf(all);
    }
}

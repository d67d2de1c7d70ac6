package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.protocol.Actions;
import dev.mutagenws.protocol.ErrorCode;
import dev.mutagenws.protocol.Failure;
import dev.mutagenws.protocol.ProtocolException;
import dev.mutagenws.protocol.Reply;
import dev.mutagenws.protocol.Request;
import dev.mutagenws.protocol.Selections;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * The live-state subscriptions of one WebSocket connection ({@code subscribe}/{@code unsubscribe},
 * docs/protocol.md sections 2 and 3). Each asks the shared {@link StateHub} for one signal at a time
 * and the next only once the socket has taken its frames, so a slow client is conflated to the
 * latest state instead of queueing old ones.
 */
final class ConnectionSubscriptions {
    private final StateHub hub;
    private final int max;
    private final Consumer<Reply> send;
    private final OutboundPressure pressure;
    private final Map<String, Live> active = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private volatile boolean closed;

    ConnectionSubscriptions(StateHub hub, int max, Consumer<Reply> send, OutboundPressure pressure) {
        this.hub = hub;
        this.max = max;
        this.send = send;
        this.pressure = pressure;
    }

    /** Parsed {@code subscribe} data: the selection, where to resume ({@code stateIndex}, {@code epoch}), {@code events}. */
    static final class Spec {
        final SessionSelection selection;
        final ResumePoint resume;
        final boolean events;

        Spec(SessionSelection selection, ResumePoint resume, boolean events) {
            this.selection = selection;
            this.resume = resume;
            this.events = events;
        }
    }

    static Spec parse(JsonNode data) {
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
        ResumePoint resume = ResumePoint.of(stateIndex, epoch, String.valueOf(epochNode), "data.epoch", "data.stateIndex");
        JsonNode events = selection.remove("events");
        if (events != null && !events.isNull() && !events.isBoolean()) {
            throw ProtocolException.invalid("data.events: expected true or false, got " + events);
        }
        return new Spec(Selections.read(selection, "data"), resume, events != null && events.asBoolean());
    }

    void subscribe(Request request) {
        Spec spec;
        try {
            spec = parse(request.data());
        } catch (RuntimeException e) {
            send.accept(Reply.failure(request.id(), Failure.of(e)));
            return;
        }
        if (hub == null) {
            send.accept(Reply.failure(request.id(), new Failure(ErrorCode.INTERNAL, "live state is not available")));
            return;
        }
        String name = "sub-" + counter.incrementAndGet();
        Live live = new Live(name, request.id(), spec);
        synchronized (active) {
            if (active.size() >= max) {
                send.accept(Reply.failure(request.id(), new Failure(ErrorCode.LIMIT_EXCEEDED,
                        "too many subscriptions on this connection (limit " + max + "); unsubscribe first")));
                return;
            }
            active.put(name, live);
        }
        hub.signals(spec.selection, spec.resume.index, spec.resume.epoch).subscribe(live);
        if (closed) {
            live.dispose();
        }
    }

    /** Ends a subscription of this connection; answers null. */
    Object unsubscribe(JsonNode data) {
        JsonNode target = data == null || !data.isObject() ? null : data.get("subscription");
        if (target == null || !target.isTextual() || data.size() != 1) {
            throw ProtocolException.invalid("data: unsubscribe takes only {\"subscription\": \"<id from subscribe>\"}");
        }
        Live live = active.remove(target.textValue());
        if (live == null) {
            throw ProtocolException.invalid("data.subscription: no subscription \"" + target.textValue()
                    + "\" on this connection");
        }
        live.dispose();
        return null;
    }

    int size() {
        return active.size();
    }

    void close() {
        closed = true;
        List<Live> all = new ArrayList<>(active.values());
        active.clear();
        all.forEach(Live::dispose);
        pressure.clear();
    }

    /** One subscription: reply first, then pushes, one signal in flight at a time. */
    private final class Live extends BaseSubscriber<StateSignal> {
        final String name;
        final long requestId;
        final Spec spec;
        private boolean replied;

        Live(String name, long requestId, Spec spec) {
            this.name = name;
            this.requestId = requestId;
            this.spec = spec;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(StateSignal signal) {
            if (!replied) {
                replied = true;
                // A daemon signal comes first only when no state is known yet (down since before this
                // selection's first answer): the reply keeps the client's own index (0 when none).
                boolean known = signal.kind() != StateSignal.Kind.DAEMON;
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("subscription", name);
                data.put("stateIndex", known ? signal.stateIndex() : spec.resume.index);
                data.put("epoch", known ? signal.epoch() : spec.resume.epoch);
                send.accept(Reply.success(Actions.SUBSCRIBE, requestId, data));
            }
            switch (signal.kind()) {
                case SNAPSHOT:
                    send.accept(Reply.push(Actions.STATE, requestId, "", stateData(signal.snapshot(), name)));
                    if (spec.events) {
                        for (StateEvent event : signal.events()) {
                            send.accept(Reply.push(Actions.EVENT, requestId, "", eventData(event)));
                        }
                    }
                    break;
                case DAEMON: {
                    DaemonAvailability a = signal.daemon();
                    Map<String, Object> data = WebSocketConnection.daemonData(a);
                    data.put("subscription", name);
                    send.accept(Reply.push(Actions.DAEMON, requestId, a.isConnected() ? "" : a.problem(), data));
                    break;
                }
                default:
                    break; // UNCHANGED: the reply said it all.
            }
            pressure.whenDrained(() -> {
                if (!isDisposed()) {
                    request(1);
                }
            });
        }

        @Override
        protected void hookOnError(Throwable error) {
            // Terminal for this subscription only (e.g. its named session was terminated).
            active.remove(name, this);
            send.accept(Reply.failure(requestId, Failure.of(error)));
        }

        @Override
        protected void hookOnComplete() {
            active.remove(name, this);
            if (!replied) {
                // The hub closed before the first signal (server shutting down): the request still gets its answer.
                replied = true;
                send.accept(Reply.failure(requestId, new Failure(ErrorCode.CANCELLED,
                        "live state is shutting down; subscribe again later")));
            }
        }
    }

    /** The {@code event} push data: the event's JSON, encoded once and shared by every subscriber. */
    static Object eventData(StateEvent event) {
        return event.json();
    }

    /** The {@code state} push data; the session states are the snapshot's shared, already encoded JSON. */
    static Map<String, Object> stateData(SessionStates snapshot, String subscription) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stateIndex", snapshot.stateIndex());
        data.put("epoch", snapshot.epoch());
        data.put("sessionStates", snapshot.sessionStatesJson());
        data.put("subscription", subscription);
        return data;
    }
}

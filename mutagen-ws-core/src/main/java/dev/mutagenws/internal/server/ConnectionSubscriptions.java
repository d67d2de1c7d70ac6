package dev.mutagenws.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.internal.actions.ActionData;
import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.actions.Subscribe;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.AvailabilityJson;
import dev.mutagenws.internal.protocol.Failure;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.internal.protocol.Reply;
import dev.mutagenws.internal.protocol.Request;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import dev.mutagenws.state.StateSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live-state subscriptions of one WebSocket connection ({@code subscribe}/{@code unsubscribe},
 * docs/protocol.md, Live state): each takes the action layer's signals of its selection through a
 * {@link PacedSubscriber}, so a slow client is conflated to the latest state instead of queueing old ones.
 */
public final class ConnectionSubscriptions {
    private final ActionExecutor actions;
    private final int max;
    private final Consumer<Reply> send;
    private final OutboundPressure pressure;
    private final Map<String, Live> active = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private volatile boolean closed;

    ConnectionSubscriptions(ActionExecutor actions, int max, Consumer<Reply> send, OutboundPressure pressure) {
        this.actions = actions;
        this.max = max;
        this.send = send;
        this.pressure = pressure;
    }

    void subscribe(Request request) {
        Subscribe spec;
        try {
            spec = ActionData.subscribe(request.data());
        } catch (RuntimeException e) {
            send.accept(Reply.failure(request.id(), Failure.of(e)));
            return;
        }
        String name = "sub-" + counter.incrementAndGet();
        Live live = new Live(name, request.id(), spec);
        synchronized (active) {
            if (active.size() >= max) {
                send.accept(Reply.failure(request.id(), new Failure(Outcome.TOO_MANY,
                        "too many subscriptions on this connection (limit " + max + "); unsubscribe first")));
                return;
            }
            active.put(name, live);
        }
        actions.subscribe(spec).subscribe(live);
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

    void close() {
        closed = true;
        List<Live> all = new ArrayList<>(active.values());
        active.clear();
        all.forEach(Live::dispose);
        pressure.clear();
    }

    /** One subscription: reply first, then pushes, one signal in flight at a time. */
    private final class Live extends PacedSubscriber<StateSignal> {
        final String name;
        final long requestId;
        final Subscribe spec;
        private boolean replied;

        Live(String name, long requestId, Subscribe spec) {
            super(pressure);
            this.name = name;
            this.requestId = requestId;
            this.spec = spec;
        }

        @Override
        protected void write(StateSignal signal) {
            if (!replied) {
                replied = true;
                // A daemon signal comes first only when no state is known yet (down since before this
                // selection's first answer): the reply keeps the client's own index (0 when none).
                boolean known = signal.kind() != StateSignal.Kind.DAEMON;
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("subscription", name);
                data.put("stateIndex", known ? signal.stateIndex() : spec.resume().index());
                data.put("epoch", known ? signal.epoch() : spec.resume().epoch());
                send.accept(Reply.success(Actions.SUBSCRIBE, requestId, data));
            }
            switch (signal.kind()) {
                case SNAPSHOT:
                    send.accept(Reply.push(Actions.STATE, requestId, "", stateData(signal.snapshot(), name)));
                    if (spec.events()) {
                        for (StateEvent event : signal.events()) {
                            send.accept(Reply.push(Actions.EVENT, requestId, "", eventData(event)));
                        }
                    }
                    break;
                case DAEMON: {
                    DaemonAvailability a = signal.daemon();
                    Map<String, Object> data = AvailabilityJson.data(a);
                    data.put("subscription", name);
                    send.accept(Reply.push(Actions.DAEMON, requestId, AvailabilityJson.message(a), data));
                    break;
                }
                default:
                    break; // UNCHANGED: the reply said it all.
            }
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
                send.accept(Reply.failure(requestId, Failure.of(ProtocolException.shuttingDown())));
            }
        }
    }

    /** The {@code event} push data: the event's JSON, encoded once and shared by every subscriber. */
    public static Object eventData(StateEvent event) {
        return event.json();
    }

    /** The {@code state} push data; the session states are the snapshot's shared, already encoded JSON. */
    public static Map<String, Object> stateData(SessionStates snapshot, String subscription) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stateIndex", snapshot.stateIndex());
        data.put("epoch", snapshot.epoch());
        data.put("sessionStates", snapshot.sessionStatesJson());
        data.put("subscription", subscription);
        return data;
    }
}

package dev.mutagenws.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.internal.actions.ActionData;
import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.AvailabilityJson;
import dev.mutagenws.internal.protocol.Failure;
import dev.mutagenws.internal.protocol.FrameDecoder;
import dev.mutagenws.internal.protocol.JsonTypes;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.internal.protocol.Reply;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.protocol.Request;
import dev.mutagenws.server.GatewayOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One client on {@code /synchronization}: the WebSocket adapter. Each text message is one request, decoded
 * ({@link FrameDecoder}), parsed into an action ({@link ActionData}), executed by the {@link ActionExecutor}
 * and answered, concurrently with the others up to {@link GatewayOptions#maxInFlight()}; what is the
 * connection's own (prompts and their answers, cancel, subscriptions) is handled here. Closing the socket
 * cancels every request in flight, and with them their gRPC calls and prompts.
 */
public final class WebSocketConnection {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final ActionExecutor actions;
    private final ReplyWriter writer;
    private final GatewayOptions options;
    private final OutboundPressure pressure;
    private final PacedSink<byte[]> outbound;
    private final TextMessages messages;
    private final ConnectionPrompts prompts;
    private final ConnectionSubscriptions subscriptions;
    /** Requests in flight by client id (ids need not be unique). */
    private final Map<Long, List<InFlight>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger inFlightCount = new AtomicInteger();
    private final Disposable.Composite resources = Disposables.composite();
    private volatile boolean closed;
    private volatile WebsocketOutbound out;

    public WebSocketConnection(ActionExecutor actions, ReplyWriter writer, GatewayOptions options, QueuedFrames queued) {
        this.actions = actions;
        this.writer = writer;
        this.options = options;
        this.pressure = new OutboundPressure(queued);
        this.outbound = new PacedSink<>(pressure);
        this.messages = new TextMessages(options.maxFrameSize(), this::dispatch,
                refused -> send(Reply.failure(0, Failure.of(refused))));
        this.prompts = new ConnectionPrompts(this::send, options.promptTimeout());
        this.subscriptions = new ConnectionSubscriptions(actions, options.maxSubscriptions(), this::send, pressure);
    }

    public Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
        this.out = out;
        resources.add(watchAvailability());
        Mono<Void> receive = in.receiveFrames()
                .doOnNext(messages::accept)
                .then()
                .doFinally(signal -> close());
        // A frame stops counting against the subscriptions when the socket has written it (not when
        // the send loop, which prefetches, takes it): see OutboundPressure.
        out.withConnection(connection -> pressure.install(connection, OutboundPressure::isTextFrame));
        // UTF-8 bytes straight from the encoder into text frames (no String in between).
        Mono<Void> send = out.sendObject(outbound.asFlux()
                        .map(bytes -> new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))))
                .then();
        return Mono.when(receive, send);
    }

    /**
     * Pushes {@code daemon} when the daemon's availability differs from what this connection last saw: up or
     * down, another version, or another reason while down. The value replayed during subscribe is the state at
     * connect time (not news). When nothing was known yet at connect time (the first probe still running), a
     * client assumes a working daemon, so only "down" is news then.
     */
    private Disposable watchAvailability() {
        AtomicReference<DaemonAvailability> last = new AtomicReference<>();
        AtomicBoolean subscribing = new AtomicBoolean(true);
        Disposable watch = actions.availability().subscribe(a -> {
            DaemonAvailability previous = last.getAndSet(a);
            if (subscribing.get() && previous == null) {
                return;
            }
            boolean news = previous == null ? !a.isConnected() : !previous.equals(a);
            if (news) {
                send(Reply.push(Actions.DAEMON, 0, AvailabilityJson.message(a), AvailabilityJson.data(a)));
            }
        });
        subscribing.set(false);
        return watch;
    }

    private void dispatch(String text) {
        Request request;
        try {
            request = FrameDecoder.decode(text);
        } catch (FrameDecoder.RequestException e) {
            send(Reply.failure(e.id(), Failure.of(e.getCause())));
            return;
        } catch (ProtocolException e) {
            send(Reply.failure(0, Failure.of(e)));
            return;
        }
        switch (request.action()) {
            case Actions.ANSWER -> respondNow(request, () -> {
                prompts.answer(request.data());
                return null;
            });
            case Actions.CANCEL -> respondNow(request, () -> {
                cancel(request);
                return null;
            });
            case Actions.SUBSCRIBE -> subscriptions.subscribe(request);
            case Actions.UNSUBSCRIBE -> respondNow(request, () -> subscriptions.unsubscribe(request.data()));
            default -> execute(request);
        }
    }

    /** A daemon action: through the action layer, as its own pipeline, counted against the in-flight limit. */
    private void execute(Request request) {
        if (!ActionData.isAction(request.action())) {
            send(Reply.failure(request.id(), Failure.of(ProtocolException.unknownAction(request.action()))));
            return;
        }
        if (inFlightCount.incrementAndGet() > options.maxInFlight()) {
            inFlightCount.decrementAndGet();
            send(Reply.failure(request.id(), new Failure(Outcome.TOO_MANY, "too many requests in flight on this"
                    + " connection (limit " + options.maxInFlight() + "); wait for replies before sending more")));
            return;
        }
        InFlight entry = new InFlight(request);
        inFlight.computeIfAbsent(request.id(), id -> new CopyOnWriteArrayList<>()).add(entry);
        long started = System.nanoTime();
        entry.subscription.update(Mono.defer(() -> actions.execute(
                        ActionData.parse(request.action(), request.data(), "data"), prompts.forRequest(request.id())))
                .map(data -> Reply.success(request.action(), request.id(), data))
                .onErrorResume(error -> Mono.just(Reply.failure(request.id(), Failure.of(error))))
                .doFinally(signal -> finished(entry))
                .subscribe(reply -> {
                    if (log.isDebugEnabled()) {
                        log.debug("{} id={} code={} {} ms", request.action(), request.id(), reply.code(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                    send(reply);
                }));
        if (closed) {
            entry.subscription.dispose();
        }
    }

    /** Answers a connection-level action that completes at once. */
    private void respondNow(Request request, Supplier<Object> action) {
        try {
            send(Reply.success(request.action(), request.id(), action.get()));
        } catch (RuntimeException e) {
            send(Reply.failure(request.id(), Failure.of(e)));
        }
    }

    private void cancel(Request request) {
        JsonNode data = request.data();
        if (data == null || !data.isObject()) {
            throw ProtocolException.invalid("data: expected {\"id\": <id of a request in flight>}, got "
                    + JsonTypes.describe(data));
        }
        JsonNode target = data.get("id");
        if (data.size() != (target == null ? 0 : 1)) {
            throw ProtocolException.invalid("data: cancel takes only {\"id\": <id of a request in flight>}");
        }
        if (target == null || !target.isIntegralNumber() || !target.canConvertToLong()) {
            throw ProtocolException.invalid("data.id: expected the integer id of a request in flight");
        }
        long id = target.longValue();
        List<InFlight> entries = inFlight.remove(id);
        if (entries == null || entries.isEmpty()) {
            throw ProtocolException.invalid("no request with id " + id + " is in flight");
        }
        for (InFlight entry : entries) {
            if (entry.cancel()) {
                send(Reply.failure(id, new Failure(Outcome.CANCELLED, "cancelled by request " + request.id())));
            }
        }
    }

    private void finished(InFlight entry) {
        inFlightCount.decrementAndGet();
        inFlight.computeIfPresent(entry.request.id(), (id, list) -> {
            list.remove(entry);
            return list.isEmpty() ? null : list;
        });
    }

    /** Emits one reply; safe from any thread. */
    void send(Reply reply) {
        if (closed) {
            return;
        }
        byte[] text;
        try {
            text = writer.writeUtf8(reply);
        } catch (RuntimeException e) {
            log.error("could not encode {}", reply, e);
            text = writer.writeUtf8(Reply.failure(reply.id(), Failure.of(e)));
        }
        outbound.emit(text);
    }

    /**
     * Server shutdown: sends the close frame with 1001 (going away) first, so that it is the status the client
     * sees, then cancels everything in flight (daemon calls, prompts). Completes when the close frame is out.
     */
    public Mono<Void> goingAway() {
        WebsocketOutbound current = out;
        if (current == null) {
            return Mono.<Void>empty().doFinally(signal -> close());
        }
        Sinks.Empty<Void> sent = Sinks.empty();
        current.withConnection(connection -> {
            Channel channel = connection.channel();
            try {
                // On the channel's event loop, where it cannot close underneath: Reactor Netty's close frame leaks
                // when the write fails before Netty takes it (a client closing at the same moment).
                channel.eventLoop().execute(() -> {
                    if (!channel.isActive()) {
                        sent.tryEmitEmpty();
                        return;
                    }
                    current.sendClose(1001, ProtocolException.SHUTTING_DOWN)
                            .subscribe(null, e -> sent.tryEmitEmpty(), sent::tryEmitEmpty);
                });
            } catch (RuntimeException e) {
                sent.tryEmitEmpty(); // no event loop to run on: the channel is gone already
            }
        });
        return sent.asMono().doFinally(signal -> close());
    }

    /** The socket closed: cancel everything that belongs to it. */
    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        resources.dispose();
        subscriptions.close();
        List<InFlight> all = new ArrayList<>();
        inFlight.values().forEach(all::addAll);
        inFlight.clear();
        all.forEach(InFlight::cancel);
        prompts.clear();
        outbound.complete();
        if (!all.isEmpty()) {
            log.debug("connection closed with {} requests in flight; cancelled", all.size());
        }
    }

    /** A running request; cancelling it cancels its gRPC call and prompts. */
    private static final class InFlight {
        final Request request;
        final Disposable.Swap subscription = Disposables.swap();

        InFlight(Request request) {
            this.request = request;
        }

        /** Returns true when this call stopped a running request. */
        boolean cancel() {
            boolean running = !subscription.isDisposed();
            subscription.dispose();
            return running;
        }
    }
}

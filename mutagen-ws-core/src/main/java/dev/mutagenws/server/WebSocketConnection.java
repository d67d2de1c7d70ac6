package dev.mutagenws.server;

import dev.mutagenws.daemon.DaemonAvailability;
import dev.mutagenws.protocol.Actions;
import dev.mutagenws.protocol.ErrorCode;
import dev.mutagenws.protocol.Failure;
import dev.mutagenws.protocol.FrameDecoder;
import dev.mutagenws.protocol.ProtocolException;
import dev.mutagenws.protocol.Reply;
import dev.mutagenws.protocol.ReplyWriter;
import dev.mutagenws.protocol.Request;
import dev.mutagenws.protocol.SynchronizationService;
import dev.mutagenws.state.StateHub;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One client on {@code /synchronization}. Each text message is one request, run as its own
 * pipeline (decode, validate, host a prompter, call the daemon, encode, send) concurrently with
 * the others up to {@link GatewayOptions#maxInFlight()}. Closing the socket cancels every request
 * in flight, and with them their gRPC calls and prompts. A {@code list} long-poll waits as the
 * service's {@link dev.mutagenws.protocol.ListLongPoll} does: in the gateway, on the shared state
 * loop of its selection (leaving it when cancelled), not on a daemon call of its own.
 */
final class WebSocketConnection {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final SynchronizationService service;
    private final ReplyWriter writer;
    private final GatewayOptions options;
    private final Flux<DaemonAvailability> availability;
    private final Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final ConnectionPrompts prompts;
    /** Requests in flight by client id (ids need not be unique). */
    private final Map<Long, List<InFlight>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger inFlightCount = new AtomicInteger();
    private final Disposable.Composite resources = Disposables.composite();
    private final OutboundPressure pressure = new OutboundPressure();
    private final ConnectionSubscriptions subscriptions;
    private volatile boolean closed;
    private volatile WebsocketOutbound out;

    /** Fragments of the text message being received; touched only on the connection's event loop. */
    private ByteArrayOutputStream fragments;
    private long fragmentedSize;
    private boolean fragmentIsBinary;

    WebSocketConnection(SynchronizationService service, ReplyWriter writer, GatewayOptions options,
            Flux<DaemonAvailability> availability) {
        this(service, writer, options, availability, null);
    }

    WebSocketConnection(SynchronizationService service, ReplyWriter writer, GatewayOptions options,
            Flux<DaemonAvailability> availability, StateHub states) {
        this.service = service;
        this.writer = writer;
        this.options = options;
        this.availability = availability;
        this.prompts = new ConnectionPrompts(this::send, options.promptTimeout());
        this.subscriptions = new ConnectionSubscriptions(states, options.maxSubscriptions(), this::send, pressure);
    }

    Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
        this.out = out;
        resources.add(watchAvailability());
        Mono<Void> receive = in.receiveFrames()
                .doOnNext(this::onFrame)
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
        Disposable watch = availability.subscribe(a -> {
            DaemonAvailability previous = last.getAndSet(a);
            if (subscribing.get() && previous == null) {
                return;
            }
            boolean news = previous == null ? !a.isConnected() : !previous.equals(a);
            if (news) {
                send(Reply.push(Actions.DAEMON, 0, a.isConnected() ? "" : a.problem(), daemonData(a)));
            }
        });
        subscribing.set(false);
        return watch;
    }

    static Map<String, Object> daemonData(DaemonAvailability a) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connected", a.isConnected());
        data.put("version", a.version());
        return data;
    }

    /** Frames queued for this client and not yet written to its socket (tests, metrics). */
    int pendingFrames() {
        return pressure.queued();
    }

    /** Runs on the event loop; frame content is released after this returns, so it is copied here. */
    private void onFrame(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            boolean binary = frame instanceof BinaryWebSocketFrame;
            if (frame.isFinalFragment()) {
                complete(binary, frame.content(), frame.content().readableBytes(), null);
            } else {
                fragments = new ByteArrayOutputStream();
                fragmentedSize = 0;
                fragmentIsBinary = binary;
                append(frame.content());
            }
        } else if (frame instanceof ContinuationWebSocketFrame && fragments != null) {
            append(frame.content());
            if (frame.isFinalFragment()) {
                ByteArrayOutputStream whole = fragments;
                fragments = null;
                complete(fragmentIsBinary, null, fragmentedSize, whole);
            }
        }
        // Ping, pong and close frames are handled by Reactor Netty.
    }

    private void append(ByteBuf content) {
        fragmentedSize += content.readableBytes();
        if (fragmentedSize <= options.maxFrameSize() && !fragmentIsBinary) {
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            fragments.writeBytes(bytes);
        }
    }

    private void complete(boolean binary, ByteBuf content, long size, ByteArrayOutputStream assembled) {
        if (binary) {
            send(Reply.failure(0, new Failure(ErrorCode.INVALID_REQUEST,
                    "binary messages are not supported: send each request as a JSON text message")));
            return;
        }
        if (size > options.maxFrameSize()) {
            send(Reply.failure(0, new Failure(ErrorCode.LIMIT_EXCEEDED, "message too large: " + size
                    + " bytes, the limit is " + options.maxFrameSize() + " bytes", 413)));
            return;
        }
        String text = assembled != null ? assembled.toString(StandardCharsets.UTF_8)
                : content.toString(StandardCharsets.UTF_8);
        dispatch(text);
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
            case Actions.ANSWER:
                respondNow(request, () -> {
                    prompts.answer(request.data());
                    return null;
                });
                return;
            case Actions.CANCEL:
                respondNow(request, () -> {
                    cancel(request);
                    return null;
                });
                return;
            case Actions.SUBSCRIBE:
                subscriptions.subscribe(request);
                return;
            case Actions.UNSUBSCRIBE:
                respondNow(request, () -> subscriptions.unsubscribe(request.data()));
                return;
            default:
                break;
        }
        if (!Actions.DAEMON_ACTIONS.contains(request.action())) {
            send(Reply.failure(request.id(), new Failure(ErrorCode.UNKNOWN_ACTION, "unknown action \""
                    + request.action() + "\"; known actions: " + String.join(", ", Actions.REQUESTS))));
            return;
        }
        if (inFlightCount.incrementAndGet() > options.maxInFlight()) {
            inFlightCount.decrementAndGet();
            send(Reply.failure(request.id(), new Failure(ErrorCode.LIMIT_EXCEEDED, "too many requests in flight on"
                    + " this connection (limit " + options.maxInFlight() + "); wait for replies before sending more")));
            return;
        }
        InFlight entry = new InFlight(request);
        inFlight.computeIfAbsent(request.id(), id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(entry);
        long started = System.nanoTime();
        entry.subscription.update(service.execute(request.action(), request.data(), prompts.forRequest(request.id()))
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
    private void respondNow(Request request, java.util.function.Supplier<Object> action) {
        try {
            send(Reply.success(request.action(), request.id(), action.get()));
        } catch (RuntimeException e) {
            send(Reply.failure(request.id(), Failure.of(e)));
        }
    }

    private void cancel(Request request) {
        com.fasterxml.jackson.databind.JsonNode data = request.data();
        if (data == null || !data.isObject()) {
            throw ProtocolException.invalid("data: expected {\"id\": <id of a request in flight>}, got "
                    + dev.mutagenws.protocol.JsonTypes.describe(data));
        }
        com.fasterxml.jackson.databind.JsonNode target = data.get("id");
        if (data != null && data.isObject() && data.size() != (target == null ? 0 : 1)) {
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
                send(Reply.failure(id, new Failure(ErrorCode.CANCELLED, "cancelled by request " + request.id())));
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
        synchronized (outbound) {
            if (outbound.tryEmitNext(text).isSuccess()) {
                pressure.emitted();
            }
        }
    }

    /**
     * Server shutdown: sends the close frame with 1001 (going away) first, so that it is the status the client
     * sees, then cancels everything in flight (daemon calls, prompts). Completes when the close frame is out.
     */
    Mono<Void> goingAway() {
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
                    current.sendClose(1001, "server shutting down")
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
        synchronized (outbound) {
            outbound.tryEmitComplete();
        }
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

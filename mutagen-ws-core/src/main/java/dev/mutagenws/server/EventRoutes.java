package dev.mutagenws.server;

import static dev.mutagenws.server.QueryParameters.selectionNode;
import static dev.mutagenws.server.QueryParameters.single;

import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.protocol.ErrorCode;
import dev.mutagenws.protocol.Failure;
import dev.mutagenws.protocol.ProtocolException;
import dev.mutagenws.protocol.Reply;
import dev.mutagenws.protocol.ReplyWriter;
import dev.mutagenws.protocol.Selections;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import dev.mutagenws.state.StateHub;
import dev.mutagenws.state.StateSignal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * {@code GET /api/synchronization/events}: the live state of a selection as Server-Sent Events
 * ({@code id:} the state index and its epoch, {@code event:} {@code state}, an event type, {@code daemon} or
 * {@code failure}), or as newline-delimited JSON with {@code Accept: application/x-ndjson} (one
 * object per line with a {@code type}). Resumes after {@code Last-Event-ID} or {@code ?stateIndex=};
 * idle streams get a keep-alive every {@link GatewayOptions#keepAlive()}.
 */
final class EventRoutes {
    static final String EVENTS = "/api/synchronization/events";
    static final String SSE = "text/event-stream; charset=utf-8";
    static final String NDJSON = "application/x-ndjson; charset=utf-8";
    private static final Set<String> PARAMS = Set.of("id", "name", "label", "stateIndex", "epoch", "events", "token");
    /** Reconnect delay suggested to EventSource clients. */
    private static final long RETRY_MILLIS = 1000;

    enum Format { SSE, NDJSON }

    private final StateHub hub;
    private final ReplyWriter writer;
    private final GatewayOptions options;

    /** Open streams, each with its chunks not yet written. */
    private final Set<OutboundPressure> streams = ConcurrentHashMap.newKeySet();

    EventRoutes(StateHub hub, ReplyWriter writer, GatewayOptions options) {
        this.hub = hub;
        this.writer = writer;
        this.options = options;
    }

    void register(HttpServerRoutes routes) {
        routes.get(EVENTS, this::events);
    }

    private Publisher<Void> events(HttpServerRequest request, HttpServerResponse response) {
        Format format;
        SessionSelection selection;
        ResumePoint resume;
        boolean withEvents;
        try {
            Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
            for (String name : params.keySet()) {
                if (!PARAMS.contains(name)) {
                    throw ProtocolException.invalid("unknown query parameter \"" + name + "\"");
                }
            }
            selection = Selections.read(selectionNode(params, false), "query");
            String lastEventId = request.requestHeaders().get("Last-Event-ID");
            // An EventSource reconnecting sends the id it saw last; it wins over the URL's original stateIndex.
            resume = lastEventId != null && !lastEventId.isBlank()
                    ? ResumePoint.parse(lastEventId.trim(), null, "header Last-Event-ID")
                    : ResumePoint.parse(single(params, "stateIndex"), single(params, "epoch"), "query.stateIndex");
            withEvents = bool(single(params, "events"));
            String accept = request.requestHeaders().get(HttpHeaderNames.ACCEPT, "");
            format = accept.contains("application/x-ndjson") ? Format.NDJSON : Format.SSE;
        } catch (RuntimeException e) {
            return fail(response, e);
        }
        Scheduler scheduler = hub.options().scheduler();
        // The response starts with the first signal, so that a failing selection is still an HTTP error.
        return hub.signals(selection, resume.index, resume.epoch).switchOnFirst((first, signals) -> {
            if (first.hasError()) {
                return fail(response, first.getThrowable());
            }
            if (!first.hasValue()) {
                return fail(response, new ProtocolException(ErrorCode.CANCELLED,
                        "the server is shutting down"));
            }
            // Chunks count until the socket has written them, so a stalled reader holds a few, not a prefetch.
            OutboundPressure pressure = new OutboundPressure();
            response.withConnection(c -> pressure.install(c, OutboundPressure::isBodyChunk));
            streams.add(pressure);
            return Mono.from(HttpReplies.secure(response.status(HttpResponseStatus.OK))
                    .header(HttpHeaderNames.CONTENT_TYPE, format == Format.SSE ? SSE : NDJSON)
                    .header("X-Accel-Buffering", "no")
                    .sendString(body(signals, format, withEvents, options.keepAlive(), scheduler, pressure),
                            StandardCharsets.UTF_8))
                    .doFinally(s -> {
                        streams.remove(pressure);
                        response.withConnection(OutboundPressure::uninstall);
                    });
        }).then();
    }

    /** Chunks of all open streams queued and not yet written to their sockets (tests, metrics). */
    int pendingChunks() {
        int n = 0;
        for (OutboundPressure p : streams) {
            n += p.queued();
        }
        return n;
    }

    private Mono<Void> fail(HttpServerResponse response, Throwable error) {
        Failure failure = Failure.of(error);
        return Mono.from(HttpReplies.json(response, failure.httpStatus(), writer.write(Reply.failure(0, failure), true)));
    }

    /**
     * The stream's text without a socket (tests): a chunk counts as written when it is taken
     * downstream, so the subscriber's demand alone paces the signals.
     */
    Flux<String> body(Flux<StateSignal> signals, Format format, boolean withEvents, Duration keepAlive,
            Scheduler scheduler) {
        OutboundPressure pressure = new OutboundPressure();
        return body(signals, format, withEvents, keepAlive, scheduler, pressure).doOnNext(text -> pressure.written());
    }

    /**
     * The stream's text: one chunk per signal (a snapshot and its events together), keep-alives while
     * idle, and a {@code failure} record if the subscription ends in an error. The next signal is
     * asked of the hub only when few chunks wait for the socket ({@code pressure}), so a slow reader
     * is conflated to the latest state by the hub instead of queueing old ones here.
     */
    Flux<String> body(Flux<StateSignal> signals, Format format, boolean withEvents, Duration keepAlive,
            Scheduler scheduler, OutboundPressure pressure) {
        return Flux.defer(() -> {
            Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
            // Signals, keep-alives and the end come from different threads: one emitter at a time.
            Consumer<String> emit = text -> {
                synchronized (chunks) {
                    if (chunks.tryEmitNext(text).isSuccess()) {
                        pressure.emitted();
                    }
                }
            };
            Disposable.Swap ticks = Disposables.swap();
            BaseSubscriber<StateSignal> reader = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(Subscription subscription) {
                    request(1);
                }

                @Override
                protected void hookOnNext(StateSignal signal) {
                    String text = frame(signal, format, withEvents);
                    if (!text.isEmpty()) {
                        emit.accept(text);
                    }
                    pressure.whenDrained(() -> {
                        if (!isDisposed()) {
                            request(1);
                        }
                    });
                }

                @Override
                protected void hookOnError(Throwable error) {
                    emit.accept(failure(Failure.of(error), format));
                }

                @Override
                protected void hookFinally(SignalType type) {
                    ticks.dispose();
                    synchronized (chunks) {
                        chunks.tryEmitComplete();
                    }
                }
            };
            if (format == Format.SSE) {
                emit.accept("retry: " + RETRY_MILLIS + "\n\n");
            }
            String keepAliveText = format == Format.SSE ? ": keep-alive\n\n" : "{\"type\":\"keep-alive\"}\n";
            return chunks.asFlux()
                    .doOnSubscribe(s -> {
                        // Only an idle stream needs a keep-alive; a waiting chunk keeps it alive already.
                        ticks.update(Flux.interval(keepAlive, keepAlive, scheduler)
                                .subscribe(tick -> {
                                    if (pressure.queued() == 0) {
                                        emit.accept(keepAliveText);
                                    }
                                }));
                        signals.subscribe(reader);
                    })
                    .doOnCancel(() -> {
                        reader.dispose();
                        ticks.dispose();
                    });
        });
    }

    String frame(StateSignal signal, Format format, boolean withEvents) {
        StringBuilder out = new StringBuilder();
        switch (signal.kind()) {
            case SNAPSHOT: {
                SessionStates s = signal.snapshot();
                // The id carries the daemon run with the index, so a resume after a restart is never taken as current.
                String id = Long.toUnsignedString(s.stateIndex()) + "@" + s.epoch();
                String json = s.json().json(); // encoded once, shared by every stream of the selection
                if (format == Format.SSE) {
                    sse(out, id, "state", json);
                } else {
                    out.append("{\"type\":\"state\",").append(json, 1, json.length()).append('\n');
                }
                if (withEvents) {
                    for (StateEvent e : signal.events()) {
                        String event = e.json().json();
                        if (format == Format.SSE) {
                            sse(out, id, e.type(), event);
                        } else {
                            out.append(event).append('\n');
                        }
                    }
                }
                break;
            }
            case UNCHANGED:
                if (format == Format.SSE) {
                    out.append(": unchanged since ").append(Long.toUnsignedString(signal.stateIndex())).append('@')
                            .append(signal.epoch()).append("\n\n");
                } else {
                    out.append("{\"type\":\"unchanged\",\"stateIndex\":")
                            .append(Long.toUnsignedString(signal.stateIndex())).append(",\"epoch\":\"")
                            .append(signal.epoch()).append("\"}\n");
                }
                break;
            default: {
                Map<String, Object> data = new LinkedHashMap<>();
                if (format == Format.NDJSON) {
                    data.put("type", "daemon");
                }
                data.putAll(WebSocketConnection.daemonData(signal.daemon()));
                if (!signal.daemon().isConnected()) {
                    data.put("error", signal.daemon().problem());
                }
                if (format == Format.SSE) {
                    sse(out, null, "daemon", writer.writeValue(data));
                } else {
                    out.append(writer.writeValue(data)).append('\n');
                }
            }
        }
        return out.toString();
    }

    private String failure(Failure failure, Format format) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (format == Format.NDJSON) {
            data.put("type", "failure");
        }
        data.put("code", failure.code().code());
        data.put("message", failure.message());
        if (format == Format.NDJSON) {
            return writer.writeValue(data) + "\n";
        }
        StringBuilder out = new StringBuilder();
        sse(out, null, "failure", writer.writeValue(data));
        return out.toString();
    }

    /** Our JSON is compact (no raw newlines), so each record is a single {@code data:} line. */
    private static void sse(StringBuilder out, String id, String event, String data) {
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        out.append("event: ").append(event).append('\n').append("data: ").append(data).append("\n\n");
    }

    private static boolean bool(String value) {
        if (value == null || "false".equals(value) || "0".equals(value)) {
            return false;
        }
        if ("true".equals(value) || "1".equals(value) || value.isEmpty()) {
            return true;
        }
        throw ProtocolException.invalid("query.events: expected true or false, got \"" + value + "\"");
    }
}

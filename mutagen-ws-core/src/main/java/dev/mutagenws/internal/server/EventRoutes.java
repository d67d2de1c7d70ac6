package dev.mutagenws.internal.server;

import dev.mutagenws.internal.actions.ActionExecutor;
import dev.mutagenws.internal.actions.ResumePoint;
import dev.mutagenws.internal.actions.Subscribe;
import dev.mutagenws.internal.protocol.AvailabilityJson;
import dev.mutagenws.internal.protocol.Failure;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.server.security.SecurityHeaders;
import dev.mutagenws.server.GatewayOptions;
import dev.mutagenws.state.SessionStates;
import dev.mutagenws.state.StateEvent;
import dev.mutagenws.state.StateSignal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
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
public final class EventRoutes {
    public static final String EVENTS = "/api/synchronization/events";
    static final String SSE = "text/event-stream; charset=utf-8";
    static final String NDJSON = "application/x-ndjson; charset=utf-8";
    private static final Set<String> PARAMS = Set.of("id", "name", "label", "stateIndex", "epoch", "events");
    /** Reconnect delay suggested to EventSource clients. */
    private static final long RETRY_MILLIS = 1000;

    enum Format { SSE, NDJSON }

    private final ActionExecutor actions;
    private final HttpReplies replies;
    private final ReplyWriter writer;
    private final GatewayOptions options;
    private final Scheduler scheduler;
    private final QueuedFrames queued;

    public EventRoutes(ActionExecutor actions, HttpReplies replies, ReplyWriter writer, GatewayOptions options,
            Scheduler scheduler, QueuedFrames queued) {
        this.actions = actions;
        this.replies = replies;
        this.writer = writer;
        this.options = options;
        this.scheduler = scheduler;
        this.queued = queued;
    }

    public void register(HttpServerRoutes routes) {
        routes.get(EVENTS, this::events);
    }

    private Publisher<Void> events(HttpServerRequest request, HttpServerResponse response) {
        Format format;
        Subscribe subscribe;
        try {
            QueryParameters query = QueryParameters.read(request, PARAMS);
            String lastEventId = request.requestHeaders().get("Last-Event-ID");
            // An EventSource reconnecting sends the id it saw last; it wins over the URL's original stateIndex.
            ResumePoint resume = lastEventId != null && !lastEventId.isBlank()
                    ? ResumePoint.parse(lastEventId.trim(), null, "header Last-Event-ID")
                    : ResumePoint.parse(query.single("stateIndex"), query.single("epoch"), "query.stateIndex");
            subscribe = new Subscribe(query.selection(), resume, query.bool("events"));
            String accept = request.requestHeaders().get(HttpHeaderNames.ACCEPT, "");
            format = accept.contains("application/x-ndjson") ? Format.NDJSON : Format.SSE;
        } catch (RuntimeException e) {
            return replies.error(response, e);
        }
        // The response starts with the first signal, so that a failing selection is still an HTTP error.
        return actions.subscribe(subscribe).switchOnFirst((first, signals) -> {
            if (first.hasError()) {
                return replies.error(response, first.getThrowable());
            }
            if (!first.hasValue()) {
                return replies.error(response, ProtocolException.shuttingDown());
            }
            // Chunks count until the socket has written them, so a stalled reader holds a few, not a prefetch.
            OutboundPressure pressure = new OutboundPressure(queued);
            response.withConnection(c -> pressure.install(c, OutboundPressure::isBodyChunk));
            return Mono.from(SecurityHeaders.apply(response.status(HttpResponseStatus.valueOf(
                            Outcome.OK.httpStatus())))
                    .header(HttpHeaderNames.CONTENT_TYPE, format == Format.SSE ? SSE : NDJSON)
                    .header("X-Accel-Buffering", "no")
                    .sendString(body(signals, format, subscribe.events(), pressure), StandardCharsets.UTF_8))
                    .doFinally(s -> response.withConnection(OutboundPressure::uninstall));
        }).then();
    }

    /**
     * The stream's text: one chunk per signal (a snapshot and its events together), keep-alives while
     * idle, and a {@code failure} record if the subscription ends in an error. The next signal is
     * asked of the hub only when few chunks wait for the socket ({@code pressure}), so a slow reader
     * is conflated to the latest state by the hub instead of queueing old ones here.
     */
    private Flux<String> body(Flux<StateSignal> signals, Format format, boolean withEvents,
            OutboundPressure pressure) {
        return Flux.defer(() -> {
            PacedSink<String> chunks = new PacedSink<>(pressure);
            Disposable.Swap ticks = Disposables.swap();
            PacedSubscriber<StateSignal> reader = new PacedSubscriber<>(pressure) {
                @Override
                protected void write(StateSignal signal) {
                    String text = frame(signal, format, withEvents);
                    if (!text.isEmpty()) {
                        chunks.emit(text);
                    }
                }

                @Override
                protected void hookOnError(Throwable error) {
                    chunks.emit(failure(Failure.of(error), format));
                }

                @Override
                protected void hookFinally(SignalType type) {
                    ticks.dispose();
                    chunks.complete();
                }
            };
            if (format == Format.SSE) {
                chunks.emit("retry: " + RETRY_MILLIS + "\n\n");
            }
            String keepAliveText = format == Format.SSE ? ": keep-alive\n\n" : "{\"type\":\"keep-alive\"}\n";
            return chunks.asFlux()
                    .doOnSubscribe(s -> {
                        // Only an idle stream needs a keep-alive; a waiting chunk keeps it alive already.
                        ticks.update(Flux.interval(options.keepAlive(), options.keepAlive(), scheduler)
                                .subscribe(tick -> {
                                    if (pressure.queued() == 0) {
                                        chunks.emit(keepAliveText);
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

    private String frame(StateSignal signal, Format format, boolean withEvents) {
        StringBuilder out = new StringBuilder();
        switch (signal.kind()) {
            case SNAPSHOT: {
                SessionStates s = signal.snapshot();
                // The id carries the daemon run with the index, so a resume after a restart is never taken as current.
                String id = Long.toUnsignedString(s.stateIndex()) + "@" + s.epoch();
                String json = s.json().getValue(); // encoded once, shared by every stream of the selection
                if (format == Format.SSE) {
                    sse(out, id, "state", json);
                } else {
                    out.append("{\"type\":\"state\",").append(json, 1, json.length()).append('\n');
                }
                if (withEvents) {
                    for (StateEvent e : signal.events()) {
                        String event = e.json().getValue();
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
            default:
                record(out, format, "daemon", AvailabilityJson.withReason(typed(format, "daemon"), signal.daemon()));
        }
        return out.toString();
    }

    private String failure(Failure failure, Format format) {
        Map<String, Object> data = typed(format, "failure");
        data.put("code", failure.code().code());
        data.put("message", failure.message());
        StringBuilder out = new StringBuilder();
        record(out, format, "failure", data);
        return out.toString();
    }

    /** A record's data: NDJSON names its type in it, SSE in {@code event:}. */
    private static Map<String, Object> typed(Format format, String type) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (format == Format.NDJSON) {
            data.put("type", type);
        }
        return data;
    }

    private void record(StringBuilder out, Format format, String type, Map<String, Object> data) {
        if (format == Format.SSE) {
            sse(out, null, type, writer.writeValue(data));
        } else {
            out.append(writer.writeValue(data)).append('\n');
        }
    }

    /** Our JSON is compact (no raw newlines), so each record is a single {@code data:} line. */
    private static void sse(StringBuilder out, String id, String event, String data) {
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        out.append("event: ").append(event).append('\n').append("data: ").append(data).append("\n\n");
    }
}

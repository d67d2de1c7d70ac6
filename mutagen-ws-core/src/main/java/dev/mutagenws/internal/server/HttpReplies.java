package dev.mutagenws.internal.server;

import dev.mutagenws.internal.protocol.Failure;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.Reply;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.internal.server.security.SecurityHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes the JSON answers of the HTTP routes: envelopes (pretty-printed, the reference server's REST style)
 * with the HTTP status of their {@link Outcome}, and plain JSON values; every one with the security headers.
 */
public final class HttpReplies {
    static final String JSON = "application/json; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(HttpReplies.class);

    private final ReplyWriter writer;

    public HttpReplies(ReplyWriter writer) {
        this.writer = writer;
    }

    /** A JSON body with the outcome's status. */
    static NettyOutbound json(HttpServerResponse response, Outcome outcome, String body) {
        return SecurityHeaders.apply(response.status(HttpResponseStatus.valueOf(outcome.httpStatus())))
                .header(HttpHeaderNames.CONTENT_TYPE, JSON)
                .sendString(Mono.just(body));
    }

    /** A value (no envelope) as compact JSON. */
    NettyOutbound value(HttpServerResponse response, Outcome outcome, Object data) {
        return json(response, outcome, writer.writeValue(data));
    }

    /** An action's envelope: its success data, or its failure with that failure's status. */
    Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, String action, Mono<?> result) {
        long started = System.nanoTime();
        return result
                .map(data -> Reply.success(action, 0, data))
                .switchIfEmpty(Mono.fromSupplier(() -> Reply.success(action, 0, null)))
                .onErrorResume(error -> Mono.just(Reply.failure(0, Failure.of(error))))
                .flatMap(reply -> {
                    if (log.isDebugEnabled()) {
                        log.debug("{} {} {} code={} {} ms", request.method(), request.fullPath(), action, reply.code(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                    return Mono.from(json(response, reply.outcome(), writer.write(reply, true)));
                });
    }

    /** A failure's envelope with its status (bad input, refusals, shutdown: before any stream starts). */
    public Mono<Void> failure(HttpServerResponse response, Failure failure) {
        return Mono.from(json(response, failure.outcome(), writer.write(Reply.failure(0, failure), true)));
    }

    /** {@link #failure(HttpServerResponse, Failure)} of any throwable, classified by {@link Failure#of}. */
    Mono<Void> error(HttpServerResponse response, Throwable error) {
        return failure(response, Failure.of(error));
    }
}

package dev.mutagenws.internal.server.security;

import dev.mutagenws.internal.protocol.Failure;
import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.protocol.ProtocolException;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpRouteHandlerMetadata;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A view of an application's routes that puts the {@link RequestGuard} and the security headers in front of every
 * handler registered through it, WebSocket upgrades included (refused before the upgrade, so a refused client sees
 * a 401/403 error envelope and never a 101). It also ends plain HTTP handlers (long-polls, streams) when the
 * gateway stops.
 *
 * <p>Routes registered with {@link #directory} bypass the guard (Reactor Netty registers them internally); serve
 * static files with {@link #file} or {@link #route} instead.
 */
public final class GuardedRoutes implements HttpServerRoutes {
    private static final Logger log = LoggerFactory.getLogger(GuardedRoutes.class);
    static final String ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type";

    private final HttpServerRoutes delegate;
    private final RequestGuard guard;
    private final Mono<Void> stopping;
    private final BooleanSupplier stopped;
    private final BiFunction<HttpServerResponse, Failure, Publisher<Void>> refuse;

    /**
     * @param stopping completes when the server begins to stop; running HTTP handlers are then ended
     * @param stopped  whether the server is stopping; new requests are then refused (2009, 503)
     * @param refuse   writes a refusal as the gateway writes every failure (the error envelope, its status)
     */
    public GuardedRoutes(HttpServerRoutes delegate, RequestGuard guard, Mono<Void> stopping, BooleanSupplier stopped,
            BiFunction<HttpServerResponse, Failure, Publisher<Void>> refuse) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.stopped = Objects.requireNonNull(stopped, "stopped");
        this.refuse = Objects.requireNonNull(refuse, "refuse");
    }

    @Override
    public HttpServerRoutes route(Predicate<? super HttpServerRequest> condition,
            BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
        delegate.route(condition, guarded((req, res) -> untilStopping(res, Mono.defer(() -> Mono.from(handler.apply(req, res))))));
        return this;
    }

    @Override
    public HttpServerRoutes ws(Predicate<? super HttpServerRequest> condition,
            BiFunction<? super WebsocketInbound, ? super WebsocketOutbound, ? extends Publisher<Void>> handler,
            WebsocketServerSpec spec) {
        // WebSockets are closed by their owner with 1001 on shutdown, not cut here.
        delegate.route(condition, guarded((req, res) -> {
            if (!req.requestHeaders().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)
                    || !"websocket".equalsIgnoreCase(req.requestHeaders().get(HttpHeaderNames.UPGRADE))) {
                return refuse.apply(res, new Failure(Outcome.INVALID_REQUEST, "expected a WebSocket upgrade"));
            }
            return res.sendWebsocket(handler, spec);
        }));
        return this;
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> guarded(
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return (req, res) -> {
            SecurityHeaders.apply(res);
            RequestGuard.Verdict verdict = guard.check(req.method(), req.uri(), req.requestHeaders());
            switch (verdict.kind()) {
                case REFUSE:
                    if (log.isDebugEnabled()) {
                        log.debug("refused {} {}: {} {}", req.method(), printable(req.fullPath()), verdict.status(),
                                verdict.reason());
                    }
                    if (verdict.outcome() == Outcome.UNAUTHORIZED) {
                        res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                    }
                    return refuse.apply(res, new Failure(verdict.outcome(), verdict.reason()));
                case REDIRECT:
                    cors(res, verdict.corsOrigin());
                    return res.status(verdict.status())
                            .header(HttpHeaderNames.LOCATION, verdict.location())
                            .header(HttpHeaderNames.SET_COOKIE, verdict.cookie())
                            .send();
                case PREFLIGHT:
                    cors(res, verdict.corsOrigin());
                    return res.status(verdict.status())
                            .header(HttpHeaderNames.ALLOW, ALLOWED_METHODS)
                            .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                            .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                            .header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600")
                            .send();
                default:
                    if (stopped.getAsBoolean()) {
                        return refuse.apply(res, Failure.of(ProtocolException.shuttingDown()));
                    }
                    cors(res, verdict.corsOrigin());
                    return handler.apply(req, res);
            }
        };
    }

    /** Runs a handler until it ends or the server stops; on stop an unanswered request gets 2009, a stream ends. */
    private Mono<Void> untilStopping(HttpServerResponse res, Mono<Void> handler) {
        return Mono.firstWithSignal(handler, stopping.then(Mono.defer(() -> res.hasSentHeaders() ? Mono.<Void>empty()
                : Mono.from(refuse.apply(res, Failure.of(ProtocolException.shuttingDown()))))));
    }

    private static void cors(HttpServerResponse res, String origin) {
        if (origin != null) {
            res.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .header(HttpHeaderNames.VARY, "Origin");
        }
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    @Override
    public HttpServerRoutes directory(String uri, Path directory,
            Function<HttpServerResponse, HttpServerResponse> interceptor) {
        delegate.directory(uri, directory, interceptor);
        return this;
    }

    @Override
    public HttpServerRoutes removeIf(Predicate<? super HttpRouteHandlerMetadata> condition) {
        delegate.removeIf(condition);
        return this;
    }

    @Override
    public HttpServerRoutes comparator(Comparator<HttpRouteHandlerMetadata> comparator) {
        delegate.comparator(comparator);
        return this;
    }

    @Override
    public HttpServerRoutes noComparator() {
        delegate.noComparator();
        return this;
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        return delegate.apply(request, response);
    }
}

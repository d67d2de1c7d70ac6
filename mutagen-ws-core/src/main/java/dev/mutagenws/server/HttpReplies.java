package dev.mutagenws.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.HttpServerResponse;

/** Writes JSON responses with the headers every response of ours carries. */
final class HttpReplies {
    static final String JSON = "application/json; charset=utf-8";

    private HttpReplies() {
    }

    static NettyOutbound json(HttpServerResponse response, int status, String body) {
        return secure(response.status(HttpResponseStatus.valueOf(status)))
                .header(HttpHeaderNames.CONTENT_TYPE, JSON)
                .sendString(Mono.just(body));
    }

    /** Headers that keep browsers from sniffing, framing or caching our answers (docs/protocol.md section 7). */
    static HttpServerResponse secure(HttpServerResponse response) {
        return response
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
                        + " style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none';"
                        + " base-uri 'none'; form-action 'self'");
    }
}

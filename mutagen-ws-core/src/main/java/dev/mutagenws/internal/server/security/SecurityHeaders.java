package dev.mutagenws.internal.server.security;

import reactor.netty.http.server.HttpServerResponse;

/** Headers every response carries (docs/protocol.md section 7); {@code header} replaces, so applying twice is fine. */
public final class SecurityHeaders {
    /** The dashboard loads only its own scripts and styles and talks only to its own origin. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
            + " style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'self'";

    private SecurityHeaders() {
    }

    public static HttpServerResponse apply(HttpServerResponse response) {
        return response
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
}

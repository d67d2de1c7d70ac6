package dev.mutagenws.internal.server.security;

import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.server.security.SecurityPolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one place that decides whether a request may proceed (docs/protocol.md section 7): Host, then Origin, then
 * token, in that order, so a request from a rebinding or foreign page is refused before its token is looked at.
 * Pure: looks only at the method, URI and headers, so it runs on the event loop without blocking.
 */
public final class RequestGuard {
    static final String TOKEN_PARAM = "token";
    static final String BEARER = "bearer ";

    private final SecurityPolicy policy;

    public RequestGuard(SecurityPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public SecurityPolicy policy() {
        return policy;
    }

    /** Decides about one request. */
    public Verdict check(HttpMethod method, String uri, HttpHeaders headers) {
        List<String> hostHeaders = headers.getAll(HttpHeaderNames.HOST);
        String hostHeader = hostHeaders.size() == 1 ? hostHeaders.get(0) : null;
        String host = HostNames.hostOf(hostHeader);
        if (host == null) {
            return Verdict.forbidden("missing or malformed Host header");
        }
        if (!HostNames.isLoopback(host) && !policy.allowedHosts().contains(host)) {
            // host passed hostOf's strict syntax check, so echoing it is harmless.
            return Verdict.forbidden("host \"" + host + "\" is not allowed (DNS rebinding protection)");
        }

        String origin = headers.get(HttpHeaderNames.ORIGIN);
        String normalizedOrigin = origin == null ? null : origin.strip().toLowerCase(Locale.ROOT);
        boolean ownOrigin = normalizedOrigin != null
                && normalizedOrigin.equals((policy.tls() ? "https://" : "http://") + hostHeader.strip().toLowerCase(Locale.ROOT));
        boolean extraOrigin = normalizedOrigin != null && policy.allowedOrigins().contains(normalizedOrigin);
        String corsOrigin = extraOrigin ? normalizedOrigin : null;
        boolean upgrade = headers.contains(HttpHeaderNames.UPGRADE);
        boolean safeMethod = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);

        if (method.equals(HttpMethod.OPTIONS)) {
            if (normalizedOrigin != null && !ownOrigin && !extraOrigin) {
                return Verdict.forbidden(originRefusal(normalizedOrigin));
            }
            // Preflights carry no credentials by design; answering them reveals nothing.
            return Verdict.preflight(corsOrigin);
        }
        if (normalizedOrigin != null && (upgrade || !safeMethod) && !ownOrigin && !extraOrigin) {
            return Verdict.forbidden(originRefusal(normalizedOrigin));
        }

        if (!policy.requiresToken()) {
            return Verdict.pass(corsOrigin);
        }
        QueryStringDecoder query = new QueryStringDecoder(uri);
        List<String> queryTokens = query.parameters().get(TOKEN_PARAM);
        if (queryTokens != null) {
            if (queryTokens.size() != 1 || !policy.matchesToken(queryTokens.get(0))) {
                return Verdict.unauthorized("invalid token");
            }
            if (isNavigation(method, upgrade, headers)) {
                // A browser opening the printed link: swap the token in the address bar for a cookie, so it leaves
                // the URL (history, screenshots).
                return Verdict.redirect(withoutToken(query), cookie(queryTokens.get(0)), corsOrigin);
            }
            // Scripts, curl and fetch have no cookie jar to carry the token across a redirect: served directly.
            return Verdict.pass(corsOrigin);
        }
        if (safeMethod && !upgrade && isPublic(query.path())) {
            return Verdict.pass(corsOrigin);
        }
        List<String> presented = new ArrayList<>();
        for (String authorization : headers.getAll(HttpHeaderNames.AUTHORIZATION)) {
            if (authorization.length() < BEARER.length()
                    || !authorization.substring(0, BEARER.length()).equalsIgnoreCase(BEARER)) {
                return Verdict.unauthorized("unsupported Authorization scheme; send Authorization: Bearer <token>");
            }
            presented.add(authorization.substring(BEARER.length()).strip());
        }
        for (String cookieHeader : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decodeAll(cookieHeader)) {
                if (c.name().equals(SecurityPolicy.COOKIE)) {
                    presented.add(c.value());
                }
            }
        }
        if (presented.isEmpty()) {
            return Verdict.unauthorized("missing token; send Authorization: Bearer <token>, or open the address"
                    + " printed at start-up");
        }
        for (String candidate : presented) {
            if (policy.matchesToken(candidate)) {
                return Verdict.pass(corsOrigin);
            }
        }
        return Verdict.unauthorized("invalid token");
    }

    /** Origins that look like one (scheme, host, port) are named in the refusal; anything else is not echoed. */
    private static final Pattern PRINTABLE_ORIGIN =
            Pattern.compile("[a-z][a-z0-9+.-]*://[a-z0-9.\\[\\]:_-]{1,200}");

    static String originRefusal(String normalizedOrigin) {
        return PRINTABLE_ORIGIN.matcher(normalizedOrigin).matches()
                ? "origin \"" + normalizedOrigin + "\" is not allowed (neither this server's own nor an allowed one)"
                : "origin not allowed";
    }

    /**
     * A browser loading a page into its address bar: a GET (not an upgrade) that accepts HTML. Browsers send
     * {@code Accept: text/html,...} on navigations; curl, fetch, EventSource and API clients do not.
     */
    static boolean isNavigation(HttpMethod method, boolean upgrade, HttpHeaders headers) {
        if (!method.equals(HttpMethod.GET) || upgrade) {
            return false;
        }
        for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
            if (accept.toLowerCase(Locale.ROOT).contains("text/html")) {
                return true;
            }
        }
        return false;
    }

    /** {@code GET /}, {@code /healthz}, the page icon and the dashboard's static files need no token. */
    static boolean isPublic(String path) {
        if (path.contains("..") || path.contains("//")) {
            return false;
        }
        return path.equals("/") || path.equals("/healthz") || path.equals("/index.html") || path.equals("/favicon.ico")
                || (path.startsWith("/assets/") && path.length() > "/assets/".length());
    }

    private String cookie(String token) {
        return SecurityPolicy.COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (policy.tls() ? "; Secure" : "");
    }

    private static String withoutToken(QueryStringDecoder query) {
        QueryStringEncoder rest = new QueryStringEncoder(query.rawPath());
        for (Map.Entry<String, List<String>> param : query.parameters().entrySet()) {
            if (!param.getKey().equals(TOKEN_PARAM)) {
                param.getValue().forEach(value -> rest.addParam(param.getKey(), value));
            }
        }
        return rest.toString();
    }

    /** What to do with a request. */
    public static final class Verdict {
        /** The outcome's kind. */
        public enum Kind {
            /** Run the handler (with CORS headers when {@link #corsOrigin()} is set). */
            PASS,
            /** Answer {@link #outcome()} with {@link #reason()} as the failure's message. */
            REFUSE,
            /** 303 to {@link #location()}, setting {@link #cookie()}. */
            REDIRECT,
            /** 204 with CORS preflight headers. */
            PREFLIGHT
        }

        private final Kind kind;
        private final Outcome outcome;
        private final String reason;
        private final String location;
        private final String cookie;
        private final String corsOrigin;

        private Verdict(Kind kind, Outcome outcome, String reason, String location, String cookie, String corsOrigin) {
            this.kind = kind;
            this.outcome = outcome;
            this.reason = reason;
            this.location = location;
            this.cookie = cookie;
            this.corsOrigin = corsOrigin;
        }

        static Verdict pass(String corsOrigin) {
            return new Verdict(Kind.PASS, Outcome.OK, null, null, null, corsOrigin);
        }

        static Verdict forbidden(String reason) {
            return new Verdict(Kind.REFUSE, Outcome.FORBIDDEN, reason, null, null, null);
        }

        static Verdict unauthorized(String reason) {
            return new Verdict(Kind.REFUSE, Outcome.UNAUTHORIZED, reason, null, null, null);
        }

        static Verdict redirect(String location, String cookie, String corsOrigin) {
            return new Verdict(Kind.REDIRECT, Outcome.SEE_OTHER, null, location, cookie, corsOrigin);
        }

        static Verdict preflight(String corsOrigin) {
            return new Verdict(Kind.PREFLIGHT, Outcome.NO_CONTENT, null, null, null, corsOrigin);
        }

        public Kind kind() {
            return kind;
        }

        /** What the client is answered, with its HTTP status. */
        public Outcome outcome() {
            return outcome;
        }

        public int status() {
            return outcome.httpStatus();
        }

        /** One line, never containing a token. */
        public String reason() {
            return reason;
        }

        public String location() {
            return location;
        }

        /** The Set-Cookie value; it contains the token, so it is not part of {@link #toString()}. */
        public String cookie() {
            return cookie;
        }

        /** An extra allowed origin to answer with {@code Access-Control-Allow-Origin}, or null. */
        public String corsOrigin() {
            return corsOrigin;
        }

        @Override
        public String toString() {
            return kind + (kind == Kind.PASS ? "" : " " + status()) + (reason == null ? "" : " (" + reason + ")")
                    + (location == null ? "" : " -> " + location);
        }
    }
}

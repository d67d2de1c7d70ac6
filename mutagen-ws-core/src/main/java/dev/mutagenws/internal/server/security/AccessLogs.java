package dev.mutagenws.internal.server.security;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;

/**
 * Reactor Netty access-log lines without the token. Scripts send it as {@code ?token=}, and Reactor Netty's own
 * access log (on with {@code -Dreactor.netty.http.server.accessLogEnabled=true}) prints request URIs whole.
 * {@code MutagenGateway.bind} uses {@link #redacted()}; an application that mounts the gateway into its own server
 * and logs access should pass it too: {@code HttpServer.create().accessLog(true, AccessLogs.redacted())}.
 */
public final class AccessLogs {
    /** What stands in for a token's value. */
    public static final String REDACTED = "<redacted>";
    /** Reactor Netty's own format: address, user, time, request line, status, length, duration in ms. */
    private static final String FORMAT = "{} - {} [{}] \"{} {} {}\" {} {} {} ms";
    private static final AccessLogFactory REDACTED_FACTORY = AccessLogs::line;

    private AccessLogs() {
    }

    /** Reactor Netty's access-log line, with every {@code token} query parameter's value replaced. */
    public static AccessLogFactory redacted() {
        return REDACTED_FACTORY;
    }

    private static AccessLog line(AccessLogArgProvider a) {
        return AccessLog.create(FORMAT, address(a.remoteAddress()), a.user(), a.zonedDateTime(), a.method(),
                redact(a.uri()), a.protocol(), a.status(), a.contentLength() > -1 ? a.contentLength() : "-",
                a.duration());
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() : "-";
    }

    /**
     * The URI with the value of every query parameter named {@code token} replaced by {@value #REDACTED}. Names are
     * compared decoded, as the guard reads them, so {@code ?%74oken=} is caught too.
     */
    public static String redact(CharSequence uri) {
        if (uri == null) {
            return null;
        }
        String text = uri.toString();
        int query = text.indexOf('?');
        if (query < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, query + 1);
        int start = query + 1;
        while (start <= text.length()) {
            int end = start;
            // The separators QueryStringDecoder splits on.
            while (end < text.length() && text.charAt(end) != '&' && text.charAt(end) != ';') {
                end++;
            }
            String parameter = text.substring(start, end);
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (isToken(name)) {
                out.append(name).append('=').append(REDACTED);
            } else {
                out.append(parameter);
            }
            if (end < text.length()) {
                out.append(text.charAt(end));
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static boolean isToken(String rawName) {
        try {
            return QueryStringDecoder.decodeComponent(rawName).equals(RequestGuard.TOKEN_PARAM);
        } catch (IllegalArgumentException e) {
            return false; // malformed escapes: the guard cannot read it as the token either
        }
    }
}

package dev.mutagenws.internal.server;

import dev.mutagenws.internal.protocol.Outcome;
import dev.mutagenws.internal.server.security.SecurityHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Serves the dashboard: {@code GET /} for browsers (Accept: text/html), its few static files under
 * {@code /assets/} and its icon at {@code /favicon.ico} (an SVG: a 404 there is a console error in every
 * browser that loads the page). The files are read from the jar once, at construction, so that serving never
 * touches the disk on an event loop. They need no token: they hold nothing about sessions.
 */
public final class DashboardRoutes {
    static final String ASSETS = "/assets/";
    static final String FAVICON = "/favicon.ico";
    private static final String ICON = "favicon.svg";
    private static final String BASE = "/dev/mutagenws/dashboard/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "client.js", "text/javascript; charset=utf-8",
            "urls.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            ICON, "image/svg+xml");

    private final Map<String, byte[]> files;

    public DashboardRoutes() {
        Map<String, byte[]> loaded = new HashMap<>();
        for (String name : TYPES.keySet()) {
            loaded.put(name, read(name));
        }
        this.files = Map.copyOf(loaded);
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True for the requests this serves without a token. */
    static boolean isPublic(HttpServerRequest request) {
        return request.method() == HttpMethod.GET
                && (isPage(request) || request.path().startsWith(ASSETS.substring(1))
                        || request.path().equals(FAVICON.substring(1)));
    }

    static boolean isPage(HttpServerRequest request) {
        String accept = request.requestHeaders().get(HttpHeaderNames.ACCEPT, "");
        return (request.path().isEmpty() || request.path().equals("index.html")) && accept.contains("text/html");
    }

    public void register(HttpServerRoutes routes) {
        routes.route(request -> request.method() == HttpMethod.GET && isPage(request),
                (request, response) -> serve(response, "index.html"));
        routes.get(FAVICON, (request, response) -> serve(response, ICON));
        routes.get(ASSETS + "{file}", (request, response) -> {
            String name = request.param("file");
            if (name == null || !files.containsKey(name) || name.equals("index.html")) {
                return HttpReplies.json(response, Outcome.NO_ROUTE, "{\"error\":\"no such file\"}");
            }
            return serve(response, name);
        });
    }

    private NettyOutbound serve(HttpServerResponse response, String name) {
        byte[] body = files.get(name);
        return SecurityHeaders.apply(response.status(HttpResponseStatus.OK))
                .header(HttpHeaderNames.CONTENT_TYPE, TYPES.get(name))
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .sendByteArray(Mono.just(body));
    }
}

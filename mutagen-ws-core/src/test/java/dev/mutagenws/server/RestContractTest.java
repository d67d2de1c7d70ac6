package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.server.RestTestClient.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * The protocol contract over REST. Actions map to routes: {@code list} is a GET with the data as
 * query parameters, {@code creation} POSTs the data as the body, the operations POST it to
 * {@code /sessions/{operation}}, and {@code version} reads {@code GET /api/daemon}.
 */
class RestContractTest extends GatewayContract {
    static final String SESSIONS = "/api/synchronization/sessions";
    private static final Set<String> OPERATIONS = Set.of("pause", "resume", "flush", "reset", "terminate");

    @Override
    Transport open(GatewayHarness harness) {
        return new RestTransport(new RestTestClient(harness.port()), harness.fake.socketPath().toString());
    }

    static final class RestTransport implements Transport {
        private final RestTestClient http;
        private final String socket;

        /** Without the daemon's socket path, the socket in {@code /api/daemon} is not checked. */
        RestTransport(RestTestClient http) {
            this(http, null);
        }

        RestTransport(RestTestClient http, String socket) {
            this.http = http;
            this.socket = socket;
        }

        @Override
        public CompletableFuture<JsonNode> callAsync(String action, String dataJson) {
            if (action.equals("list")) {
                return http.sendAsync(HttpMethod.GET, SESSIONS + query(dataJson), null).thenApply(RestTransport::envelope);
            }
            if (action.equals("creation")) {
                return http.sendAsync(HttpMethod.POST, SESSIONS, dataJson == null ? "" : dataJson)
                        .thenApply(RestTransport::envelope);
            }
            if (OPERATIONS.contains(action)) {
                return http.sendAsync(HttpMethod.POST, SESSIONS + "/" + action, dataJson == null ? "" : dataJson)
                        .thenApply(RestTransport::envelope);
            }
            if (action.equals("version") && dataJson == null) {
                return http.sendAsync(HttpMethod.GET, "/api/daemon", null).thenApply(this::version);
            }
            throw new UnsupportedOperationException("REST has no route for action " + action);
        }

        /** The REST body is the envelope; its HTTP status must be the one its code maps to. */
        private static JsonNode envelope(Response r) {
            check(r);
            int code = r.json().path("code").asInt(-1);
            int expected = switch (code) {
                case 0 -> 200;
                case 2001, 2004, 2007 -> 500;
                case 2003 -> 400;
                case 2005 -> 404;
                case 2006, 2009 -> 503;
                case 2008 -> 413;
                default -> throw new AssertionError("unexpected code in " + r);
            };
            if (r.status() != expected) {
                throw new AssertionError("HTTP " + r.status() + " for code " + code + ", expected " + expected + ": " + r);
            }
            if (r.json().path("id").asLong(-1) != 0) {
                throw new AssertionError("REST envelopes have id 0: " + r);
            }
            return r.json();
        }

        /**
         * {@code GET /api/daemon} in the shape of a version reply (2006 when the daemon is not connected). REST has
         * no version envelope of its own, so the real response is checked in full first: HTTP 200, exactly the
         * documented keys, the socket, and a version object or null with the reason.
         */
        private JsonNode version(Response r) {
            check(r);
            if (r.status() != 200) {
                throw new AssertionError("GET /api/daemon answers 200 whatever the daemon's state: " + r);
            }
            JsonNode body = r.json();
            boolean connected = body.path("connected").asBoolean();
            List<String> keys = new ArrayList<>();
            body.fieldNames().forEachRemaining(keys::add);
            List<String> expectedKeys = connected ? List.of("connected", "socket", "version")
                    : List.of("connected", "socket", "version", "error");
            if (!keys.equals(expectedKeys) || !body.get("connected").isBoolean()) {
                throw new AssertionError("keys of /api/daemon: expected " + expectedKeys + ": " + r);
            }
            if (socket != null && !body.get("socket").asText().equals(socket)) {
                throw new AssertionError("socket of /api/daemon: expected " + socket + ": " + r);
            }
            JsonNode version = body.get("version");
            if (connected) {
                List<String> versionKeys = new ArrayList<>();
                version.fieldNames().forEachRemaining(versionKeys::add);
                if (!versionKeys.equals(List.of("major", "minor", "patch", "tag"))) {
                    throw new AssertionError("version of /api/daemon: " + r);
                }
            } else if (!version.isNull() || !body.get("error").isTextual() || body.get("error").asText().isEmpty()) {
                throw new AssertionError("a disconnected /api/daemon has version null and an error: " + r);
            }
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            reply.put("action", connected ? "version" : "error");
            reply.put("id", 0);
            reply.put("code", connected ? 0 : 2006);
            reply.put("message", connected ? "" : body.get("error").asText());
            reply.set("data", connected ? version : JsonNodeFactory.instance.nullNode());
            return reply;
        }

        private static void check(Response r) {
            if (r.json() == null || !"application/json; charset=utf-8".equals(r.headers().get("Content-Type"))) {
                throw new AssertionError("not a JSON response: " + r + " " + r.headers());
            }
        }

        /** The data object as query parameters: {@code ids}/{@code names} repeat {@code id}/{@code name}. */
        static String query(String dataJson) {
            if (dataJson == null) {
                return "";
            }
            JsonNode data;
            try {
                data = RestTestClient.JSON.readTree(dataJson);
            } catch (Exception e) {
                throw new IllegalArgumentException("a list query must be a JSON object: " + dataJson, e);
            }
            StringJoiner query = new StringJoiner("&", "?", "");
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (value.isArray() && (name.equals("ids") || name.equals("names"))) {
                    String single = name.substring(0, name.length() - 1);
                    value.forEach(v -> query.add(single + "=" + encode(v.asText())));
                } else if (value.isValueNode()) {
                    query.add(name + "=" + encode(value.asText()));
                } else {
                    throw new IllegalArgumentException("cannot express " + name + " in a query: " + dataJson);
                }
            }
            return query.toString();
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        }

        @Override
        public String dataPath() {
            return "body";
        }

        @Override
        public boolean supports(String action) {
            return action.equals("list") || action.equals("creation") || action.equals("version")
                    || OPERATIONS.contains(action);
        }

        @Override
        public void close() {
            // Nothing held open between requests.
        }
    }
}

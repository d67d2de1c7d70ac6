package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.server.RestTestClient.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
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
        return new RestTransport(new RestTestClient(harness.port()));
    }

    static final class RestTransport implements Transport {
        private final RestTestClient http;

        RestTransport(RestTestClient http) {
            this.http = http;
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
                return http.sendAsync(HttpMethod.GET, "/api/daemon", null).thenApply(RestTransport::version);
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

        /** {@code GET /api/daemon} in the shape of a version reply (2006 when the daemon is not connected). */
        private static JsonNode version(Response r) {
            check(r);
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            boolean connected = r.json().path("connected").asBoolean();
            reply.put("action", connected ? "version" : "error");
            reply.put("id", 0);
            reply.put("code", connected ? 0 : 2006);
            reply.put("message", connected ? "" : r.json().path("error").asText());
            reply.set("data", connected ? r.json().get("version") : JsonNodeFactory.instance.nullNode());
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

package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The protocol contract with live state over Server-Sent Events, as a browser without WebSockets
 * would use it: {@code list} (and its long-poll, {@code stateIndex}) reads the first signal of
 * {@code GET /api/synchronization/events}; the actions go over REST.
 */
class SseContractTest extends GatewayContract {
    @Override
    Transport open(GatewayHarness harness) {
        return new SseTransport(harness.port(), new RestContractTest.RestTransport(new RestTestClient(harness.port())));
    }

    static final class SseTransport implements Transport {
        private final int port;
        private final Transport rest;

        SseTransport(int port, Transport rest) {
            this.port = port;
            this.rest = rest;
        }

        @Override
        public CompletableFuture<JsonNode> callAsync(String action, String dataJson) {
            if (!action.equals("list")) {
                return rest.callAsync(action, dataJson);
            }
            String uri = "http://127.0.0.1:" + port + "/api/synchronization/events"
                    + RestContractTest.RestTransport.query(dataJson);
            return HttpClient.create()
                    .headers(h -> h.set("Accept", "text/event-stream").set("Authorization", GatewayHarness.AUTHORIZATION))
                    .get().uri(uri)
                    .response((response, body) -> {
                        if (response.status().code() != 200) {
                            // Refused before the stream starts: the body is the usual JSON envelope.
                            return body.aggregate().asString().map(SseTransport::json);
                        }
                        if (!response.responseHeaders().get("Content-Type", "").startsWith("text/event-stream")) {
                            return Mono.error(new AssertionError("not an event stream: " + response.responseHeaders()));
                        }
                        return firstSignal(body.asString());
                    })
                    .next() // the first decisive signal; cancelling closes the stream
                    .timeout(WAIT)
                    .toFuture();
        }

        /** Parses events until a state, a daemon outage or a failure, and turns it into a reply envelope. */
        private static Flux<JsonNode> firstSignal(Flux<String> chunks) {
            StringBuilder pending = new StringBuilder();
            return chunks.concatMap(chunk -> {
                pending.append(chunk);
                Flux<JsonNode> replies = Flux.empty();
                int end;
                while ((end = pending.indexOf("\n\n")) >= 0) {
                    String block = pending.substring(0, end);
                    pending.delete(0, end + 2);
                    JsonNode reply = envelope(block);
                    if (reply != null) {
                        replies = replies.concatWithValues(reply);
                    }
                }
                return replies;
            });
        }

        private static JsonNode envelope(String block) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (event == null) {
                return null; // retry hints and comments (keep-alive, unchanged)
            }
            switch (event) {
                case "state":
                    return reply("list", 0, "", json(data.toString()));
                case "daemon": {
                    JsonNode daemon = json(data.toString());
                    if (daemon.path("connected").asBoolean()) {
                        return null; // back again: the state follows
                    }
                    return reply("error", 2006, daemon.path("error").asText(), null);
                }
                case "failure": {
                    JsonNode failure = json(data.toString());
                    return reply("error", failure.path("code").asInt(), failure.path("message").asText(), null);
                }
                default:
                    return null; // change events
            }
        }

        /** An envelope with the keys in the protocol's order. */
        private static JsonNode reply(String action, int code, String message, JsonNode data) {
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            reply.put("action", action).put("id", 0).put("code", code).put("message", message);
            reply.set("data", data == null ? JsonNodeFactory.instance.nullNode() : data);
            return reply;
        }

        private static JsonNode json(String text) {
            try {
                return RestTestClient.JSON.readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        @Override
        public String dataPath() {
            return rest.dataPath();
        }

        @Override
        public boolean supports(String action) {
            return rest.supports(action);
        }

        @Override
        public void close() {
            rest.close();
        }
    }
}

package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The live-state contract over WebSocket {@code subscribe}: {@code state}, {@code event} and {@code daemon} pushes. */
class WebSocketLiveStateTest extends LiveStateContract {
    @Override
    LiveTransport transport(Endpoint endpoint) {
        return new SubscribeTransport(endpoint);
    }

    record SubscribeTransport(Endpoint endpoint) implements LiveTransport {
        @Override
        public LiveView open(String selection, Resume from, boolean events) {
            ObjectNode data = selection(selection);
            if (from != null) {
                data.put("stateIndex", from.index());
                if (from.epoch() != null) {
                    data.put("epoch", from.epoch());
                }
            }
            if (events) {
                data.put("events", true);
            }
            return new SubscriptionView(endpoint, data);
        }

        @Override
        public String lacks(Capability capability) {
            return switch (capability) {
                case UNCHANGED -> "no push says that the client is up to date: the subscribe reply echoes the client's"
                        + " own index then, as it does while the daemon has been down since before any state";
                case KEEP_ALIVE -> "the protocol has no keep-alive push over the WebSocket";
                default -> null;
            };
        }
    }

    /** One connection with one subscription (request id 1); the connection's own pushes (id 0) are not its business. */
    static final class SubscriptionView extends LiveView {
        private static final long ID = 1;
        private final WsTestClient ws;
        private volatile String subscription;

        SubscriptionView(Endpoint endpoint, ObjectNode data) {
            ws = new WsTestClient(endpoint.port(), MutagenGateway.WEBSOCKET_PATH, endpoint.receiveBuffer(),
                    this::frame);
            ws.send("{\"action\":\"subscribe\",\"id\":" + ID + ",\"data\":" + data + "}");
        }

        private void frame(JsonNode frame) {
            if (frame.path("id").asLong() != ID) {
                return;
            }
            if (!keys(frame).equals(List.of("action", "id", "code", "message", "data"))) {
                problem("not an envelope: " + frame);
                return;
            }
            JsonNode data = frame.get("data");
            String action = frame.get("action").asText();
            if (!action.equals("error") && frame.get("code").asInt() != 0) {
                problem("a success with a code: " + frame);
            }
            switch (action) {
                case "subscribe" -> {
                    if (!keys(data).equals(List.of("subscription", "stateIndex", "epoch")) || subscription != null) {
                        problem("subscribe reply: " + frame);
                    }
                    subscription = data.get("subscription").asText();
                }
                case "state" -> {
                    if (!keys(data).equals(List.of("stateIndex", "epoch", "sessionStates", "subscription"))) {
                        problem("state push: " + frame);
                    }
                    checkOwn(frame);
                    observe(new State(data.get("stateIndex").asLong(), data.get("epoch").asText(),
                            data.get("sessionStates")));
                }
                case "event" -> observe(new Event(data.path("type").asText(), data.path("stateIndex").asLong(), data));
                case "daemon" -> {
                    boolean connected = data.path("connected").asBoolean();
                    String reason = frame.get("message").asText();
                    // The reason is the message, given exactly when disconnected.
                    if (!keys(data).equals(List.of("connected", "version", "subscription"))
                            || connected != reason.isEmpty()) {
                        problem("daemon push: " + frame);
                    }
                    checkOwn(frame);
                    observe(new Daemon(connected, reason, data.get("version")));
                }
                case "error" -> {
                    if (!data.isNull()) {
                        problem("a failure with data: " + frame);
                    }
                    // An error reply ends the subscription (docs/protocol.md, Live state).
                    observe(new Failure(frame.get("code").asInt(), frame.get("message").asText()));
                    observe(new End());
                }
                default -> problem("unexpected frame: " + frame);
            }
        }

        /** A push names its subscription, which the reply came before. */
        private void checkOwn(JsonNode frame) {
            if (subscription == null || !subscription.equals(frame.at("/data/subscription").asText())) {
                problem("a push before the reply or of another subscription: " + frame);
            }
        }

        @Override
        void stall() {
            ws.pause();
        }

        @Override
        void resume() {
            ws.resume();
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}

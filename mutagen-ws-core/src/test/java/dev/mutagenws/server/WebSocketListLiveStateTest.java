package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The live-state contract over the WebSocket {@code list} long-poll ({@code data.stateIndex}, the old bridge's way
 * to follow changes): one socket per view, one {@code list} after another.
 */
class WebSocketListLiveStateTest extends LiveStateContract {
    @Override
    LiveTransport transport(Endpoint endpoint) {
        return new RestLongPollLiveStateTest.PollTransport(() -> new ListPoller(endpoint.port()), null);
    }

    static final class ListPoller implements RestLongPollLiveStateTest.PollTransport.Poller {
        private final WsTestClient ws;
        private long id;

        ListPoller(int port) {
            ws = new WsTestClient(port);
        }

        @Override
        public JsonNode list(String data) throws InterruptedException {
            long request = ++id;
            ws.send("{\"action\":\"list\",\"id\":" + request + ",\"data\":" + data + "}");
            // Without a timeout the poll waits for a change, however long the case takes.
            return ws.await(f -> f.path("id").asLong() == request && !WsTestClient.isPush(f), Duration.ofMinutes(1));
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}

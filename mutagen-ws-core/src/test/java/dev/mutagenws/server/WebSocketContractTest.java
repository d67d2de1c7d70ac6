package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** The protocol contract over WebSocket frames at /synchronization. */
class WebSocketContractTest extends GatewayContract {
    @Override
    Transport open(GatewayHarness harness) {
        return new WebSocketTransport(harness.ws());
    }

    /** Each call is a frame with a fresh id; the reply is the next non-push frame with that id. */
    static final class WebSocketTransport implements Transport {
        private final WsTestClient ws;
        private final AtomicLong ids = new AtomicLong();

        WebSocketTransport(WsTestClient ws) {
            this.ws = ws;
        }

        @Override
        public CompletableFuture<JsonNode> callAsync(String action, String dataJson) {
            long id = ids.incrementAndGet();
            // Sent now, on the caller's thread, so that calls keep their order.
            ws.send("{\"action\":\"" + action + "\",\"id\":" + id + (dataJson == null ? "" : ",\"data\":" + dataJson)
                    + "}");
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return ws.reply(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public String dataPath() {
            return "data";
        }

        @Override
        public boolean supports(String action) {
            return true;
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}

package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The live-state contract over Server-Sent Events from {@code GET /api/synchronization/events}. */
class SseLiveStateTest extends LiveStateContract {
    @Override
    LiveTransport transport(Endpoint endpoint) {
        return new StreamTransport(endpoint, false);
    }

    /**
     * {@code GET /api/synchronization/events} as Server-Sent Events, resuming with {@code Last-Event-ID} as a
     * reconnecting EventSource does, or as NDJSON, resuming with {@code ?stateIndex=&epoch=}.
     */
    record StreamTransport(Endpoint endpoint, boolean ndjson) implements LiveTransport {
        @Override
        public LiveView open(String selection, Resume from, boolean events) {
            ObjectNode query = selection(selection);
            if (events) {
                query.put("events", true);
            }
            Map<String, String> headers = new HashMap<>();
            if (ndjson) {
                headers.put("Accept", "application/x-ndjson");
                if (from != null) {
                    query.put("stateIndex", from.index());
                    if (from.epoch() != null) {
                        query.put("epoch", from.epoch());
                    }
                }
            } else if (from != null) {
                headers.put("Last-Event-ID", from.index() + (from.epoch() == null ? "" : "@" + from.epoch()));
            }
            return new StreamView(endpoint, RestContractTest.RestTransport.query(query.toString()), headers, ndjson);
        }

        @Override
        public String lacks(Capability capability) {
            return null;
        }
    }

    /** One stream; its records, checked against their format, become observations. */
    static final class StreamView extends LiveView implements EventStream.Listener {
        private final boolean ndjson;
        private final EventStream stream;
        // Written and read on the stream's event loop only.
        private int status;
        private boolean first = true;
        /** The SSE id of the last state, which its events repeat. */
        private String stateId;

        StreamView(Endpoint endpoint, String query, Map<String, String> headers, boolean ndjson) {
            this.ndjson = ndjson;
            this.stream = new EventStream(endpoint.port(), query, headers, endpoint.receiveBuffer(), this);
        }

        @Override
        public void response(int status, String contentType) {
            this.status = status;
            String expected = status != 200 ? "application/json"
                    : ndjson ? "application/x-ndjson" : "text/event-stream";
            if (contentType == null || !contentType.startsWith(expected)) {
                problem("HTTP " + status + " with Content-Type " + contentType);
            }
        }

        @Override
        public void record(String record) {
            try {
                if (status != 200) {
                    refused(record);
                } else if (ndjson) {
                    line(record);
                } else {
                    event(record);
                }
            } catch (RuntimeException e) {
                problem(e + " in " + record);
            }
            first = false;
        }

        @Override
        public void end() {
            observe(new End());
        }

        /** A stream refused before it started: the JSON envelope, with the HTTP status of its code. */
        private void refused(String body) {
            JsonNode reply = json(body);
            int code = reply.path("code").asInt();
            if (!keys(reply).equals(List.of("action", "id", "code", "message", "data"))
                    || !reply.get("action").asText().equals("error") || status != httpStatus(code)) {
                problem("refused with HTTP " + status + ": " + body);
            }
            observe(new Failure(code, reply.path("message").asText()));
        }

        private void event(String record) {
            if (record.equals("retry: 1000")) {
                if (!first) {
                    problem("a retry hint after the start");
                }
                return;
            }
            if (record.equals(": keep-alive")) {
                observe(new KeepAlive());
                return;
            }
            if (record.startsWith(": unchanged since ")) {
                String id = record.substring(": unchanged since ".length());
                observe(new Unchanged(index(id), id.substring(id.indexOf('@') + 1)));
                return;
            }
            // Our JSON has no raw newlines: id (for states and their events), event and one data line.
            List<String> lines = List.of(record.split("\n", -1));
            String id = lines.get(0).startsWith("id: ") ? lines.get(0).substring(4) : null;
            List<String> rest = lines.subList(id == null ? 0 : 1, lines.size());
            if (rest.size() != 2 || !rest.get(0).startsWith("event: ") || !rest.get(1).startsWith("data: ")) {
                problem("not an event: " + record);
                return;
            }
            String event = rest.get(0).substring(7);
            JsonNode data = json(rest.get(1).substring(6));
            switch (event) {
                case "state" -> {
                    if (!keys(data).equals(List.of("stateIndex", "epoch", "sessionStates")) || id == null
                            || !id.equals(data.get("stateIndex").asLong() + "@" + data.get("epoch").asText())) {
                        problem("state record: " + record);
                    }
                    stateId = id;
                    observe(new State(data.get("stateIndex").asLong(), data.get("epoch").asText(),
                            data.get("sessionStates")));
                }
                case "daemon" -> {
                    if (id != null) {
                        problem("a daemon record with an id: " + record);
                    }
                    observe(daemon(data, List.of()));
                }
                case "failure" -> {
                    if (id != null || !keys(data).equals(List.of("code", "message"))) {
                        problem("failure record: " + record);
                    }
                    observe(new Failure(data.get("code").asInt(), data.get("message").asText()));
                }
                default -> {
                    if (id == null || !id.equals(stateId) || !event.equals(data.path("type").asText())) {
                        problem("an event record not of the last state " + stateId + ": " + record);
                    }
                    observe(new Event(event, id == null ? -1 : index(id), data));
                }
            }
        }

        private void line(String line) {
            JsonNode json = json(line);
            switch (json.path("type").asText()) {
                case "state" -> {
                    if (!keys(json).equals(List.of("type", "stateIndex", "epoch", "sessionStates"))) {
                        problem("state line: " + line);
                    }
                    observe(new State(json.get("stateIndex").asLong(), json.get("epoch").asText(),
                            json.get("sessionStates")));
                }
                case "unchanged" -> {
                    if (!keys(json).equals(List.of("type", "stateIndex", "epoch"))) {
                        problem("unchanged line: " + line);
                    }
                    observe(new Unchanged(json.get("stateIndex").asLong(), json.get("epoch").asText()));
                }
                case "daemon" -> observe(daemon(json, List.of("type")));
                case "failure" -> {
                    if (!keys(json).equals(List.of("type", "code", "message"))) {
                        problem("failure line: " + line);
                    }
                    observe(new Failure(json.get("code").asInt(), json.get("message").asText()));
                }
                case "keep-alive" -> {
                    if (!line.equals("{\"type\":\"keep-alive\"}")) {
                        problem("keep-alive line: " + line);
                    }
                    observe(new KeepAlive());
                }
                default -> observe(new Event(json.path("type").asText(), json.path("stateIndex").asLong(), json));
            }
        }

        /** {@code connected} and {@code version}, plus the reason as {@code error} when disconnected. */
        private Daemon daemon(JsonNode data, List<String> before) {
            boolean connected = data.path("connected").asBoolean();
            List<String> expected = new ArrayList<>(before);
            expected.addAll(connected ? List.of("connected", "version") : List.of("connected", "version", "error"));
            if (!keys(data).equals(expected) || !connected && data.get("error").asText().isEmpty()) {
                problem("daemon record: " + data);
            }
            return new Daemon(connected, connected ? "" : data.get("error").asText(), data.get("version"));
        }

        private static long index(String id) {
            return Long.parseLong(id.substring(0, id.indexOf('@')));
        }

        @Override
        void stall() {
            stream.pause();
        }

        @Override
        void resume() {
            stream.resume();
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}

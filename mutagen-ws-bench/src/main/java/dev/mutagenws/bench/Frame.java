package dev.mutagenws.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The parts of a server frame the harness needs, read with a streaming parser that stops early:
 * the envelope ({@code action, id, code, message}) and, inside {@code data}, {@code stateIndex},
 * {@code subscription} and optionally the number of {@code sessionStates}. Large lists are not
 * materialised, so the client's share of the two CPUs stays small.
 */
final class Frame {
    private static final JsonFactory JSON = new JsonFactory();

    final long receivedNanos;
    String action;
    long id;
    int code = -1;
    String message;
    long stateIndex = -1;
    String subscription;
    /** Number of sessionStates, or -1 when not counted. */
    int sessions = -1;

    private Frame(long receivedNanos) {
        this.receivedNanos = receivedNanos;
    }

    /**
     * Parses the envelope; with {@code countSessions} it walks all of {@code data} and counts
     * {@code sessionStates}, otherwise it stops at the first data field it does not need.
     */
    static Frame parse(ByteBuf content, long receivedNanos, boolean countSessions) {
        Frame f = new Frame(receivedNanos);
        try (JsonParser p = JSON.createParser((InputStream) new ByteBufInputStream(content.duplicate()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("frame is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "action":
                        f.action = p.getText();
                        break;
                    case "id":
                        f.id = p.getLongValue();
                        break;
                    case "code":
                        f.code = p.getIntValue();
                        break;
                    case "message":
                        f.message = p.getText();
                        break;
                    case "data":
                        if (t == JsonToken.START_OBJECT) {
                            readData(p, f, countSessions);
                            return f;
                        }
                        p.skipChildren();
                        break;
                    default:
                        p.skipChildren();
                }
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readData(JsonParser p, Frame f, boolean countSessions) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("stateIndex")) {
                f.stateIndex = p.getLongValue();
                if (!countSessions) {
                    return;
                }
            } else if (name.equals("subscription")) {
                f.subscription = p.getText();
            } else if (name.equals("sessionStates") && countSessions && t == JsonToken.START_ARRAY) {
                int n = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                    n++;
                }
                f.sessions = n;
            } else {
                p.skipChildren();
            }
        }
    }

    boolean ok() {
        return code == 0;
    }

    @Override
    public String toString() {
        return "{action=" + action + ", id=" + id + ", code=" + code + ", message=" + message + ", stateIndex="
                + stateIndex + ", subscription=" + subscription + ", sessions=" + sessions + "}";
    }
}

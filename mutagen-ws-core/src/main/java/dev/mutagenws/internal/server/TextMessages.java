package dev.mutagenws.internal.server;

import dev.mutagenws.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reassembles a WebSocket's messages from their frames (a message may come in fragments) with the size
 * limit: each text message goes to {@code onText}; a binary or too large one is refused through
 * {@code onRefused}, and the connection stays open. Touched only on the connection's event loop; frame
 * content is released after {@link #accept} returns, so what is kept is copied.
 */
final class TextMessages {
    private final int limit;
    private final Consumer<String> onText;
    private final Consumer<ProtocolException> onRefused;

    /** Fragments of the message being received. */
    private ByteArrayOutputStream fragments;
    private long fragmentedSize;
    private boolean fragmentIsBinary;

    TextMessages(int limit, Consumer<String> onText, Consumer<ProtocolException> onRefused) {
        this.limit = limit;
        this.onText = onText;
        this.onRefused = onRefused;
    }

    void accept(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            boolean binary = frame instanceof BinaryWebSocketFrame;
            if (frame.isFinalFragment()) {
                complete(binary, frame.content(), frame.content().readableBytes(), null);
            } else {
                fragments = new ByteArrayOutputStream();
                fragmentedSize = 0;
                fragmentIsBinary = binary;
                append(frame.content());
            }
        } else if (frame instanceof ContinuationWebSocketFrame && fragments != null) {
            append(frame.content());
            if (frame.isFinalFragment()) {
                ByteArrayOutputStream whole = fragments;
                fragments = null;
                complete(fragmentIsBinary, null, fragmentedSize, whole);
            }
        }
        // Ping, pong and close frames are handled by Reactor Netty.
    }

    private void append(ByteBuf content) {
        fragmentedSize += content.readableBytes();
        if (fragmentedSize <= limit && !fragmentIsBinary) {
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            fragments.writeBytes(bytes);
        }
    }

    private void complete(boolean binary, ByteBuf content, long size, ByteArrayOutputStream assembled) {
        if (binary) {
            onRefused.accept(ProtocolException.invalid(
                    "binary messages are not supported: send each request as a JSON text message"));
            return;
        }
        if (size > limit) {
            onRefused.accept(ProtocolException.tooLarge("message", size, limit));
            return;
        }
        onText.accept(assembled != null ? assembled.toString(StandardCharsets.UTF_8)
                : content.toString(StandardCharsets.UTF_8));
    }
}

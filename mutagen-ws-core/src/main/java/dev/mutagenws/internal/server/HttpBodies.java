package dev.mutagenws.internal.server;

import dev.mutagenws.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** Reads request bodies with a size limit (Reactor Netty's aggregation has none). */
final class HttpBodies {
    private HttpBodies() {
    }

    static Mono<String> readText(HttpServerRequest request, int limit) {
        String declared = request.requestHeaders().get("Content-Length");
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.trim());
                if (length > limit) {
                    return Mono.error(tooLarge(length, limit));
                }
            } catch (NumberFormatException e) {
                return Mono.error(ProtocolException.invalid("invalid Content-Length header"));
            }
        }
        return request.receive()
                .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> append(out, chunk, limit))
                .map(out -> out.toString(StandardCharsets.UTF_8))
                .defaultIfEmpty("");
    }

    private static ByteArrayOutputStream append(ByteArrayOutputStream out, ByteBuf chunk, int limit) {
        int size = chunk.readableBytes();
        if (out.size() + (long) size > limit) {
            throw tooLarge(out.size() + (long) size, limit);
        }
        byte[] bytes = new byte[size];
        chunk.getBytes(chunk.readerIndex(), bytes);
        out.writeBytes(bytes);
        return out;
    }

    private static ProtocolException tooLarge(long size, int limit) {
        return ProtocolException.tooLarge("request body", size, limit);
    }
}

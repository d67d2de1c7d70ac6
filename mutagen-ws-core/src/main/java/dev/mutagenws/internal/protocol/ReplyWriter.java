package dev.mutagenws.internal.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.MessageOrBuilder;
import dev.mutagenws.daemon.DaemonVersion;
import dev.mutagenws.internal.json.ProtoJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/** Encodes {@link Reply} envelopes (and bare data) as JSON text. Thread-safe. */
public final class ReplyWriter {
    private final ProtoJson json;
    private final JsonFactory factory;

    public ReplyWriter(ProtoJson json) {
        this.json = json;
        this.factory = json.jsonFactory();
    }

    /** One line of compact JSON, as sent in a WebSocket text frame. */
    public String write(Reply reply) {
        return write(reply, false);
    }

    /**
     * One line of compact JSON as UTF-8 bytes: what a WebSocket text frame carries, written by Jackson's
     * UTF-8 generator directly (no intermediate String to encode again; large lists are most of the traffic).
     */
    public byte[] writeUtf8(Reply reply) {
        ByteArrayBuilder out = new ByteArrayBuilder(1024);
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            writeEnvelope(reply, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The envelope, compact or pretty-printed with 4-space indentation (the reference server's REST style). */
    public String write(Reply reply, boolean pretty) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            if (pretty) {
                // Go's MarshalIndent style, as the reference server printed: 4 spaces, "key": value, and empty
                // objects and arrays as {} and [] (Jackson's default puts a space inside). A new printer per
                // generator: it keeps the nesting depth.
                g.setPrettyPrinter(new DefaultPrettyPrinter()
                        .withSeparators(Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                                .withObjectEmptySeparator("")
                                .withArrayEmptySeparator(""))
                        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                        .withArrayIndenter(new DefaultIndenter("    ", "\n")));
            }
            writeEnvelope(reply, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void writeEnvelope(Reply reply, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("action", reply.action());
        g.writeNumberField("id", reply.id());
        g.writeNumberField("code", reply.code());
        g.writeStringField("message", reply.message());
        g.writeFieldName("data");
        writeValue(reply.data(), g);
        g.writeEndObject();
    }

    /** Just a value (no envelope), compact. */
    public String writeValue(Object value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeValue(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes any supported data value. */
    public void writeValue(Object value, JsonGenerator g) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof MessageOrBuilder) {
            json.write((MessageOrBuilder) value, g);
        } else if (value instanceof SerializableString raw) {
            // Encoded once (a shared snapshot), with its UTF-8 bytes cached: each frame copies them.
            g.writeRawValue(raw);
        } else if (value instanceof JsonNode) {
            FrameDecoder.MAPPER.writeTree(g, (JsonNode) value);
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Long || value instanceof Integer) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number) {
            g.writeNumber(value.toString());
        } else if (value instanceof DaemonVersion) {
            DaemonVersion v = (DaemonVersion) value;
            g.writeStartObject();
            g.writeNumberField("major", v.major());
            g.writeNumberField("minor", v.minor());
            g.writeNumberField("patch", v.patch());
            g.writeStringField("tag", v.tag());
            g.writeEndObject();
        } else if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                g.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(entry.getValue(), g);
            }
            g.writeEndObject();
        } else if (value instanceof Collection) {
            g.writeStartArray();
            for (Object element : (Collection<?>) value) {
                writeValue(element, g);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as reply data");
        }
    }
}

package dev.mutagenws.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import dev.mutagenws.proto.service.daemon.DaemonOuterClass;
import dev.mutagenws.proto.service.forwarding.ForwardingOuterClass;
import dev.mutagenws.proto.service.prompting.PromptingOuterClass;
import dev.mutagenws.proto.service.synchronization.SynchronizationOuterClass;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * JSON mapping of daemon protobuf messages (protocol.md section 5): the reference server's
 * Go encoding/json shape with mutagen-ws's deliberate differences, and strict decoding.
 *
 * <p>Plans (field order, names, enum tables) for every message type of the daemon API are computed
 * once when the instance is built and never change, so an instance is immutable and thread-safe.
 * Messages of other types still work, with a plan built per call.
 *
 * <p>This class is the entry point; {@link Plans}, {@link ProtoJsonWriter} and
 * {@link ProtoJsonReader} do the work.
 */
public final class ProtoJson {

    private static final ProtoJson STANDARD = new ProtoJson(List.of(
            SynchronizationOuterClass.getDescriptor(),
            ForwardingOuterClass.getDescriptor(),
            DaemonOuterClass.getDescriptor(),
            PromptingOuterClass.getDescriptor()));

    private final Plans plans;
    private final ProtoJsonWriter writer;
    private final ProtoJsonReader reader;
    private final JsonFactory factory;

    private ProtoJson(List<FileDescriptor> roots) {
        this.plans = new Plans(roots);
        this.writer = new ProtoJsonWriter(plans);
        this.reader = new ProtoJsonReader(plans);
        this.factory = new JsonFactoryBuilder()
                .characterEscapes(GoCharacterEscapes.INSTANCE)
                // Go writes characters outside the BMP as raw UTF-8, not as escaped surrogate pairs.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    /** The mutagen-ws mapping for all message types of the daemon API. */
    public static ProtoJson standard() {
        return STANDARD;
    }

    /**
     * A factory whose generators escape strings like Go (see {@link #write}); use it for the
     * envelopes around messages so the whole frame follows one escaping rule.
     */
    public JsonFactory jsonFactory() {
        return factory;
    }

    /**
     * Writes {@code m} as one JSON object at the generator's current position. Switches the
     * generator to Go-style escaping ({@code <>&} and U+2028/U+2029 escaped) if it is not already,
     * so output stays safe to embed in HTML/JavaScript.
     */
    public void write(MessageOrBuilder m, JsonGenerator g) throws IOException {
        if (g.getCharacterEscapes() != GoCharacterEscapes.INSTANCE) {
            g.setCharacterEscapes(GoCharacterEscapes.INSTANCE);
        }
        writer.write(m, g);
    }

    public String toJson(MessageOrBuilder m) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(m, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public byte[] toJsonBytes(MessageOrBuilder m) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(m, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a JSON tree into a message of the given type; {@code path} is the name of the root
     * for error messages, e.g. "data". JSON null for a field means the field is absent.
     */
    @SuppressWarnings("unchecked")
    public <T extends Message> T read(JsonNode node, T defaultInstance, String path) throws JsonDecodeException {
        return (T) reader.read(node, defaultInstance.newBuilderForType(), path);
    }

    /** For tests: fields of this type that encode through getField rather than bound getters. */
    List<String> fieldsWithoutDirectGetters(Descriptor d) {
        MessagePlan p = plans.plan(d);
        return Arrays.stream(p.fields).filter(f -> p.messageClass == null || !f.direct).map(f -> f.name).toList();
    }

    /** For tests: the order of written map keys, Go's byte-wise order of UTF-8 strings. */
    static int compareUtf8(String a, String b) {
        return ProtoJsonWriter.compareUtf8(a, b);
    }
}

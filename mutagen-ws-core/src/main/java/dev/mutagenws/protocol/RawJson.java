package dev.mutagenws.protocol;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Objects;

/**
 * JSON text that is already encoded, written as is, so that a snapshot shared by many subscribers is
 * encoded once. It keeps its UTF-8 bytes too (computed on first use), so that writing it into each
 * subscriber's frame is a copy, not another encoding.
 */
public final class RawJson {
    private final SerializedString json;

    public RawJson(String json) {
        this.json = new SerializedString(Objects.requireNonNull(json, "json"));
    }

    public String json() {
        return json.getValue();
    }

    /** The text with its cached UTF-8 form, for {@code JsonGenerator.writeRawValue}. */
    SerializableString serialized() {
        return json;
    }

    @Override
    public String toString() {
        return json.getValue();
    }
}

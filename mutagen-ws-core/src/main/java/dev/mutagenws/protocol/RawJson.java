package dev.mutagenws.protocol;

import java.util.Objects;

/** JSON text that is already encoded, written as is (so a shared snapshot is encoded only once). */
public final class RawJson {
    private final String json;

    public RawJson(String json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public String json() {
        return json;
    }

    @Override
    public String toString() {
        return json;
    }
}

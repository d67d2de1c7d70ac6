package dev.mutagenws.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Compares JSON as trees (content) and as compact re-serialisations (key order). */
final class JsonAssert {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonAssert() {
    }

    static String resource(String name) {
        try (InputStream in = JsonAssert.class.getResourceAsStream("/json/" + name)) {
            assertThat(in).as("test resource /json/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same JSON as {@code expected}, with keys in the same order (whitespace and escapes normalised). */
    static void assertSameJson(String actual, String expected) {
        JsonNode a = tree(actual);
        JsonNode e = tree(expected);
        assertThat(a).as("JSON content").isEqualTo(e);
        assertThat(compact(a)).as("JSON with key order").isEqualTo(compact(e));
    }

    static void assertMatchesGolden(String actual, String resourceName) {
        assertSameJson(actual, resource(resourceName));
    }

    static String compact(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

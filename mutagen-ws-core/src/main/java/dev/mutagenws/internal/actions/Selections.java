package dev.mutagenws.internal.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.internal.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the reference server's selection object ({@code id}, {@code name}, {@code label}) and our
 * extensions ({@code ids}, {@code names}, {@code all}) into a {@link SessionSelection}, with its
 * precedence: id and name become specifications; label counts only when neither is given;
 * nothing at all selects every session.
 */
public final class Selections {
    static final Set<String> FIELDS = Set.of("id", "name", "label", "ids", "names", "all");
    /** The fields {@code all} excludes, in the order errors name them. */
    private static final List<String> OTHERS = List.of("id", "name", "ids", "names", "label");

    private Selections() {
    }

    /** Reads a selection from {@code fields} (which the caller opened with the fields it allows). */
    static SessionSelection read(JsonFields fields, String path) {
        List<String> specifications = new ArrayList<>();
        String id = fields.string("id");
        String name = fields.string("name");
        if (!id.isEmpty()) {
            specifications.add(id);
        }
        if (!name.isEmpty()) {
            specifications.add(name);
        }
        addAll(specifications, fields.strings("ids"), path + ".ids");
        addAll(specifications, fields.strings("names"), path + ".names");
        String label = fields.string("label");
        fields.bool("all"); // type check; its value adds nothing: no selection at all already selects everything
        if (fields.present("all")) {
            // Even "all": false beside a name is refused: the client's intent is unclear, and guessing could
            // terminate every session.
            List<String> others = new ArrayList<>();
            for (String other : OTHERS) {
                if (fields.present(other)) {
                    others.add(other);
                }
            }
            if (!others.isEmpty()) {
                throw ProtocolException.invalid(path + ".all: cannot be combined with id, name, ids, names or label"
                        + " (got " + String.join(", ", others) + ")");
            }
        }
        if (!specifications.isEmpty()) {
            return SessionSelection.of(specifications);
        }
        if (!label.isEmpty()) {
            return SessionSelection.labels(label);
        }
        return SessionSelection.all();
    }

    /** Reads a plain selection object (no extra fields). */
    public static SessionSelection read(JsonNode data, String path) {
        return read(JsonFields.of(data, path, FIELDS), path);
    }

    private static void addAll(List<String> target, List<String> values, String path) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isEmpty()) {
                throw ProtocolException.invalid(path + "[" + i + "]: empty identifier or name");
            }
            target.add(values.get(i));
        }
    }
}

package dev.mutagenws.internal.json;

import java.util.Objects;

/**
 * Input JSON does not fit the message type. The message is {@code "<path>: <reason>"}, e.g.
 * {@code data.alpha.prot: unknown field}, and is meant to be shown to the client as is.
 */
public final class JsonDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public JsonDecodeException(String path, String reason) {
        // No stack trace: this reports bad client input, not a bug, and is thrown on hot paths.
        super(Objects.requireNonNull(path, "path") + ": " + Objects.requireNonNull(reason, "reason"), null, false, false);
        this.path = path;
        this.reason = reason;
    }

    /** Where in the input the problem is, e.g. {@code data.configuration.ignores[2]}. */
    public String path() {
        return path;
    }

    /** What is wrong there, e.g. {@code expected a number, got "x"}. */
    public String reason() {
        return reason;
    }
}

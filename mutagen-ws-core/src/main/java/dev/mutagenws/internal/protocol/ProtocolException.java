package dev.mutagenws.internal.protocol;

import java.util.Objects;

/**
 * A request failed with a known {@link Outcome} and a message meant for the client. The factories
 * build the messages every transport shares, so that each is worded once.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** What every request, stream and subscription cut short by a stopping server is told. */
    public static final String SHUTTING_DOWN = "the server is shutting down";

    private final Outcome outcome;

    public ProtocolException(Outcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /** Bad input (2003); the message says where, e.g. {@code data.alpha.port: expected a number, got "x"}. */
    public static ProtocolException invalid(String message) {
        return new ProtocolException(Outcome.INVALID_REQUEST, message);
    }

    /** The server is stopping (2009). */
    public static ProtocolException shuttingDown() {
        return new ProtocolException(Outcome.SHUTTING_DOWN, SHUTTING_DOWN);
    }

    /** An action this server does not know (2005), with the ones it does. */
    public static ProtocolException unknownAction(String action) {
        return new ProtocolException(Outcome.UNKNOWN_ACTION, "unknown action \"" + action + "\"; known actions: "
                + String.join(", ", Actions.REQUESTS));
    }

    /** A message or body over the limit (2008): {@code what} is "message" or "request body". */
    public static ProtocolException tooLarge(String what, long size, long limit) {
        return new ProtocolException(Outcome.TOO_LARGE, what + " too large: " + size + " bytes, the limit is " + limit
                + " bytes");
    }

    public Outcome outcome() {
        return outcome;
    }

    public ErrorCode code() {
        return outcome.code();
    }
}

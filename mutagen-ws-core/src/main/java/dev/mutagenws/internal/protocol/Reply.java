package dev.mutagenws.internal.protocol;

/**
 * One server-to-client frame: the reference server's envelope with all five keys,
 * {@code {"action", "id", "code", "message", "data"}}. Immutable. {@code data} is null, a protobuf
 * message, a Jackson tree, a pre-encoded {@code SerializableString} fragment, a {@code Map}/{@code List} of such values, or
 * a string, number or boolean.
 */
public final class Reply {
    /** The action of every failure reply. */
    public static final String ERROR = "error";

    private final String action;
    private final long id;
    private final Outcome outcome;
    private final String message;
    private final Object data;

    private Reply(String action, long id, Outcome outcome, String message, Object data) {
        this.action = action;
        this.id = id;
        this.outcome = outcome;
        this.message = message;
        this.data = data;
    }

    /** A success: echoes the request's action and id, code 0. */
    public static Reply success(String action, long id, Object data) {
        return new Reply(action, id, Outcome.OK, "", data);
    }

    /** A failure of request {@code id}: action "error", the failure's code and message, data null. */
    public static Reply failure(long id, Failure failure) {
        return new Reply(ERROR, id, failure.outcome(), failure.message(), null);
    }

    /** A push the client did not ask for by itself (prompt, message, state, event, daemon). */
    public static Reply push(String action, long id, String message, Object data) {
        return new Reply(action, id, Outcome.OK, message == null ? "" : message, data);
    }

    public String action() {
        return action;
    }

    public long id() {
        return id;
    }

    public int code() {
        return outcome.code().code();
    }

    /** The outcome, whose HTTP status a REST answer takes. */
    public Outcome outcome() {
        return outcome;
    }

    public String message() {
        return message;
    }

    public Object data() {
        return data;
    }

    public boolean isFailure() {
        return outcome.code() != ErrorCode.OK;
    }

    @Override
    public String toString() {
        return action + "#" + id + (isFailure() ? " " + code() : "");
    }
}

package dev.mutagenws.internal.protocol;

/**
 * Every outcome a client can be told, with its protocol code and HTTP status: the one table
 * (docs/protocol.md). Exceptions carry an outcome ({@link ProtocolException}) or are given one by
 * {@link Failure#of(Throwable)}; HTTP answers take their status from here and nowhere else (the
 * dashboard's static files aside). For each code, the first outcome listed with it is its usual one,
 * the status {@code GET /api/protocol} shows.
 */
public enum Outcome {
    /** Success. */
    OK(ErrorCode.OK, 200),
    /** A CORS preflight answered. */
    NO_CONTENT(ErrorCode.OK, 204),
    /** A browser's {@code ?token=} swapped for a cookie: the same address without it. */
    SEE_OTHER(ErrorCode.OK, 303),
    /** The daemon's own failure, in its words. */
    DAEMON_ERROR(ErrorCode.DAEMON_ERROR, 500),
    /** The one session a REST route names does not exist (the daemon's words). */
    SESSION_NOT_FOUND(ErrorCode.DAEMON_ERROR, 404),
    INVALID_REQUEST(ErrorCode.INVALID_REQUEST, 400),
    /** A name that should designate one session matches several. */
    AMBIGUOUS(ErrorCode.INVALID_REQUEST, 409),
    INTERNAL(ErrorCode.INTERNAL, 500),
    UNKNOWN_ACTION(ErrorCode.UNKNOWN_ACTION, 400),
    /** No route for the path (or no such REST operation). */
    NO_ROUTE(ErrorCode.UNKNOWN_ACTION, 404),
    /** The path exists, the method does not. */
    METHOD_NOT_ALLOWED(ErrorCode.UNKNOWN_ACTION, 405),
    /** The daemon cannot be reached (also {@code /readyz} while it cannot). */
    DAEMON_UNAVAILABLE(ErrorCode.DAEMON_UNAVAILABLE, 503),
    PROMPT_FAILED(ErrorCode.PROMPT_FAILED, 500),
    /** Too many requests in flight (or subscriptions) on one connection. */
    TOO_MANY(ErrorCode.LIMIT_EXCEEDED, 429),
    /** A message or body over the size limit. */
    TOO_LARGE(ErrorCode.LIMIT_EXCEEDED, 413),
    /** Cancelled by the client, or because its connection closed. */
    CANCELLED(ErrorCode.CANCELLED, 503),
    /** The server is stopping: new requests, long-polls, streams and subscriptions end with this. */
    SHUTTING_DOWN(ErrorCode.CANCELLED, 503),
    /** No token, or a wrong one. */
    UNAUTHORIZED(ErrorCode.REFUSED, 401),
    /** A Host or Origin that is not allowed. */
    FORBIDDEN(ErrorCode.REFUSED, 403);

    private final ErrorCode code;
    private final int httpStatus;

    Outcome(ErrorCode code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The usual outcome of a code: the first listed with it. */
    public static Outcome of(ErrorCode code) {
        for (Outcome outcome : values()) {
            if (outcome.code == code) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("no outcome for " + code);
    }
}

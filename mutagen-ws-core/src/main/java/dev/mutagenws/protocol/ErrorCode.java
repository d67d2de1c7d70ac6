package dev.mutagenws.protocol;

/**
 * Reply codes of the protocol (docs/protocol.md), with the HTTP status each maps to over REST.
 * The numbers of the reference server (0, 2001, 2003, 2004) keep their meaning.
 */
public enum ErrorCode {
    OK(0, 200),
    /** The daemon rejected or failed the operation; the message is the daemon's own text. */
    DAEMON_ERROR(2001, 500),
    /** Not JSON, not an object, wrong types, unknown fields, an invalid selection or specification. */
    INVALID_REQUEST(2003, 400),
    /** A bug in this proxy. */
    INTERNAL(2004, 500),
    /** The action is not one this server knows. */
    UNKNOWN_ACTION(2005, 400),
    /** The daemon's socket is missing, refused or the connection was lost; retryable. */
    DAEMON_UNAVAILABLE(2006, 503),
    /** A question from the daemon could not be answered: timed out, cancelled, or impossible here. */
    PROMPT_FAILED(2007, 500),
    /** Too many requests in flight on the connection, or a frame/body too large; retryable. */
    LIMIT_EXCEEDED(2008, 429),
    /** The request was cancelled (cancel action, connection closing, shutdown). */
    CANCELLED(2009, 503);

    private final int code;
    private final int httpStatus;

    ErrorCode(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

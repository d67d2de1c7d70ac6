package dev.mutagenws.internal.protocol;

/**
 * Reply codes of the protocol (docs/protocol.md). The numbers of the reference server (0, 2001, 2003,
 * 2004) keep their meaning. The HTTP status a failure gets is its {@link Outcome}'s.
 */
public enum ErrorCode {
    OK(0),
    /** The daemon rejected or failed the operation; the message is the daemon's own text. */
    DAEMON_ERROR(2001),
    /** Not JSON, not an object, wrong types, unknown fields, an invalid selection or specification. */
    INVALID_REQUEST(2003),
    /** A bug in this proxy. */
    INTERNAL(2004),
    /** The action (or REST route) is not one this server knows. */
    UNKNOWN_ACTION(2005),
    /** The daemon's socket is missing, refused or the connection was lost; retryable. */
    DAEMON_UNAVAILABLE(2006),
    /** A question from the daemon could not be answered: timed out, cancelled, or impossible here. */
    PROMPT_FAILED(2007),
    /** Too many requests in flight on the connection, or a frame/body too large; retryable. */
    LIMIT_EXCEEDED(2008),
    /** The request was cancelled (cancel action, connection closing, shutdown). */
    CANCELLED(2009),
    /** The security checks refused the request (Host, Origin or token), before any handler ran. */
    REFUSED(2010);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

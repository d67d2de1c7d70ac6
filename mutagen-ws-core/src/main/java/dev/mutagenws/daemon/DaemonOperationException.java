package dev.mutagenws.daemon;

import java.util.Objects;

/**
 * The daemon received the request and rejected or failed it. {@link #daemonMessage()} is the
 * daemon's own text, e.g. {@code unable to locate requested sessions: specification "x" did not
 * match any sessions}; {@link #reason()} says what kind of refusal that text is.
 */
public final class DaemonOperationException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    /** What the daemon's text says happened (classified once, from the daemon's documented texts). */
    public enum Reason {
        /** The daemon's own request validation: {@code invalid <operation> request: ...}. */
        INVALID_REQUEST,
        /** A specification matched no session: {@code unable to locate requested sessions: specification ...}. */
        NOT_FOUND,
        /**
         * The call's context ended on the daemon's side (cancelled or past a deadline), e.g. a long-poll the
         * daemon stopped waiting on; the text is still the daemon's own.
         */
        ENDED,
        /** Anything else the daemon failed at (connecting to an endpoint, saving, a bad label selector, ...). */
        FAILED
    }

    private final Reason reason;
    private final String daemonMessage;

    /**
     * A rejection by the daemon. Made by this library from the failed gRPC call; public so that tests and fakes can
     * reproduce one.
     *
     * @param reason what kind of refusal the daemon's text is
     * @param daemonMessage the daemon's error text, also this exception's message
     * @param cause the gRPC failure it came from, or null
     */
    public DaemonOperationException(Reason reason, String daemonMessage, Throwable cause) {
        super(daemonMessage, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.daemonMessage = Objects.requireNonNull(daemonMessage, "daemonMessage");
    }

    /** What kind of refusal this is. */
    public Reason reason() {
        return reason;
    }

    /** The daemon's error text, unchanged. */
    public String daemonMessage() {
        return daemonMessage;
    }
}

package dev.mutagenws.daemon;

import io.grpc.Status;

/**
 * The daemon received the request and rejected or failed it. {@link #daemonMessage()} is the
 * daemon's own text, e.g. {@code unable to locate requested sessions: specification "x" did not
 * match any sessions}; the daemon sends these as gRPC {@code UNKNOWN}.
 */
public final class DaemonOperationException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final String daemonMessage;

    /**
     * A rejection by the daemon. Made by this library from the failed gRPC call; public so that tests and fakes can
     * reproduce one.
     *
     * @param code the gRPC status code of the answer
     * @param daemonMessage the daemon's error text, also this exception's message
     * @param cause the gRPC failure it came from, or null
     */
    public DaemonOperationException(Status.Code code, String daemonMessage, Throwable cause) {
        super(daemonMessage, cause);
        this.code = code;
        this.daemonMessage = daemonMessage;
    }

    /** The gRPC code the daemon answered with: {@code UNKNOWN} for everything the daemon itself produces. */
    public Status.Code code() {
        return code;
    }

    /** The daemon's error text, unchanged. */
    public String daemonMessage() {
        return daemonMessage;
    }
}

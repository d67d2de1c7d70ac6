package dev.mutagenws.daemon;

import java.nio.file.Path;

/**
 * The daemon could not be reached: its socket is missing, refuses connections, or the connection
 * broke mid-call. Retryable once the daemon is (re)started.
 */
public final class DaemonUnavailableException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    /** Why the daemon was unreachable, for callers that word their own messages. */
    public enum Reason {
        /** No socket file at the path: the daemon is not running (or another data directory is in use). */
        SOCKET_MISSING,
        /** A socket file exists but nothing accepts on it: the daemon died without cleaning up. */
        CONNECTION_REFUSED,
        /** The connection broke during the call, e.g. the daemon stopped. */
        CONNECTION_LOST,
        /** Anything else the transport reported. */
        OTHER
    }

    private final transient Path socket;
    private final Reason reason;

    /**
     * An unreachable daemon. Made by this library from the transport's failure; public so that tests and fakes can
     * reproduce one.
     *
     * @param socket the socket path that was tried
     * @param reason which way it failed; chooses the wording of the message
     * @param detail the transport's own words, appended for {@link Reason#CONNECTION_LOST} and {@link Reason#OTHER};
     *     may be null or empty
     * @param cause the transport failure, or null
     */
    public DaemonUnavailableException(Path socket, Reason reason, String detail, Throwable cause) {
        super(describe(socket, reason, detail), cause);
        this.socket = socket;
        this.reason = reason;
    }

    /** The connection to a daemon that was answering closed (it stopped or restarted), whether or not a call was running. */
    public static DaemonUnavailableException connectionClosed(Path socket) {
        return new DaemonUnavailableException(socket, Reason.CONNECTION_LOST, "the daemon closed the connection", null);
    }

    private static String describe(Path socket, Reason reason, String detail) {
        switch (reason) {
            case SOCKET_MISSING:
                return "Mutagen daemon is not running: no socket at " + socket
                        + " (start it with 'mutagen daemon start')";
            case CONNECTION_REFUSED:
                return "Mutagen daemon is not running: connection refused on " + socket
                        + " (start it with 'mutagen daemon start')";
            case CONNECTION_LOST:
                return "lost the connection to the Mutagen daemon at " + socket
                        + (detail == null || detail.isEmpty() ? "" : ": " + detail);
            default:
                return "Mutagen daemon unavailable at " + socket
                        + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** The socket path that could not be reached; null after deserialization (a {@link Path} is not serializable). */
    public Path socket() {
        return socket;
    }

    /**
     * Which way the daemon was unreachable: whether to tell the user to start it ({@link Reason#SOCKET_MISSING},
     * {@link Reason#CONNECTION_REFUSED}) or that it went away ({@link Reason#CONNECTION_LOST}).
     */
    public Reason reason() {
        return reason;
    }
}

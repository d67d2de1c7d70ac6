package dev.mutagenws.daemon;

import java.util.Objects;

/**
 * The peer on the socket answered in a way the Mutagen daemon never does (an unknown method, a
 * broken prompting handshake, an internal gRPC failure): likely not a Mutagen daemon, or an
 * incompatible version. Also a message over the size limit, either way.
 */
public final class DaemonProtocolException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    /** What gave the peer away. */
    public enum Reason {
        /** A message over the size limit, in either direction. */
        MESSAGE_TOO_LARGE,
        /** The peer does not know a method the Mutagen daemon has (another program, or an incompatible version). */
        UNKNOWN_METHOD,
        /** Anything else: a broken exchange, an internal failure, an answer the daemon never gives. */
        BROKEN_EXCHANGE
    }

    private final Reason reason;

    /**
     * A peer that does not behave like the Mutagen daemon. Made by this library; public so that tests and fakes can
     * reproduce one.
     *
     * @param reason what gave the peer away
     * @param message what went wrong, fit for a user
     * @param cause the gRPC failure, or null
     */
    public DaemonProtocolException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * What gave the peer away.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}

package dev.mutagenws.daemon;

import io.grpc.Status;

/**
 * The peer on the socket answered in a way the Mutagen daemon never does (an unknown method, a
 * broken prompting handshake, an internal gRPC failure): likely not a Mutagen daemon, or an
 * incompatible version. Also a message over the size limit, either way ({@code RESOURCE_EXHAUSTED}).
 */
public final class DaemonProtocolException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    /**
     * A peer that does not behave like the Mutagen daemon. Made by this library; public so that tests and fakes can
     * reproduce one.
     *
     * @param code the gRPC status code that gave the peer away
     * @param message what went wrong, fit for a user
     * @param cause the gRPC failure, or null
     */
    public DaemonProtocolException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The gRPC status code that gave the peer away: e.g. {@code UNIMPLEMENTED} for a method the peer does not know,
     * {@code RESOURCE_EXHAUSTED} for a message over the size limit, {@code INTERNAL} for a broken exchange.
     */
    public Status.Code code() {
        return code;
    }
}

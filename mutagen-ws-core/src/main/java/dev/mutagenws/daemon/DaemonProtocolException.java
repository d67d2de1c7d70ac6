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

    public DaemonProtocolException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }
}

package dev.mutagenws.daemon;

/** This platform cannot open the daemon's socket at all (no native transport). Not retryable. */
public final class DaemonTransportException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    public DaemonTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}

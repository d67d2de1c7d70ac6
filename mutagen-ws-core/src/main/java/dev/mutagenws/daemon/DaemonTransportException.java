package dev.mutagenws.daemon;

/** This platform cannot open the daemon's socket at all (no native transport). Not retryable. */
public final class DaemonTransportException extends MutagenDaemonException {
    private static final long serialVersionUID = 1L;

    /**
     * No way to open a Unix socket here.
     *
     * @param message what is missing, fit for a user
     * @param cause the failure that showed it (e.g. the native library's load error), or null
     */
    public DaemonTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}

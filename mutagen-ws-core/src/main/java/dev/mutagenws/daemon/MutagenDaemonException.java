package dev.mutagenws.daemon;

/** Base of every failure talking to the Mutagen daemon. */
public abstract class MutagenDaemonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected MutagenDaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}

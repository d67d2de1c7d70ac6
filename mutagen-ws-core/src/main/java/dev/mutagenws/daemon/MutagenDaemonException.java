package dev.mutagenws.daemon;

/**
 * Base of every failure talking to the Mutagen daemon; unchecked, delivered as the error signal of the
 * {@link MutagenDaemon} call that failed. The subclass says what went wrong and whether retrying can help.
 */
public abstract class MutagenDaemonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** For the subclasses: a failure with a message fit for a user and its cause (may be null). */
    protected MutagenDaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}

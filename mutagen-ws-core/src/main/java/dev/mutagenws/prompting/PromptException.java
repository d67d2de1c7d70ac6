package dev.mutagenws.prompting;

/**
 * A question from the daemon could not be answered: no answer in time, the asker went away, or
 * the prompter cannot ask. The message never contains an answer.
 */
public class PromptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failed exchange; the message says why and may quote the question's first line, never an answer. */
    public PromptException(String message) {
        super(message);
    }

    /** A failed exchange with the failure behind it (e.g. a timeout); the message must not contain an answer. */
    public PromptException(String message, Throwable cause) {
        super(message, cause);
    }
}

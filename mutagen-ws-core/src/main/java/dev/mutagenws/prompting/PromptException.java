package dev.mutagenws.prompting;

/**
 * A question from the daemon could not be answered: no answer in time, the asker went away, or
 * the prompter cannot ask. The message never contains an answer.
 */
public class PromptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PromptException(String message) {
        super(message);
    }

    public PromptException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.mutagenws.prompting;

import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Answers what the daemon says and asks during one operation: status lines ("Creating
 * session...") and questions (an SSH password, a host-key confirmation).
 *
 * <p>The daemon waits for each exchange before it continues, so implementations should answer
 * promptly and must not block: return a {@link Mono} that completes when the message has been
 * shown or the answer is known. An error from {@link #prompt} fails the operation.
 */
public interface Prompter {
    /** Shows a status line; completes once handled. */
    Mono<Void> message(String text);

    /** Asks a question; emits the answer (which may be a secret: never log it). */
    Mono<String> prompt(String text);

    /** Whether this prompter can answer questions; when false the daemon fails a question at once. */
    default boolean allowsPrompts() {
        return true;
    }

    /** A prompter that ignores messages and cannot answer questions. */
    static Prompter silent() {
        return messagesOnly(text -> { });
    }

    /** A prompter that hands messages to a callback and cannot answer questions. */
    static Prompter messagesOnly(Consumer<String> onMessage) {
        return new Prompter() {
            @Override
            public Mono<Void> message(String text) {
                return Mono.fromRunnable(() -> onMessage.accept(text));
            }

            @Override
            public Mono<String> prompt(String text) {
                return Mono.error(new PromptException("prompting is not possible here: " + firstLine(text)));
            }

            @Override
            public boolean allowsPrompts() {
                return false;
            }
        };
    }

    /** The first line of a prompt, safe for error messages (prompts are the daemon's text, never an answer). */
    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}

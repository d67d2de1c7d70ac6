package dev.mutagenws.testkit;

/** A failure of a prompter exchange; callers decide whether it is fatal (remote connect) or ignored (session messages). */
final class PromptError extends Exception {
    PromptError(String text) {
        super(text, null, false, false);
    }
}

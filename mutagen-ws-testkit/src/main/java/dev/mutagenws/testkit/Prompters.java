package dev.mutagenws.testkit;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Registry of hosted prompters, with the daemon's empty-vs-unknown identifier rules (facts §4.10). */
final class Prompters {
    private final ConcurrentHashMap<String, HostedPrompter> hosted = new ConcurrentHashMap<>();

    void register(HostedPrompter p) {
        hosted.put(p.identifier, p);
    }

    void unregister(HostedPrompter p) {
        hosted.remove(p.identifier, p);
    }

    Set<String> identifiers() {
        return new TreeSet<>(hosted.keySet());
    }

    void clear() {
        hosted.values().forEach(HostedPrompter::cancelled);
        hosted.clear();
    }

    /** Messages to the empty identifier are dropped; unknown identifiers fail. */
    void message(String identifier, String text) throws PromptError {
        if (identifier.isEmpty()) {
            return;
        }
        HostedPrompter p = hosted.get(identifier);
        if (p == null) {
            throw new PromptError("prompter not found");
        }
        p.message(text);
    }

    /** Session-level messages: the daemon ignores their failures. */
    void messageQuietly(String identifier, String text) {
        try {
            message(identifier, text);
        } catch (PromptError ignored) {
            // Faithful: e.g. an unknown prompter does not fail local operations.
        }
    }

    String prompt(String identifier, String text) throws PromptError {
        HostedPrompter p = identifier.isEmpty() ? null : hosted.get(identifier);
        if (p == null) {
            throw new PromptError("prompter not found");
        }
        return p.prompt(text);
    }
}

package dev.mutagenws.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.internal.protocol.Actions;
import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.internal.protocol.Reply;
import dev.mutagenws.prompting.PromptException;
import dev.mutagenws.prompting.Prompter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The prompts of one WebSocket connection. A daemon question during request N becomes a
 * {@code prompt} push with id N and a fresh {@code promptId}; {@code answer} settles it, either by
 * promptId or (as the reference server did) the oldest open one. Answers never leave this object
 * except towards the daemon: they are not logged and not part of any error.
 */
public final class ConnectionPrompts {
    private final Consumer<Reply> push;
    private final Duration timeout;
    private final AtomicLong counter = new AtomicLong();
    /** Open prompts, oldest first. Guarded by itself. */
    private final Map<String, Sinks.One<String>> open = new LinkedHashMap<>();

    ConnectionPrompts(Consumer<Reply> push, Duration timeout) {
        this.push = push;
        this.timeout = timeout;
    }

    /** The prompter that request {@code requestId} hands to the daemon. */
    Prompter forRequest(long requestId) {
        return new Prompter() {
            @Override
            public Mono<Void> message(String text) {
                // Acknowledged at once: the daemon should not wait for a browser to read a status line.
                push.accept(Reply.push(Actions.MESSAGE, requestId, text, null));
                return Mono.empty();
            }

            @Override
            public Mono<String> prompt(String text) {
                return ask(requestId, text);
            }
        };
    }

    private Mono<String> ask(long requestId, String text) {
        return Mono.defer(() -> {
            String promptId = "prompt-" + counter.incrementAndGet();
            Sinks.One<String> answer = Sinks.one();
            synchronized (open) {
                open.put(promptId, answer);
            }
            push.accept(Reply.push(Actions.PROMPT, requestId, text, Map.of("promptId", promptId)));
            return answer.asMono()
                    .timeout(timeout, Mono.error(() -> new PromptException("no answer within "
                            + describe(timeout) + " to the prompt: " + Prompter.firstLine(text))))
                    .doFinally(signal -> {
                        synchronized (open) {
                            open.remove(promptId);
                        }
                    });
        });
    }

    /**
     * Settles a prompt from an {@code answer} action's data: a string (oldest open prompt) or
     * {@code {"promptId": "...", "response": "..."}}.
     *
     * @throws ProtocolException (2003) when the data is malformed or there is no such open prompt
     */
    void answer(JsonNode data) {
        String promptId;
        String response;
        if (data != null && data.isTextual()) {
            promptId = null;
            response = data.textValue();
        } else if (data != null && data.isObject()) {
            for (Iterator<String> names = data.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("promptId") && !name.equals("response")) {
                    throw ProtocolException.invalid("data." + name + ": unknown field");
                }
            }
            JsonNode id = data.get("promptId");
            JsonNode value = data.get("response");
            if (id == null || !id.isTextual()) {
                throw ProtocolException.invalid("data.promptId: expected a string");
            }
            if (value == null || !value.isTextual()) {
                // The value itself is never echoed: it may be a password typed into the wrong field.
                throw ProtocolException.invalid("data.response: expected a string");
            }
            promptId = id.textValue();
            response = value.textValue();
        } else {
            throw ProtocolException.invalid("data: expected the answer as a string, or {\"promptId\", \"response\"}");
        }
        Sinks.One<String> target;
        synchronized (open) {
            if (promptId == null) {
                Iterator<Map.Entry<String, Sinks.One<String>>> oldest = open.entrySet().iterator();
                if (!oldest.hasNext()) {
                    throw ProtocolException.invalid("no prompt is waiting for an answer on this connection");
                }
                Map.Entry<String, Sinks.One<String>> entry = oldest.next();
                oldest.remove();
                target = entry.getValue();
            } else {
                target = open.remove(promptId);
                if (target == null) {
                    throw ProtocolException.invalid("no open prompt with promptId \"" + promptId
                            + "\" on this connection (answered, timed out or cancelled)");
                }
            }
        }
        target.tryEmitValue(response);
    }

    /** {@code 3 s}, {@code 1.5 s}, {@code 250 ms}: whole seconds would print a sub-second timeout as "0 s". */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** Forgets every open prompt: the connection is closing and has cancelled the requests they belong to. */
    void clear() {
        synchronized (open) {
            open.clear();
        }
    }
}

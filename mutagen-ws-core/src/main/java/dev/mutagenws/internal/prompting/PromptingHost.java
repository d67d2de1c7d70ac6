package dev.mutagenws.internal.prompting;

import dev.mutagenws.daemon.DaemonProtocolException;
import dev.mutagenws.prompting.PromptException;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.prompting.HostRequest;
import dev.mutagenws.proto.service.prompting.HostResponse;
import dev.mutagenws.proto.service.prompting.ReactorPromptingGrpc;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Hosts a {@link Prompter} on the daemon through {@code Prompting.Host} for exactly the life of
 * one operation. The daemon hands out a prompter identifier, the operation is called with it, and
 * every message or question the daemon sends meanwhile is answered in lock step (one exchange at
 * a time; an empty reply acknowledges a message). When the operation ends, for whatever reason,
 * the hosting call is cancelled and the daemon forgets the identifier.
 */
public final class PromptingHost {
    private static final Logger log = LoggerFactory.getLogger(PromptingHost.class);
    private static final HostRequest ACKNOWLEDGE = HostRequest.getDefaultInstance();

    private final ReactorPromptingGrpc.ReactorPromptingStub stub;

    public PromptingHost(ReactorPromptingGrpc.ReactorPromptingStub stub) {
        this.stub = stub;
    }

    /**
     * Runs {@code operation} with the identifier of a freshly hosted prompter.
     *
     * @param allowPrompts whether the daemon may ask questions; when false it fails them itself
     * @return the operation's outcome; fails with a {@link PromptException} when the prompter
     *     could not answer a question, and cancelling it cancels both the operation and hosting
     */
    public <T> Mono<T> host(Prompter prompter, boolean allowPrompts, Function<String, Mono<T>> operation) {
        return Mono.defer(() -> {
            Sinks.Many<HostRequest> replies = Sinks.many().unicast().onBackpressureBuffer();
            replies.tryEmitNext(HostRequest.newBuilder().setAllowPrompts(allowPrompts).build());
            Flux<HostResponse> responses = stub.host(replies.asFlux());
            return responses.switchOnFirst((first, all) -> {
                if (!first.hasValue()) {
                    // The stream failed or ended before the handshake; errors pass on to be mapped by the caller.
                    return first.isOnError() ? Mono.<T>error(first.getThrowable())
                            : Mono.<T>error(protocolError("the prompting stream ended before the daemon sent a"
                                    + " prompter identifier"));
                }
                HostResponse hello = first.get();
                String problem = handshakeProblem(hello);
                if (problem != null) {
                    return Mono.<T>error(protocolError(problem));
                }
                Mono<T> result = operation.apply(hello.getIdentifier());
                // A question that cannot be answered fails the operation; it goes through this side sink so
                // that the operation is cancelled before the hosting stream is (the daemon then sees the
                // operation's cancel, not a broken prompter).
                Sinks.One<T> unanswerable = Sinks.one();
                Mono<T> exchanges = all.skip(1)
                        .concatMap(response -> answer(prompter, allowPrompts, response)
                                .onErrorResume(PromptException.class, e -> {
                                    unanswerable.tryEmitError(e);
                                    return Mono.never();
                                }))
                        .doOnNext(replies::tryEmitNext)
                        // A broken hosting stream makes the operation itself fail in the daemon; let that error speak.
                        .onErrorResume(e -> !(e instanceof DaemonProtocolException), e -> Mono.empty())
                        .then(Mono.never());
                // Whichever settles first wins; the others (in this order) are cancelled.
                return Mono.firstWithSignal(result, unanswerable.asMono(), exchanges);
            }).next();
        });
    }

    private static Mono<HostRequest> answer(Prompter prompter, boolean allowPrompts, HostResponse response) {
        if (!response.getIdentifier().isEmpty()) {
            return Mono.error(protocolError("the daemon sent an unexpected prompter identifier mid-stream"));
        }
        if (!response.getIsPrompt()) {
            return prompter.message(response.getMessage())
                    .onErrorResume(e -> {
                        // A message that could not be shown must not stall the daemon's operation.
                        log.debug("prompter message handler failed: {}", e.toString());
                        return Mono.empty();
                    })
                    .thenReturn(ACKNOWLEDGE);
        }
        if (!allowPrompts) {
            return Mono.error(protocolError("the daemon asked a question although prompts were not allowed"));
        }
        return prompter.prompt(response.getMessage())
                .switchIfEmpty(Mono.error(() -> new PromptException("no answer to: " + Prompter.firstLine(response.getMessage()))))
                .onErrorMap(e -> !(e instanceof PromptException),
                        e -> new PromptException("prompt failed: " + e.getMessage(), e))
                .map(answer -> HostRequest.newBuilder().setResponse(answer).build());
    }

    private static String handshakeProblem(HostResponse hello) {
        if (hello.getIdentifier().isEmpty()) {
            return "the daemon's first prompting response carried no prompter identifier";
        }
        if (hello.getIsPrompt()) {
            return "the daemon's first prompting response was a prompt";
        }
        if (!hello.getMessage().isEmpty()) {
            return "the daemon's first prompting response carried a message";
        }
        return null;
    }

    private static DaemonProtocolException protocolError(String message) {
        return new DaemonProtocolException(DaemonProtocolException.Reason.BROKEN_EXCHANGE, message, null);
    }
}

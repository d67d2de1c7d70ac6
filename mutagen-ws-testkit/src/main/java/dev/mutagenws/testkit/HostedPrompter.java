package dev.mutagenws.testkit;

import dev.mutagenws.proto.service.prompting.HostRequest;
import dev.mutagenws.proto.service.prompting.HostResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/** One registered {@code Prompting.Host} stream (facts §6.1 step 5): serialized exchanges, broken after any failure. */
final class HostedPrompter {
    private static final Object EOF = new Object();
    private static final Object CANCELLED = new Object();

    final String identifier;
    final boolean allowPrompts;
    private final ServerCallStreamObserver<HostResponse> out;
    // Requests arrive on gRPC's thread; the exchange that uses the prompter takes them from here.
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock useLock = new ReentrantLock(true);
    private volatile boolean broken;
    private volatile boolean ended;

    HostedPrompter(String identifier, boolean allowPrompts, ServerCallStreamObserver<HostResponse> out) {
        this.identifier = identifier;
        this.allowPrompts = allowPrompts;
        this.out = out;
    }

    void received(HostRequest request) {
        inbox.add(request);
    }

    void halfClosed() {
        inbox.add(EOF);
    }

    void cancelled() {
        ended = true;
        inbox.add(CANCELLED);
    }

    void message(String text) throws PromptError {
        useLock.lock();
        try {
            if (broken) {
                throw new PromptError("prompter encountered previous error");
            }
            send(HostResponse.newBuilder().setMessage(text).build());
            HostRequest reply = receive();
            if (reply.getAllowPrompts()) {
                throw fail("invalid request received: unexpected prompt allowance specification");
            }
            if (!reply.getResponse().isEmpty()) {
                throw fail("invalid request received: unexpected response value when performing messaging");
            }
        } finally {
            useLock.unlock();
        }
    }

    String prompt(String text) throws PromptError {
        useLock.lock();
        try {
            if (broken) {
                throw new PromptError("prompter encountered previous error");
            }
            if (!allowPrompts) {
                throw new PromptError("prompter only supports messaging");
            }
            send(HostResponse.newBuilder().setIsPrompt(true).setMessage(text).build());
            HostRequest reply = receive();
            if (reply.getAllowPrompts()) {
                throw fail("invalid request received: unexpected prompt allowance specification");
            }
            return reply.getResponse();
        } finally {
            useLock.unlock();
        }
    }

    private PromptError fail(String text) {
        broken = true;
        return new PromptError(text);
    }

    private void send(HostResponse response) throws PromptError {
        if (ended || out.isCancelled()) {
            throw fail("unable to send response: context canceled");
        }
        try {
            synchronized (out) {
                out.onNext(response);
            }
        } catch (RuntimeException e) {
            throw fail("unable to send response: " + e.getMessage());
        }
    }

    private HostRequest receive() throws PromptError {
        Object next;
        try {
            next = inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("unable to receive request: context canceled");
        }
        if (next == EOF) {
            inbox.add(EOF); // Every later receive sees EOF as well.
            throw fail("unable to receive request: EOF");
        }
        if (next == CANCELLED) {
            inbox.add(CANCELLED);
            throw fail("unable to receive request: context canceled");
        }
        return (HostRequest) next;
    }
}

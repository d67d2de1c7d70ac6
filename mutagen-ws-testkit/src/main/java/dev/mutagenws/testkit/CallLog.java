package dev.mutagenws.testkit;

import com.google.protobuf.Message;
import dev.mutagenws.proto.service.synchronization.ListRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link FakeDaemon}'s call tracking: guards every call so that a stop can abort it, records the requests and
 * client cancellations, and counts List calls. It outlives restarts, like the fake's other observations.
 */
final class CallLog {
    static final int MAX_RECORDED_REQUESTS = 10_000;

    /** The most recent requests (bounded, so long benchmarks and soaks do not grow without end). */
    private final ArrayDeque<RecordedRequest> requests = new ArrayDeque<>();
    private final AtomicLong listCalls = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> listCallsBySelection = new ConcurrentHashMap<>();
    private final Map<String, Integer> cancelled = new ConcurrentHashMap<>();

    /** Calls not yet answered (a unary call stays here after the client's half-close until its reply). */
    private final Set<GuardedCall<?, ?>> inFlight = ConcurrentHashMap.newKeySet();
    /** Set while a stop runs: calls arriving meanwhile fail as they would on a closing connection. */
    private volatile boolean stopping;

    /** The interceptor to install on a freshly built server. */
    ServerInterceptor interceptor() {
        return new Recorder();
    }

    /** A stop begins: new calls are turned away, and every call in flight fails as on a dropped connection. */
    void abortAll() {
        stopping = true;
        for (GuardedCall<?, ?> call : List.copyOf(inFlight)) {
            call.abort();
        }
    }

    /** The stop is over (the server is gone): the next server's calls are served again. */
    void stopped() {
        stopping = false;
    }

    void countList(ListRequest request) {
        listCalls.incrementAndGet();
        String key = request.hasSelection() ? Validation.selectionText(request.getSelection()) : "";
        listCallsBySelection.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    long listCalls() {
        return listCalls.get();
    }

    long listCalls(String selectionText) {
        AtomicLong n = listCallsBySelection.get(selectionText);
        return n == null ? 0 : n.get();
    }

    int cancelledCalls(String method) {
        int n = 0;
        for (Map.Entry<String, Integer> e : cancelled.entrySet()) {
            if (e.getKey().equals(method) || e.getKey().endsWith("/" + method)) {
                n += e.getValue();
            }
        }
        return n;
    }

    boolean awaitCancelled(String method, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (cancelled) {
            while (cancelledCalls(method) < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(cancelled, left);
            }
            return true;
        }
    }

    void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * A call that can be aborted from outside. grpc's shutdownNow() resets streams with CANCEL, which a Java client
     * reports as CANCELLED; the real daemon's exit drops the connection, which clients see as UNAVAILABLE.
     */
    private final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private boolean closed;

        GuardedCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            inFlight.remove(this);
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }

        void abort() {
            close(Status.UNAVAILABLE.withDescription("error reading from server: EOF"), new Metadata());
        }
    }

    /** Records every request message and every client cancellation, keyed by full method name. */
    private final class Recorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> serverCall, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String method = serverCall.getMethodDescriptor().getFullMethodName();
            GuardedCall<Q, R> call = new GuardedCall<>(serverCall);
            if (stopping) {
                // The daemon is exiting: its connections are going, nothing new is served.
                call.abort();
                return new ServerCall.Listener<>() {
                };
            }
            inFlight.add(call);
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                @Override
                public void onMessage(Q message) {
                    synchronized (requests) {
                        requests.addLast(new RecordedRequest(method, (Message) message));
                        if (requests.size() > MAX_RECORDED_REQUESTS) {
                            requests.removeFirst();
                        }
                    }
                    super.onMessage(message);
                }

                @Override
                public void onCancel() {
                    inFlight.remove(call);
                    super.onCancel(); // First let the handler drop its waiter, so observers see a settled fake.
                    synchronized (cancelled) {
                        cancelled.merge(method, 1, Integer::sum);
                        cancelled.notifyAll();
                    }
                }
            };
        }
    }
}

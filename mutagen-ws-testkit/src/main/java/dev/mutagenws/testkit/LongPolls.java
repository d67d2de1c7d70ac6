package dev.mutagenws.testkit;

import dev.mutagenws.proto.service.synchronization.ListRequest;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The global state index and the List long-polls parked on it: every state write moves the index and wakes every
 * waiter. There is no lock of its own: {@code lock} is the engine, whose monitor guards all fake daemon state, so
 * an answer is resolved against the sessions under the same monitor that moved the index, and waiters on the
 * index (tests, a halting stop) are woken by the engine's {@code notifyAll()}. Methods documented as "under the
 * lock" must be called holding it.
 */
final class LongPolls {
    private static final class ListWaiter {
        final ListRequest request;
        final ServerCallStreamObserver<ListResponse> observer;

        ListWaiter(ListRequest request, ServerCallStreamObserver<ListResponse> observer) {
            this.request = request;
            this.observer = observer;
        }
    }

    private final Object lock;
    private final SessionRegistry sessions;
    private final Executor executor;
    private final List<ListWaiter> waiters = new ArrayList<>();
    private long index = 1;
    /** Woken long-polls whose answers are still being sent (a halting stop waits for them). */
    private int answering;

    LongPolls(Object lock, SessionRegistry sessions, Executor executor) {
        this.lock = lock;
        this.sessions = sessions;
        this.executor = executor;
    }

    long index() {
        synchronized (lock) {
            return index;
        }
    }

    int blockedListCalls() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** Under the lock. Every state write: +1 and wake all long-polls (a change of any session wakes every waiter). */
    void bump() {
        index++;
        if (index == 0) {
            index = 1; // Never 0: 0 means "no previous index".
        }
        lock.notifyAll();
        if (!waiters.isEmpty()) {
            List<ListWaiter> woken = new ArrayList<>(waiters);
            waiters.clear();
            answering += woken.size();
            for (ListWaiter w : woken) {
                executor.execute(() -> {
                    try {
                        respond(w.request, w.observer);
                    } finally {
                        synchronized (lock) {
                            answering--;
                            lock.notifyAll();
                        }
                    }
                });
            }
        }
    }

    /** Under the lock. The daemon (re)started: the index is back to 1. */
    void restart() {
        index = 1;
    }

    /** Under the lock. Hard stop: parked long-polls vanish with their connections. */
    void dropWaiters() {
        waiters.clear();
    }

    /** Answers at once unless previousStateIndex equals the current index; the selection is resolved only after. */
    void list(ListRequest request, ServerCallStreamObserver<ListResponse> observer, CallCancellation cancellation) {
        String e = Validation.selectionError(request.hasSelection(), request.getSelection());
        if (e != null) {
            Calls.fail(observer, new DaemonError("invalid list request: invalid selection specification: " + e));
            return;
        }
        synchronized (lock) {
            long previous = request.getPreviousStateIndex();
            if (previous != 0 && previous == index) {
                ListWaiter w = new ListWaiter(request, observer);
                waiters.add(w);
                // Parked without a thread; a cancelled client just drops its waiter.
                cancellation.onCancel(() -> {
                    synchronized (lock) {
                        waiters.remove(w);
                    }
                });
                return;
            }
        }
        respond(request, observer);
    }

    private void respond(ListRequest request, ServerCallStreamObserver<ListResponse> observer) {
        ListResponse response;
        try {
            synchronized (lock) {
                ListResponse.Builder b = ListResponse.newBuilder().setStateIndex(index);
                for (SessionRecord r : sessions.resolve(request.getSelection())) {
                    b.addSessionStates(r.snapshot());
                }
                response = b.build();
            }
        } catch (DaemonError error) {
            Calls.fail(observer, error);
            return;
        }
        Calls.succeed(observer, response);
    }

    /** Under the lock (released while waiting). Waits until woken long-polls have their answers on their way. */
    void awaitAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answering > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(lock, left);
        }
    }

    boolean awaitIndex(long atLeast, Duration timeout) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (index < atLeast) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}

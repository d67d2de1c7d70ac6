package dev.mutagenws.testkit;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/** Collects work to run when the client cancels; installed on the handler's thread as gRPC requires. */
final class CallCancellation {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    static CallCancellation install(ServerCallStreamObserver<?> observer) {
        CallCancellation c = new CallCancellation();
        observer.setOnCancelHandler(c::fire);
        return c;
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    private void fire() {
        List<Runnable> run;
        synchronized (this) {
            cancelled = true;
            run = new ArrayList<>(actions);
            actions.clear();
        }
        run.forEach(Runnable::run);
    }
}

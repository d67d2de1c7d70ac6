package dev.mutagenws.testkit;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** Completing unary calls safely: the client may have cancelled (or the server stopped) meanwhile. */
final class Calls {
    private Calls() {
    }

    static <T> void succeed(StreamObserver<T> observer, T value) {
        if (cancelled(observer)) {
            return;
        }
        try {
            observer.onNext(value);
            observer.onCompleted();
        } catch (IllegalStateException ignored) {
            // Call already closed (cancelled or server stopped).
        }
    }

    static void fail(StreamObserver<?> observer, DaemonError error) {
        if (cancelled(observer)) {
            return;
        }
        try {
            observer.onError(error.toStatus());
        } catch (IllegalStateException ignored) {
            // Call already closed.
        }
    }

    private static boolean cancelled(StreamObserver<?> observer) {
        return observer instanceof ServerCallStreamObserver<?> s && s.isCancelled();
    }
}

package dev.mutagenws.internal.daemon;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import reactor.core.publisher.Mono;

/**
 * Unary gRPC calls as {@link Mono}s whose cancellation cancels the call. reactor-grpc 1.2.4's
 * unary stubs drop the cancel (the daemon would keep a long-poll or a creation running), so the
 * unary methods go through here; the bidirectional prompting stream keeps the reactor-grpc stub.
 */
final class UnaryCalls {
    private UnaryCalls() {
    }

    static <Q, R> Mono<R> call(Channel channel, MethodDescriptor<Q, R> method, Q request) {
        return Mono.create(sink -> {
            ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT);
            sink.onCancel(() -> call.cancel("cancelled by the caller", null));
            ClientCalls.asyncUnaryCall(call, request, new StreamObserver<R>() {
                @Override
                public void onNext(R value) {
                    sink.success(value);
                }

                @Override
                public void onError(Throwable error) {
                    sink.error(error);
                }

                @Override
                public void onCompleted() {
                    sink.success();
                }
            });
        });
    }
}

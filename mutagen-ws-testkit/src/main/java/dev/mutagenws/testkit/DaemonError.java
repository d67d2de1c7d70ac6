package dev.mutagenws.testkit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A daemon-side failure; like grpc-go with a plain Go error it always reaches the client as UNKNOWN + text. */
final class DaemonError extends Exception {
    DaemonError(String text) {
        super(text, null, false, false);
    }

    StatusRuntimeException toStatus() {
        return Status.UNKNOWN.withDescription(getMessage()).asRuntimeException();
    }
}

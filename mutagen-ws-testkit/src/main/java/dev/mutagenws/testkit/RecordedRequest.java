package dev.mutagenws.testkit;

import com.google.protobuf.Message;

/**
 * A request message the fake received, in arrival order.
 *
 * @param method full gRPC method name, e.g. {@code synchronization.Synchronization/List}
 * @param message the request (for streams: each message)
 */
public record RecordedRequest(String method, Message message) {
    /** The bare method name, e.g. {@code List}. */
    public String shortMethod() {
        return method.substring(method.indexOf('/') + 1);
    }

    boolean matches(String name) {
        return method.equals(name) || shortMethod().equals(name);
    }
}

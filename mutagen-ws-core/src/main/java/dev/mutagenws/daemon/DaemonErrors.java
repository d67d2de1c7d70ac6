package dev.mutagenws.daemon;

import io.grpc.Status;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place where a gRPC failure from the daemon's socket becomes a typed
 * {@link MutagenDaemonException}. Everything the daemon itself reports arrives as {@code UNKNOWN}
 * with its text as the status description; transport trouble arrives as {@code UNAVAILABLE}.
 */
public final class DaemonErrors {
    private DaemonErrors() {
    }

    /** Maps any throwable from a daemon call; non-gRPC throwables and already mapped ones pass unchanged. */
    public static Throwable map(Throwable error, Path socket) {
        if (error instanceof MutagenDaemonException) {
            return error;
        }
        Status status = statusOf(error);
        if (status == null) {
            return error;
        }
        String description = status.getDescription() == null ? "" : status.getDescription();
        switch (status.getCode()) {
            case UNKNOWN:
                return new DaemonOperationException(status.getCode(), description, error);
            case UNAVAILABLE:
                return new DaemonUnavailableException(socket, unavailableReason(status), detail(status), error);
            case CANCELLED:
            case DEADLINE_EXCEEDED:
                // The daemon keeps context codes on errors that wrap them (a cancelled long-poll); the text is still its own.
                return new DaemonOperationException(status.getCode(),
                        description.isEmpty() ? status.getCode().name().toLowerCase(Locale.ROOT) : description, error);
            default:
                return new DaemonProtocolException(status.getCode(),
                        "unexpected answer from the daemon at " + socket + ": " + status.getCode()
                                + (description.isEmpty() ? "" : " " + description), error);
        }
    }

    private static Status statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof io.grpc.StatusRuntimeException) {
                return ((io.grpc.StatusRuntimeException) t).getStatus();
            }
            if (t instanceof io.grpc.StatusException) {
                return ((io.grpc.StatusException) t).getStatus();
            }
        }
        return null;
    }

    /** True for failures that happened before the call reached the daemon (so repeating it is safe). */
    static boolean neverReachedDaemon(Throwable error) {
        if (!(error instanceof DaemonUnavailableException)) {
            return false;
        }
        DaemonUnavailableException.Reason reason = ((DaemonUnavailableException) error).reason();
        return reason == DaemonUnavailableException.Reason.SOCKET_MISSING
                || reason == DaemonUnavailableException.Reason.CONNECTION_REFUSED;
    }

    /** grpc-netty's description of a transport failure is often just "io exception": add what the socket said. */
    private static String detail(Status status) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root == null ? null : root.getMessage();
        if (cause == null || cause.isBlank() || description.contains(cause)) {
            return description;
        }
        return description.isEmpty() ? cause : description + " (" + cause + ")";
    }

    private static DaemonUnavailableException.Reason unavailableReason(Status status) {
        for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
            // Netty's native transport reports ENOENT as FileNotFoundException, ECONNREFUSED as ConnectException.
            if (t instanceof java.io.FileNotFoundException) {
                return DaemonUnavailableException.Reason.SOCKET_MISSING;
            }
            if (t instanceof java.net.ConnectException) {
                return DaemonUnavailableException.Reason.CONNECTION_REFUSED;
            }
            if (t instanceof java.nio.channels.ClosedChannelException) {
                // The connection closed under the call (Netty's closed-channel exceptions carry no message).
                return DaemonUnavailableException.Reason.CONNECTION_LOST;
            }
        }
        // The native transport reports errno texts; they are the only way to tell "not running" from "went away".
        StringBuilder text = new StringBuilder(String.valueOf(status.getDescription()));
        for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
            text.append(' ').append(t.getMessage());
        }
        String all = text.toString().toLowerCase(Locale.ROOT);
        if (all.contains("no such file or directory") || all.contains("enoent")) {
            return DaemonUnavailableException.Reason.SOCKET_MISSING;
        }
        if (all.contains("connection refused") || all.contains("econnrefused")) {
            return DaemonUnavailableException.Reason.CONNECTION_REFUSED;
        }
        if (all.contains("closed") || all.contains("goaway") || all.contains("reset") || all.contains("eof")
                || all.contains("broken pipe") || all.contains("epipe")) {
            return DaemonUnavailableException.Reason.CONNECTION_LOST;
        }
        return DaemonUnavailableException.Reason.OTHER;
    }
}

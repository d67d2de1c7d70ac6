package dev.mutagenws.internal.daemon;

import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.DaemonProtocolException;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.daemon.MutagenDaemonException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place where a gRPC failure from the daemon's socket becomes a typed
 * {@link MutagenDaemonException}. Everything the daemon itself reports arrives as {@code UNKNOWN}
 * with its text as the status description; transport trouble arrives as {@code UNAVAILABLE}.
 */
public final class DaemonErrors {
    /** {@code invalid create request: ...}, {@code invalid prompt request: ...}, {@code invalid request received: ...}. */
    private static final Pattern INVALID_REQUEST = Pattern.compile("invalid ([a-z]+ )?request\\b");
    private static final String NOT_FOUND = "unable to locate requested sessions: specification ";

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
                return new DaemonOperationException(reasonOf(description), description, error);
            case UNAVAILABLE:
                return new DaemonUnavailableException(socket, unavailableReason(status), detail(status), error);
            case CANCELLED:
            case DEADLINE_EXCEEDED:
                // The daemon keeps context codes on errors that wrap them (a cancelled long-poll); the text is still its own.
                return new DaemonOperationException(DaemonOperationException.Reason.ENDED,
                        description.isEmpty() ? status.getCode().name().toLowerCase(Locale.ROOT) : description, error);
            default:
                return new DaemonProtocolException(protocolReason(status.getCode()),
                        "unexpected answer from the daemon at " + socket + ": " + status.getCode()
                                + (description.isEmpty() ? "" : " " + description), error);
        }
    }

    /**
     * Classifies a text the daemon answered with (gRPC {@code UNKNOWN}) from the forms Mutagen's services
     * use (the same in v0.16 to v0.18): request validation says
     * {@code invalid <operation> request: ...}, an unmatched specification
     * {@code unable to locate requested sessions: specification "<spec>" did not match any sessions}.
     */
    static DaemonOperationException.Reason reasonOf(String text) {
        if (INVALID_REQUEST.matcher(text).lookingAt()) {
            return DaemonOperationException.Reason.INVALID_REQUEST;
        }
        if (text.startsWith(NOT_FOUND)) {
            return DaemonOperationException.Reason.NOT_FOUND;
        }
        return DaemonOperationException.Reason.FAILED;
    }

    private static Status statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException) {
                return ((StatusRuntimeException) t).getStatus();
            }
            if (t instanceof StatusException) {
                return ((StatusException) t).getStatus();
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
            if (t instanceof FileNotFoundException) {
                return DaemonUnavailableException.Reason.SOCKET_MISSING;
            }
            if (t instanceof ConnectException) {
                return DaemonUnavailableException.Reason.CONNECTION_REFUSED;
            }
            if (t instanceof ClosedChannelException) {
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

    /** What a status the daemon never answers with says about the peer. */
    private static DaemonProtocolException.Reason protocolReason(Status.Code code) {
        return switch (code) {
            case RESOURCE_EXHAUSTED -> DaemonProtocolException.Reason.MESSAGE_TOO_LARGE;
            case UNIMPLEMENTED -> DaemonProtocolException.Reason.UNKNOWN_METHOD;
            default -> DaemonProtocolException.Reason.BROKEN_EXCHANGE;
        };
    }
}

package dev.mutagenws.protocol;

import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.DaemonProtocolException;
import dev.mutagenws.daemon.DaemonTransportException;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.json.JsonDecodeException;
import dev.mutagenws.prompting.PromptException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told about a failed request: a code, a message and an HTTP status.
 * {@link #of(Throwable)} is the one place where every kind of failure gets its code.
 */
public final class Failure {
    private static final Logger log = LoggerFactory.getLogger(Failure.class);
    private static final AtomicLong INCIDENTS = new AtomicLong();

    private final ErrorCode code;
    private final String message;
    private final int httpStatus;

    public Failure(ErrorCode code, String message, int httpStatus) {
        this.code = Objects.requireNonNull(code, "code");
        this.message = Objects.requireNonNull(message, "message");
        this.httpStatus = httpStatus;
    }

    public Failure(ErrorCode code, String message) {
        this(code, message, code.httpStatus());
    }

    /**
     * Classifies any throwable. Only our own validation ({@link ProtocolException}, {@link JsonDecodeException})
     * is the client's fault (2003); unexpected exceptions are 2004 with a generic message, logged with a reference
     * the client gets to see.
     */
    public static Failure of(Throwable error) {
        if (error instanceof ProtocolException) {
            ProtocolException e = (ProtocolException) error;
            return new Failure(e.code(), e.getMessage(), e.httpStatus());
        }
        if (error instanceof JsonDecodeException) {
            return new Failure(ErrorCode.INVALID_REQUEST, error.getMessage());
        }
        if (error instanceof DaemonOperationException) {
            String text = ((DaemonOperationException) error).daemonMessage();
            // The daemon's own request validation ("invalid create request: ...") is a bad request, not a failure.
            ErrorCode code = text.startsWith("invalid ") ? ErrorCode.INVALID_REQUEST : ErrorCode.DAEMON_ERROR;
            return new Failure(code, text, code == ErrorCode.DAEMON_ERROR ? 500 : 400);
        }
        if (error instanceof DaemonUnavailableException || error instanceof DaemonTransportException) {
            return new Failure(ErrorCode.DAEMON_UNAVAILABLE, error.getMessage());
        }
        if (error instanceof PromptException) {
            return new Failure(ErrorCode.PROMPT_FAILED, error.getMessage());
        }
        if (error instanceof CancellationException) {
            return new Failure(ErrorCode.CANCELLED, error.getMessage() == null ? "cancelled" : error.getMessage());
        }
        if (error instanceof DaemonProtocolException) {
            return new Failure(ErrorCode.INTERNAL, error.getMessage());
        }
        // Anything else is our bug, never the client's (not even an IllegalArgumentException: ours throw those
        // for misuse of our own APIs). The client learns only an incident number; the detail goes to the log,
        // which never sees request data (a prompt answer could be in it), only the exception.
        long incident = INCIDENTS.incrementAndGet();
        log.error("internal error #{}", incident, error);
        return new Failure(ErrorCode.INTERNAL, "internal error #" + incident + "; see the server log");
    }

    public ErrorCode code() {
        return code;
    }

    public String message() {
        return message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @Override
    public String toString() {
        return code.code() + " " + message;
    }
}

package dev.mutagenws.internal.protocol;

import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.DaemonProtocolException;
import dev.mutagenws.daemon.DaemonTransportException;
import dev.mutagenws.daemon.DaemonUnavailableException;
import dev.mutagenws.internal.json.JsonDecodeException;
import dev.mutagenws.prompting.PromptException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told about a failed request: an {@link Outcome} (its code and HTTP status) and a
 * message. {@link #of(Throwable)} is the one place where every kind of failure gets its outcome.
 */
public final class Failure {
    private static final Logger log = LoggerFactory.getLogger(Failure.class);
    private static final AtomicLong INCIDENTS = new AtomicLong();

    private final Outcome outcome;
    private final String message;

    public Failure(Outcome outcome, String message) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.message = Objects.requireNonNull(message, "message");
    }

    /**
     * Classifies any throwable. Only our own validation ({@link ProtocolException}, {@link JsonDecodeException})
     * and the daemon's request validation are the client's fault (2003); unexpected exceptions are 2004 with a
     * generic message, logged with a reference the client gets to see.
     */
    public static Failure of(Throwable error) {
        if (error instanceof ProtocolException e) {
            return new Failure(e.outcome(), e.getMessage());
        }
        if (error instanceof JsonDecodeException) {
            return new Failure(Outcome.INVALID_REQUEST, error.getMessage());
        }
        if (error instanceof DaemonOperationException e) {
            // The daemon's own request validation ("invalid create request: ...") is a bad request, not a failure.
            return new Failure(e.reason() == DaemonOperationException.Reason.INVALID_REQUEST ? Outcome.INVALID_REQUEST
                    : Outcome.DAEMON_ERROR, e.daemonMessage());
        }
        if (error instanceof DaemonUnavailableException || error instanceof DaemonTransportException) {
            return new Failure(Outcome.DAEMON_UNAVAILABLE, error.getMessage());
        }
        if (error instanceof PromptException) {
            return new Failure(Outcome.PROMPT_FAILED, error.getMessage());
        }
        if (error instanceof CancellationException) {
            return new Failure(Outcome.CANCELLED, error.getMessage() == null ? "cancelled" : error.getMessage());
        }
        if (error instanceof DaemonProtocolException) {
            return new Failure(Outcome.INTERNAL, error.getMessage());
        }
        // Anything else is our bug, never the client's (not even an IllegalArgumentException: ours throw those
        // for misuse of our own APIs). The client learns only an incident number; the detail goes to the log,
        // which never sees request data (a prompt answer could be in it), only the exception.
        long incident = INCIDENTS.incrementAndGet();
        log.error("internal error #{}", incident, error);
        return new Failure(Outcome.INTERNAL, "internal error #" + incident + "; see the server log");
    }

    public Outcome outcome() {
        return outcome;
    }

    public ErrorCode code() {
        return outcome.code();
    }

    public String message() {
        return message;
    }

    public int httpStatus() {
        return outcome.httpStatus();
    }

    @Override
    public String toString() {
        return code().code() + " " + message;
    }
}

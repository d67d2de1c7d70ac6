package dev.mutagenws.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is blamed for a failure: only our own validation is the client's fault (2003); our bugs are 2004. */
class FailureTest {
    @Test
    void ourValidationIsTheClientsFault() {
        Failure invalid = Failure.of(ProtocolException.invalid("data.id: expected a string, got 5"));
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(invalid.message()).isEqualTo("data.id: expected a string, got 5");
        assertThat(invalid.httpStatus()).isEqualTo(400);

        Failure decode = null;
        try {
            ProtoJson.standard().read(JsonNodeFactory.instance.objectNode().put("nmae", "x"),
                    CreationSpecification.getDefaultInstance(), "data");
        } catch (Exception e) {
            decode = Failure.of(e);
        }
        assertThat(decode).isNotNull();
        assertThat(decode.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(decode.message()).isEqualTo("data.nmae: unknown field");
    }

    @Test
    void theDaemonsReasonChoosesTheOutcome() {
        Failure invalid = Failure.of(new DaemonOperationException(DaemonOperationException.Reason.INVALID_REQUEST,
                "invalid pause request: invalid selection specification: empty specification", null));
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(invalid.httpStatus()).isEqualTo(400);
        assertThat(invalid.message()).isEqualTo(
                "invalid pause request: invalid selection specification: empty specification");
        // Not found is the daemon's failure over a selection; only a route about one session makes it a 404.
        Failure notFound = Failure.of(new DaemonOperationException(DaemonOperationException.Reason.NOT_FOUND,
                "unable to locate requested sessions: specification \"x\" did not match any sessions", null));
        assertThat(notFound.code()).isEqualTo(ErrorCode.DAEMON_ERROR);
        assertThat(notFound.httpStatus()).isEqualTo(500);
        Failure shutdown = Failure.of(ProtocolException.shuttingDown());
        assertThat(shutdown.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(shutdown.httpStatus()).isEqualTo(503);
        assertThat(shutdown.message()).isEqualTo("the server is shutting down");
    }

    @Test
    void everyCodeHasItsUsualOutcomeAndEveryOutcomeOneStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(Outcome.of(code).code()).isEqualTo(code);
        }
        assertThat(Outcome.of(ErrorCode.LIMIT_EXCEEDED).httpStatus()).isEqualTo(429);
        assertThat(Outcome.TOO_LARGE.httpStatus()).isEqualTo(413);
        assertThat(Outcome.of(ErrorCode.DAEMON_ERROR).httpStatus()).isEqualTo(500);
    }

    @Test
    void aProxyBugIsAnInternalErrorWithAGenericMessage() {
        // What ReplyWriter throws for data it cannot encode: our bug, whatever its exception type.
        IllegalArgumentException bug = null;
        try {
            new ReplyWriter(ProtoJson.standard()).writeValue(new Object());
        } catch (IllegalArgumentException e) {
            bug = e;
        }
        assertThat(bug).isNotNull();
        for (RuntimeException error : List.of(bug, new IllegalStateException("secret state"),
                new NullPointerException("x is null"))) {
            Failure failure = Failure.of(error);
            assertThat(failure.code()).as("code for %s", error).isEqualTo(ErrorCode.INTERNAL);
            assertThat(failure.httpStatus()).isEqualTo(500);
            // Neither the detail nor the exception's type reaches the client; the incident number finds the log.
            assertThat(failure.message()).matches("internal error #\\d+; see the server log");
        }
    }
}

package dev.mutagenws.internal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.daemon.DaemonOperationException;
import dev.mutagenws.daemon.DaemonOperationException.Reason;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The daemon's texts are classified once, from the forms its services use; the gRPC code stays inside. */
class DaemonErrorsTest {
    private static final Path SOCKET = Path.of("/tmp/daemon.sock");

    private static DaemonOperationException unknown(String text) {
        return (DaemonOperationException) DaemonErrors.map(Status.UNKNOWN.withDescription(text).asRuntimeException(),
                SOCKET);
    }

    @Test
    void theDaemonsRequestValidationIsAnInvalidRequest() {
        for (String text : new String[] {
                "invalid create request: invalid creation specification: invalid alpha URL: local URL with relative path",
                "invalid pause request: invalid selection specification: multiple selection mechanisms present",
                "invalid prompt request: empty prompter identifier",
                "invalid request received: unexpected prompt allowance specification"}) {
            DaemonOperationException e = unknown(text);
            assertThat(e.reason()).as(text).isEqualTo(Reason.INVALID_REQUEST);
            assertThat(e.daemonMessage()).isEqualTo(text);
        }
    }

    @Test
    void anUnmatchedSpecificationIsNotFoundAndABadLabelSelectorIsNot() {
        assertThat(unknown("unable to locate requested sessions: specification \"web\" did not match any sessions")
                .reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(unknown("unable to locate requested sessions: unable to parse label selector: found '==',"
                + " expected: !, identifier, or 'end of string'").reason()).isEqualTo(Reason.FAILED);
        assertThat(unknown("unable to flush session: session is paused").reason()).isEqualTo(Reason.FAILED);
        // "invalid" inside a text that is not the daemon's validation does not make it one.
        assertThat(unknown("unable to connect to beta: invalid host key").reason()).isEqualTo(Reason.FAILED);
    }

    @Test
    void contextCodesAreCallsTheDaemonEnded() {
        DaemonOperationException cancelled = (DaemonOperationException) DaemonErrors.map(
                Status.CANCELLED.withDescription("unable to track state changes: context canceled").asRuntimeException(),
                SOCKET);
        assertThat(cancelled.reason()).isEqualTo(Reason.ENDED);
        assertThat(cancelled.daemonMessage()).isEqualTo("unable to track state changes: context canceled");
        DaemonOperationException deadline = (DaemonOperationException) DaemonErrors.map(
                Status.DEADLINE_EXCEEDED.asRuntimeException(), SOCKET);
        assertThat(deadline.reason()).isEqualTo(Reason.ENDED);
        assertThat(deadline.daemonMessage()).isEqualTo("deadline_exceeded");
    }
}

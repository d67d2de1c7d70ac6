package dev.mutagenws.internal.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The access-log redaction: a token in the query never reaches the line, whatever else the query holds. */
class AccessLogsTest {
    static final String TOKEN = Tokens.generate();

    @Test
    void everyTokenParameterIsRedactedAndTheRestKept() {
        assertThat(AccessLogs.redact("/api/synchronization/sessions?token=" + TOKEN))
                .isEqualTo("/api/synchronization/sessions?token=<redacted>");
        assertThat(AccessLogs.redact("/api/x?name=web&token=" + TOKEN + "&label=a%3Db"))
                .isEqualTo("/api/x?name=web&token=<redacted>&label=a%3Db");
        assertThat(AccessLogs.redact("/x?token=" + TOKEN + ";token=" + TOKEN + "&token"))
                .isEqualTo("/x?token=<redacted>;token=<redacted>&token=<redacted>");
        // Names as the guard reads them: decoded.
        assertThat(AccessLogs.redact("/x?%74oken=" + TOKEN + "&to%6Ben=" + TOKEN))
                .isEqualTo("/x?%74oken=<redacted>&to%6Ben=<redacted>");
        assertThat(AccessLogs.redact("http://127.0.0.1:8081/?token=" + TOKEN)).isEqualTo("http://127.0.0.1:8081/?token=<redacted>");
    }

    @Test
    void otherUrisAreUnchanged() {
        for (String uri : new String[] {"/", "/healthz", "/x?", "/x?a=1&&b=2;", "/x?tokens=1&mytoken=2&token_=3",
                "/x?bad=%zz", "/x?%zz=1"}) {
            assertThat(AccessLogs.redact(uri)).as(uri).isEqualTo(uri);
        }
        assertThat(AccessLogs.redact(null)).isNull();
    }
}

package dev.mutagenws.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration grammar: every form the query parameters and the launcher's flags accepted before. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        // Bare seconds and single units (query parameters).
        "30, PT30S", "0, PT0S", "500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "' 45s ', PT45S",
        // Combined units and any case (the launcher's flags).
        "1h30m, PT1H30M", "2m30s, PT2M30S", "1s500ms, PT1.5S", "90S, PT1M30S", "1H5M, PT1H5M",
        "0000000000090s, PT1M30S"})
    void acceptsEveryFormEitherGrammarAccepted(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "soon", "-5s", "1.5s", "5 s", "1m30", "s", "5d", "+5s", "1h-30m"})
    void refusesAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration \"" + text + "\": expected seconds (30) or numbers with a unit ms, s,"
                        + " m or h (500ms, 30s, 2m, 1h30m)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9999999999999999h", "9223372036854775807s1s"})
    void refusesDurationsTooLargeToHold(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration \"" + text + "\": too large");
    }
}

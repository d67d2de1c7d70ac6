package dev.mutagenws.testkit.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a", "web-1", "é", "名前", "Ωmega", "a-", "a--b", "abc123", "Defaults", "defaults2",
        "a\u0661\u00b2", // Arabic-Indic digit (Nd) and superscript two (No) are Unicode numbers
        "a23e4567e89b12d3a456426614174000", // UUID digits without dashes: not checked
        "a23e4567-e89b-12d3-a456-42661417400", // one digit short of a UUID
    })
    void validNames(String name) {
        assertThat(NameValidation.nameError(name)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // real daemon texts (errors.jsonl, reference-server/23), after "invalid name: "
        "1abc|name does not start with Unicode letter",
        "bad name|invalid name character at index 3: ' '",
        "bad_name|invalid name character at index 3: '_'",
        "defaults|\"defaults\" is disallowed as a name",
        "a23e4567-e89b-12d3-a456-426614174000|name must not be a UUID",
        "bad name!|invalid name character at index 3: ' '",
        // further cases from the rules in facts §4.4
        "1a|name does not start with Unicode letter",
        "-a|name does not start with Unicode letter",
        "_a|name does not start with Unicode letter",
        "a b|invalid name character at index 1: ' '",
        "a_b|invalid name character at index 1: '_'",
        "a.b|invalid name character at index 1: '.'",
        "A23E4567-E89B-12D3-A456-426614174000|name must not be a UUID",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479|name must not be a UUID",
        // index is the UTF-8 byte offset of the rune
        "é b|invalid name character at index 2: ' '",
        "名前!|invalid name character at index 6: '!'",
        "a😀|invalid name character at index 1: '😀'",
        "a\uD835\uDC00b c|invalid name character at index 6: ' '", // U+1D400 is a 4-byte letter
    })
    void invalidNames(String name, String expected) {
        assertThat(NameValidation.nameError(name)).isEqualTo(expected);
    }

    @Test
    void uuidStartingWithDigitFailsOnFirstCharacter() {
        assertThat(NameValidation.nameError("123e4567-e89b-12d3-a456-426614174000"))
                .isEqualTo("name does not start with Unicode letter");
    }

    @Test
    void combiningMarkIsNeitherLetterNorNumber() {
        assertThat(NameValidation.nameError("e\u0301")).isEqualTo("invalid name character at index 1: '\u0301'");
    }
}

package dev.mutagenws.testkit.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelValidationTest {

    private static final String NAME_PART_REGEX = "name part must consist of alphanumeric characters, '-', '_' "
            + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String VALUE_REGEX = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            + "or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String DNS_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private static String labelError(String key, String value) {
        Map<String, String> m = new HashMap<>();
        m.put(key, value);
        return LabelValidation.labelError(m);
    }

    // ------------------------------------------------------------ texts the real daemon produced (errors.jsonl)

    @Test
    void realDaemonKeyWithSpace() {
        assertThat(labelError("bad key", "v")).isEqualTo("invalid label key: " + NAME_PART_REGEX);
    }

    @Test
    void realDaemonEmptyKey() {
        assertThat(labelError("", "v")).isEqualTo("invalid label key: name part must be non-empty, " + NAME_PART_REGEX);
    }

    @Test
    void realDaemonTwoSlashes() {
        assertThat(labelError("a/b/c", "v")).isEqualTo("invalid label key: a qualified name must consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                + "(e.g. 'example.com/MyName')");
    }

    @Test
    void realDaemonValueWithSpace() {
        assertThat(labelError("k", "bad value")).isEqualTo("invalid label value: " + VALUE_REGEX);
    }

    @Test
    void realDaemonValueStartingWithDash() {
        assertThat(labelError("k", "-x")).isEqualTo("invalid label value: " + VALUE_REGEX);
    }

    @Test
    void realDaemonValueOf64Chars() {
        assertThat(labelError("k", "v".repeat(64))).isEqualTo("invalid label value: must be no more than 63 characters");
    }

    // ------------------------------------------------------------ further k8s rules

    @Test
    void validLabels() {
        assertThat(LabelValidation.labelError(null)).isNull();
        assertThat(LabelValidation.labelError(Map.of())).isNull();
        assertThat(LabelValidation.labelError(Map.of(
                "env", "prod",
                "example.com/app", "web-1",
                "a", "",
                "A.b_c-9", "x.Y_z-0",
                "k".repeat(63), "v".repeat(63),
                "a.b-c.d/" + "n".repeat(63), "1"))).isNull();
        assertThat(LabelValidation.keyErrors("a".repeat(253) + "/n")).isEmpty();
    }

    @Test
    void keyRules() {
        assertThat(LabelValidation.keyErrors("a".repeat(64)))
                .containsExactly("name part must be no more than 63 characters");
        assertThat(LabelValidation.keyErrors("-" + "a".repeat(63)))
                .containsExactly("name part must be no more than 63 characters", NAME_PART_REGEX);
        assertThat(LabelValidation.keyErrors("/a")).containsExactly("prefix part must be non-empty");
        assertThat(LabelValidation.keyErrors("a/")).containsExactly("name part must be non-empty", NAME_PART_REGEX);
        assertThat(LabelValidation.keyErrors("/")).containsExactly(
                "prefix part must be non-empty", "name part must be non-empty", NAME_PART_REGEX);
        assertThat(LabelValidation.keyErrors("Example.com/a")).containsExactly("prefix part " + DNS_SUBDOMAIN);
        assertThat(LabelValidation.keyErrors("a".repeat(254) + "/n")).containsExactly(
                "prefix part must be no more than 253 characters");
        assertThat(LabelValidation.keyErrors("_x_")).containsExactly(NAME_PART_REGEX);
        // Go counts bytes: 32 x 'é' is 64 bytes.
        assertThat(LabelValidation.keyErrors("é".repeat(32)))
                .containsExactly("name part must be no more than 63 characters", NAME_PART_REGEX);
        // Go's '$' is end of text, not "before a final newline".
        assertThat(LabelValidation.keyErrors("a\n")).containsExactly(NAME_PART_REGEX);
    }

    @Test
    void valueRules() {
        assertThat(LabelValidation.valueErrors("")).isEmpty();
        assertThat(LabelValidation.valueErrors("a")).isEmpty();
        assertThat(LabelValidation.valueErrors("x-")).containsExactly(VALUE_REGEX);
        assertThat(LabelValidation.valueErrors("-" + "v".repeat(63)))
                .containsExactly("must be no more than 63 characters", VALUE_REGEX);
        assertThat(LabelValidation.valueErrors("a/b")).containsExactly(VALUE_REGEX);
    }

    @Test
    void severalFailingRulesAreJoinedWithCommaSpace() {
        assertThat(labelError("Example.com/", "v")).isEqualTo("invalid label key: prefix part " + DNS_SUBDOMAIN
                + ", name part must be non-empty, " + NAME_PART_REGEX);
        assertThat(labelError("k", "-" + "v".repeat(63)))
                .isEqualTo("invalid label value: must be no more than 63 characters, " + VALUE_REGEX);
    }

    @Test
    void firstFailureInSortedKeyOrderWinsAndKeyIsCheckedBeforeValue() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("zzz", "-bad-value");
        m.put("good", "ok");
        m.put("a b", "-also-bad");
        assertThat(LabelValidation.labelError(m)).isEqualTo("invalid label key: " + NAME_PART_REGEX);
        m.remove("a b");
        assertThat(LabelValidation.labelError(m)).isEqualTo("invalid label value: " + VALUE_REGEX);
    }
}

package dev.mutagenws.testkit.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static final String LABEL_VALUE_REGEX_TEXT = "a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String NAME_PART_REGEX_TEXT = "name part must consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
            + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static boolean matches(String selector, Map<String, String> labels) throws LabelSelectorException {
        return LabelSelector.parse(selector).matches(labels);
    }

    private static void assertError(String selector, String expected) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(LabelSelectorException.class)
                .hasMessage(expected);
    }

    /** Every selector error the real v0.18.1 daemon produced (errors.jsonl, reference-server/20). */
    @Nested
    class RealDaemonTexts {
        @Test
        void spaceInsteadOfOperator() {
            assertError("a b", "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'");
        }

        @Test
        void unclosedSet() {
            assertError("env in (a", "unable to parse requirement: found '', expected: ',' or ')'");
        }

        @Test
        void leadingOperator() {
            assertError("=x", "found '=', expected: !, identifier, or 'end of string'");
        }

        @Test
        void secondOperatorAfterRequirement() {
            assertError("a=b=c", "found '=', expected: ',' or 'end of string'");
        }

        @Test
        void spaceInsideKey() {
            assertError("bad key!=1",
                    "unable to parse requirement: found 'key', expected: '=', '!=', '==', 'in', notin'");
        }

        @Test
        void tripleEqualsLexesAsDoubleEqualsFirst() {
            // reference-server/20-rest-list-bad-label-selector.json: ?label=%3D%3D%3D
            assertError("===", "found '==', expected: !, identifier, or 'end of string'");
        }
    }

    /** Further k8s v0.21.3 texts (not captured from the daemon; derived from the k8s parser). */
    @Nested
    class OtherParseErrors {
        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "!|unable to parse requirement: found '', expected: identifier",
            "!=x|found '!=', expected: !, identifier, or 'end of string'",
            "a in b|unable to parse requirement: found 'b' expected: '('",
            "a in|unable to parse requirement: found '' expected: '('",
            "a in (b c)|unable to parse requirement: found 'c', expected: ',' or ')'",
            "a in (=)|unable to parse requirement: found '=', expected: ',', ')' or identifier",
            "a in (b,=)|unable to parse requirement: found '=', expected: ',', or identifier",
            "a notin (b|unable to parse requirement: found '', expected: ',' or ')'",
            "a=(|unable to parse requirement: found '(', expected: identifier",
            "a!=)|unable to parse requirement: found ')', expected: identifier",
            "a=b,|found '', expected: identifier after ','",
            "a,=b|found '=', expected: identifier after ','",
            "a,,b|found ',', expected: identifier after ','",
            ",a|found ',', expected: !, identifier, or 'end of string'",
            "(a)|found '(', expected: !, identifier, or 'end of string'",
            "!a=b|found '=', expected: ',' or 'end of string'",
            "!a in (b)|found 'in', expected: ',' or 'end of string'",
            "a=b c|found 'c', expected: ',' or 'end of string'",
            "a<=1|unable to parse requirement: found '=', expected: identifier",
            "a=>1|unable to parse requirement: found '>', expected: identifier",
        })
        void syntaxErrors(String selector, String expected) {
            assertError(selector, expected);
        }

        @Test
        void invalidKeyIsReportedWithNilFieldPath() {
            assertError("-a=b", "unable to parse requirement: <nil>: Invalid value: \"-a\": " + NAME_PART_REGEX_TEXT);
            assertError("a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name "
                    + "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                    + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain "
                    + "prefix and '/' (e.g. 'example.com/MyName')");
        }

        @Test
        void severalKeyRulesAreJoinedWithSemicolons() {
            // k8s joins inside selectors with "; " (Mutagen's Create uses ", ").
            assertError("!Example.com/", "unable to parse requirement: <nil>: Invalid value: \"Example.com/\": "
                    + "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                    + "'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'); "
                    + "name part must be non-empty; " + NAME_PART_REGEX_TEXT);
        }

        @Test
        void keyIsQuotedLikeGo() {
            assertError("a\"b\\c", "unable to parse requirement: <nil>: Invalid value: \"a\\\"b\\\\c\": "
                    + NAME_PART_REGEX_TEXT);
            assertError("é", "unable to parse requirement: <nil>: Invalid value: \"é\": " + NAME_PART_REGEX_TEXT);
            assertError("a\u0001", "unable to parse requirement: <nil>: Invalid value: \"a\\x01\": "
                    + NAME_PART_REGEX_TEXT);
        }

        @Test
        void invalidValueUsesValuesIndexAndKeyPath() {
            assertError("a=-x", "unable to parse requirement: values[0][a]: Invalid value: \"-x\": "
                    + LABEL_VALUE_REGEX_TEXT);
            assertError("a=" + "v".repeat(64), "unable to parse requirement: values[0][a]: Invalid value: \""
                    + "v".repeat(64) + "\": must be no more than 63 characters");
            // values are sorted; the index refers to the sorted position
            assertError("a in (ok,-x)", "unable to parse requirement: values[0][a]: Invalid value: \"-x\": "
                    + LABEL_VALUE_REGEX_TEXT);
            assertError("a notin (x-,-x)", "unable to parse requirement: [values[0][a]: Invalid value: \"-x\": "
                    + LABEL_VALUE_REGEX_TEXT + ", values[1][a]: Invalid value: \"x-\": " + LABEL_VALUE_REGEX_TEXT + "]");
        }

        @Test
        void greaterAndLessThanNeedAnInteger() {
            assertError("a>x", "unable to parse requirement: values[0]: Invalid value: \"x\": "
                    + "for 'Gt', 'Lt' operators, the value must be an integer");
            assertError("a<1.5", "unable to parse requirement: values[0]: Invalid value: \"1.5\": "
                    + "for 'Gt', 'Lt' operators, the value must be an integer");
            assertError("a>", "unable to parse requirement: values[0]: Invalid value: \"\": "
                    + "for 'Gt', 'Lt' operators, the value must be an integer");
            assertError("a>99999999999999999999", "unable to parse requirement: values[0]: Invalid value: "
                    + "\"99999999999999999999\": for 'Gt', 'Lt' operators, the value must be an integer");
            // Both rules fail: aggregated in brackets, in k8s order (integer check first).
            assertError("a>-x", "unable to parse requirement: [values[0]: Invalid value: \"-x\": for 'Gt', 'Lt' "
                    + "operators, the value must be an integer, values[0][a]: Invalid value: \"-x\": "
                    + LABEL_VALUE_REGEX_TEXT + "]");
            // An integer that is not a valid label value ("-1" starts with '-') is still rejected.
            assertError("a>-1", "unable to parse requirement: values[0][a]: Invalid value: \"-1\": "
                    + LABEL_VALUE_REGEX_TEXT);
            // Non-ASCII digits are not integers for Go's ParseInt.
            assertError("a>\u0661", "unable to parse requirement: [values[0]: Invalid value: \"\u0661\": for "
                    + "'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: \"\u0661\": "
                    + LABEL_VALUE_REGEX_TEXT + "]");
        }
    }

    @Nested
    class Matching {
        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t\r\n"})
        void emptySelectorMatchesEverything(String selector) throws Exception {
            LabelSelector s = LabelSelector.parse(selector);
            assertThat(s.isEmpty()).isTrue();
            assertThat(s.matches(labels())).isTrue();
            assertThat(s.matches(labels("a", "b"))).isTrue();
            assertThat(s.matches(null)).isTrue();
        }

        @Test
        void equals() throws Exception {
            assertThat(matches("env=prod", labels("env", "prod"))).isTrue();
            assertThat(matches("env=prod", labels("env", "dev"))).isFalse();
            assertThat(matches("env=prod", labels("other", "prod"))).isFalse();
            assertThat(matches("env=prod", null)).isFalse();
        }

        @Test
        void doubleEquals() throws Exception {
            assertThat(matches("env==prod", labels("env", "prod"))).isTrue();
            assertThat(matches("env==prod", labels("env", "dev"))).isFalse();
            assertThat(matches("env==prod", labels())).isFalse();
        }

        @Test
        void notEqualsMatchesAbsentKey() throws Exception {
            assertThat(matches("env!=prod", labels("env", "dev"))).isTrue();
            assertThat(matches("env!=prod", labels())).isTrue();
            assertThat(matches("env!=prod", labels("env", "prod"))).isFalse();
        }

        @Test
        void in() throws Exception {
            assertThat(matches("env in (a,b)", labels("env", "a"))).isTrue();
            assertThat(matches("env in (a,b)", labels("env", "b"))).isTrue();
            assertThat(matches("env in (a,b)", labels("env", "c"))).isFalse();
            assertThat(matches("env in (a,b)", labels())).isFalse();
        }

        @Test
        void notInMatchesAbsentKey() throws Exception {
            assertThat(matches("env notin (a,b)", labels("env", "c"))).isTrue();
            assertThat(matches("env notin (a,b)", labels())).isTrue();
            assertThat(matches("env notin (a,b)", labels("env", "a"))).isFalse();
            assertThat(matches("env notin (a,b)", labels("env", "b"))).isFalse();
        }

        @Test
        void exists() throws Exception {
            assertThat(matches("env", labels("env", ""))).isTrue();
            assertThat(matches("env", labels("env", "x"))).isTrue();
            assertThat(matches("env", labels("x", "env"))).isFalse();
        }

        @Test
        void doesNotExist() throws Exception {
            assertThat(matches("!env", labels("x", "env"))).isTrue();
            assertThat(matches("!env", labels())).isTrue();
            assertThat(matches("!env", labels("env", ""))).isFalse();
        }

        @Test
        void greaterThan() throws Exception {
            assertThat(matches("n>5", labels("n", "6"))).isTrue();
            assertThat(matches("n>5", labels("n", "+7"))).isTrue(); // Go ParseInt accepts a sign
            assertThat(matches("n>5", labels("n", "5"))).isFalse();
            assertThat(matches("n>5", labels("n", "x"))).isFalse(); // label must parse as an integer
            assertThat(matches("n>5", labels("n", "6.0"))).isFalse();
            assertThat(matches("n>5", labels())).isFalse();
        }

        @Test
        void lessThan() throws Exception {
            assertThat(matches("n<5", labels("n", "4"))).isTrue();
            assertThat(matches("n<5", labels("n", "-3"))).isTrue();
            assertThat(matches("n<5", labels("n", "5"))).isFalse();
            assertThat(matches("n<5", labels("n", ""))).isFalse();
            assertThat(matches("n<5", labels())).isFalse();
        }

        @Test
        void commaIsAnd() throws Exception {
            String selector = "env=prod, tier in (web,api),!debug";
            assertThat(matches(selector, labels("env", "prod", "tier", "web"))).isTrue();
            assertThat(matches(selector, labels("env", "prod", "tier", "api", "x", "y"))).isTrue();
            assertThat(matches(selector, labels("env", "prod", "tier", "web", "debug", "1"))).isFalse();
            assertThat(matches(selector, labels("env", "dev", "tier", "web"))).isFalse();
            assertThat(matches(selector, labels("env", "prod"))).isFalse();
        }

        @Test
        void emptyValues() throws Exception {
            assertThat(matches("k=", labels("k", ""))).isTrue();
            assertThat(matches("k=", labels("k", "x"))).isFalse();
            assertThat(matches("k=,j", labels("k", "", "j", "1"))).isTrue();
            assertThat(matches("k in ()", labels("k", ""))).isTrue();
            assertThat(matches("k in ()", labels("k", "x"))).isFalse();
            assertThat(matches("k in (a,)", labels("k", ""))).isTrue();
            assertThat(matches("k in (,a)", labels("k", "a"))).isTrue();
            assertThat(matches("k notin (,)", labels("k", ""))).isFalse();
        }

        @Test
        void keywordsAreIdentifiersInValuePositions() throws Exception {
            assertThat(matches("in in (in,notin)", labels("in", "notin"))).isTrue();
            assertThat(matches("notin", labels("notin", "x"))).isTrue();
            assertThat(matches("a=in", labels("a", "in"))).isTrue();
            assertThat(matches("!in", labels())).isTrue();
        }

        @Test
        void whitespaceIsOnlyASeparator() throws Exception {
            assertThat(matches("  env\t=\nprod  ,\r\ntier  in  ( web , api )  ", labels("env", "prod", "tier", "api")))
                    .isTrue();
            assertThat(matches("a!=b,c", labels("c", "1"))).isTrue();
        }

        @Test
        void prefixedKeys() throws Exception {
            assertThat(matches("example.com/app=web", labels("example.com/app", "web"))).isTrue();
            assertThat(matches("example.com/app=web", labels("app", "web"))).isFalse();
        }
    }

    @Test
    void canonicalStringSortsByKey() throws Exception {
        LabelSelector s = LabelSelector.parse("z in (b,a), !y, x, w!=1, v==2, u=3, t notin (c), s>1, r<2");
        assertThat(s).hasToString("r<2,s>1,t notin (c),u=3,v==2,w!=1,x,!y,z in (a,b)");
        assertThat(s.requirements()).hasSize(9);
        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    }
}

package dev.mutagenws.testkit.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"sync", "fwrd", "pmtr", "proj"})
    void format(String prefix) {
        String id = Identifiers.newIdentifier(prefix);
        assertThat(id).hasSize(48).startsWith(prefix + "_").matches("[a-z]{4}_[0-9a-zA-Z]{43}");
        assertThat(Identifiers.isValid(id)).isTrue();
    }

    @Test
    void tenThousandAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Identifiers.newIdentifier("sync");
            assertThat(Identifiers.isValid(id)).isTrue();
            assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "syn", "synch", "Sync", "sy1c", "sync_"})
    void rejectsBadPrefixes(String prefix) {
        assertThatThrownBy(() -> Identifiers.newIdentifier(prefix)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validity() {
        assertThat(Identifiers.isValid("sync_0000000000000000000000000000000000000000000")).isTrue();
        assertThat(Identifiers.isValid("pmtr_C1QaQ6gRtRCszfWr4s8DNZcpAdKM5nIYpQ7DhMBMV08")).isTrue(); // from a trace
        assertThat(Identifiers.isValid("abcd_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")).isTrue();
        assertThat(Identifiers.isValid("f47ac10b-58cc-4372-a567-0e02b2c3d479")).isTrue(); // legacy UUID

        assertThat(Identifiers.isValid(null)).isFalse();
        assertThat(Identifiers.isValid("")).isFalse();
        assertThat(Identifiers.isValid("sync_000000000000000000000000000000000000000000")).isFalse(); // 42
        assertThat(Identifiers.isValid("sync_00000000000000000000000000000000000000000000")).isFalse(); // 44
        assertThat(Identifiers.isValid("Sync_0000000000000000000000000000000000000000000")).isFalse();
        assertThat(Identifiers.isValid("sync-0000000000000000000000000000000000000000000")).isFalse();
        assertThat(Identifiers.isValid("sync_000000000000000000000000000000000000000000-")).isFalse();
        assertThat(Identifiers.isValid("sync_0000000000000000000000000000000000000000000\n")).isFalse();
        assertThat(Identifiers.isValid("F47AC10B-58CC-4372-A567-0E02B2C3D479")).isFalse(); // UUID must be lowercase
        assertThat(Identifiers.isValid("f47ac10b58cc4372a5670e02b2c3d479")).isFalse();
        assertThat(Identifiers.isValid("nosuch")).isFalse();
    }

    @Test
    void base62IsBigEndianWithDigitsFirstAndZeroPadding() {
        byte[] b = new byte[32];
        assertThat(Identifiers.encodeBase62(b)).isEqualTo("0".repeat(43));
        b[31] = 1;
        assertThat(Identifiers.encodeBase62(b)).isEqualTo("0".repeat(42) + "1");
        b[31] = 10;
        assertThat(Identifiers.encodeBase62(b)).isEqualTo("0".repeat(42) + "a");
        b[31] = 36;
        assertThat(Identifiers.encodeBase62(b)).isEqualTo("0".repeat(42) + "A");
        b[31] = 61;
        assertThat(Identifiers.encodeBase62(b)).isEqualTo("0".repeat(42) + "Z");
        b[31] = 62;
        assertThat(Identifiers.encodeBase62(b)).isEqualTo("0".repeat(41) + "10");
        // 2^256 - 1 needs all 43 digits
        byte[] max = new byte[32];
        Arrays.fill(max, (byte) 0xFF);
        assertThat(Identifiers.encodeBase62(max)).hasSize(43).doesNotStartWith("0");
    }

    @Test
    void base62RoundTrips() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            if (i % 4 == 0) {
                Arrays.fill(b, 0, i % 32, (byte) 0); // leading zero bytes
            }
            assertThat(decode(Identifiers.encodeBase62(b))).isEqualTo(new BigInteger(1, b));
        }
    }

    private static BigInteger decode(String s) {
        BigInteger n = BigInteger.ZERO;
        for (char c : s.toCharArray()) {
            n = n.multiply(BigInteger.valueOf(62)).add(BigInteger.valueOf(Identifiers.BASE62_ALPHABET.indexOf(c)));
        }
        return n;
    }
}

package dev.mutagenws.testkit.labels;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Mutagen identifiers (facts §7.1): {@code <prefix>_<43 base62 chars>}. */
public final class Identifiers {
    private Identifiers() {
    }

    static final String BASE62_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final int RANDOM_BYTES = 32;
    static final int ENCODED_LENGTH = 43;

    private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);
    private static final Pattern PREFIX = Pattern.compile("[a-z]{4}");
    private static final Pattern MODERN = Pattern.compile("[a-z]{4}_[0-9a-zA-Z]{43}");
    private static final Pattern LEGACY_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A new identifier such as {@code sync_...}: 32 SecureRandom bytes as a big-endian base62
     * number, left-padded with {@code '0'} to 43 characters.
     *
     * @param prefix four lowercase ASCII letters, e.g. {@code sync}, {@code fwrd}, {@code pmtr}
     */
    public static String newIdentifier(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("identifier prefix must be 4 lowercase letters: " + prefix);
        }
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return prefix + "_" + encodeBase62(random);
    }

    /** {@code ^[a-z]{4}_[0-9a-zA-Z]{43}$} or a legacy lowercase UUID. */
    public static boolean isValid(String id) {
        return id != null && (MODERN.matcher(id).matches() || LEGACY_UUID.matcher(id).matches());
    }

    /** Big-endian base62 of {@code bytes} (Go {@code big.Int.Text(62)}), left-padded to 43 chars. */
    static String encodeBase62(byte[] bytes) {
        BigInteger n = new BigInteger(1, bytes);
        StringBuilder reversed = new StringBuilder(ENCODED_LENGTH);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(SIXTY_TWO);
            reversed.append(BASE62_ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        if (reversed.length() > ENCODED_LENGTH) {
            throw new IllegalArgumentException("value too large for " + ENCODED_LENGTH + " base62 digits");
        }
        while (reversed.length() < ENCODED_LENGTH) {
            reversed.append('0');
        }
        return reversed.reverse().toString();
    }
}

package dev.mutagenws.internal.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Access tokens: generation, validation, fingerprints. A token itself is never logged or shown in errors. */
public final class Tokens {
    /** Random bytes in a generated token (256 bits, twice the protocol's minimum of 128). */
    public static final int GENERATED_BYTES = 32;
    /** Shortest token accepted from a user. */
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 512;
    // URL-unreserved characters only: a token travels in a query string, a header and a cookie unescaped.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A fresh token: 256 random bits, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks a user-supplied token; the message never contains the token.
     *
     * @throws IllegalArgumentException when it is too short, too long or has characters outside A-Z a-z 0-9 . _ ~ -
     */
    public static String validate(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the token must have at least " + MIN_LENGTH + " characters");
        }
        if (token.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the token must have at most " + MAX_LENGTH + " characters");
        }
        if (!SAFE.matcher(token).matches()) {
            throw new IllegalArgumentException("the token may only contain letters, digits and . _ ~ -");
        }
        return token;
    }

    /** First 8 hex digits of the token's SHA-256: enough to tell tokens apart in a log, useless to an attacker. */
    public static String fingerprint(String token) {
        return HexFormat.of().formatHex(sha256(token), 0, 4);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Compares a presented token with the expected token's digest in constant time: both sides are
     * hashed first, so neither the content nor the length of the expected token leaks through timing.
     */
    public static boolean matches(byte[] expectedDigest, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }
}

package dev.mutagenws.internal.state;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Tokens that name a daemon run: this process's random prefix (so that tokens of an earlier gateway
 * process never match) and the run number. Clients echo them back when they resume; nothing else reads
 * them.
 */
public final class Epochs {
    private static final String PROCESS = processPrefix();

    private Epochs() {
    }

    public static String token(long run) {
        return PROCESS + "-" + Long.toString(run, 36);
    }

    /** Whether {@code text} has the form of a token (any process's), for input validation. */
    public static boolean isWellFormed(String text) {
        return text != null && text.matches("[0-9a-z]{1,16}-[0-9a-z]{1,13}");
    }

    private static String processPrefix() {
        long bits = new SecureRandom().nextLong() >>> 23; // 41 bits: 8 base-36 digits
        return Long.toString(bits, 36).toLowerCase(Locale.ROOT);
    }
}

package dev.mutagenws.internal.protocol;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of query parameters ({@code ?timeout=}) and the launcher's flags: a whole number of
 * seconds ({@code 30}), or one or more numbers each with a unit {@code ms}, {@code s}, {@code m} or {@code h}
 * ({@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h30m}); units in any case, surrounding blanks ignored.
 */
public final class Durations {
    private static final Pattern SECONDS = Pattern.compile("\\d+");
    private static final Pattern PARTS = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses a duration of the grammar above.
     *
     * @param text the duration, e.g. {@code 30s}
     * @return the duration, never negative
     * @throws IllegalArgumentException naming the accepted forms, when {@code text} has none of them or is too large
     */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (SECONDS.matcher(t).matches()) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            if (PARTS.matcher(t).matches()) {
                Duration total = Duration.ZERO;
                Matcher part = PART.matcher(t);
                while (part.find()) {
                    total = total.plus(Long.parseLong(part.group(1)), unit(part.group(2)));
                }
                return total;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": too large");
        }
        throw new IllegalArgumentException("invalid duration \"" + text + "\": expected seconds (30) or numbers with"
                + " a unit ms, s, m or h (500ms, 30s, 2m, 1h30m)");
    }

    /**
     * A duration in the same grammar, largest units first ({@code 10m}, {@code 1h30m}, {@code 1500ms} as
     * {@code 1s500ms}); what messages print, so that a user can paste it back.
     *
     * @param duration a non-negative duration
     * @return its text, {@code 0s} for zero
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long h = duration.toHours();
        int m = duration.toMinutesPart();
        int s = duration.toSecondsPart();
        int ms = duration.toMillisPart();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        if (ms > 0) {
            out.append(ms).append("ms");
        }
        return out.toString();
    }

    private static ChronoUnit unit(String unit) {
        return switch (unit) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            default -> ChronoUnit.HOURS;
        };
    }
}

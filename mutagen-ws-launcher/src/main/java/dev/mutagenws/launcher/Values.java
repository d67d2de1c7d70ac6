package dev.mutagenws.launcher;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parsers for flag values: Go-style durations and byte sizes. */
final class Values {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?");

    private Values() {
    }

    /** {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 500ms}. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION_PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    total = total.plusMillis(n);
                    break;
                case "s":
                    total = total.plusSeconds(n);
                    break;
                case "m":
                    total = total.plusMinutes(n);
                    break;
                default:
                    total = total.plusHours(n);
                    break;
            }
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) {
            throw new IllegalArgumentException("expected a duration like 90s, 2m or 1h30m, got \"" + text + "\"");
        }
        return total;
    }

    /** Bytes: {@code 1048576}, {@code 1024k}, {@code 1MiB}. */
    static int size(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size in bytes like 1048576, 512KiB or 1MiB, got \"" + text
                    + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long bytes = unit.startsWith("k") ? n * 1024 : unit.startsWith("m") ? n * 1024 * 1024 : n;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"");
        }
        return (int) bytes;
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return size(value);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

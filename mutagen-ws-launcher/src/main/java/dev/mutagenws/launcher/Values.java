package dev.mutagenws.launcher;

import dev.mutagenws.internal.protocol.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parsers for flag values: durations (the gateway's grammar, {@link Durations}) and byte sizes. */
final class Values {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?");

    private Values() {
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

    /** {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 500ms}, bare seconds: see {@link Durations#parse}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
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

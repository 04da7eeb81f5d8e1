package hw.model.internal.shell;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the shell reads and prints them: {@code 250ns}, {@code 10us}, {@code 5ms}, {@code 1.5s}. */
public final class Durations {
    private Durations() {}

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|\u00b5s|ms|s)");

    /**
     * Parses a duration into nanoseconds.
     *
     * @throws IllegalArgumentException if it is not a non-negative number with a unit, or is
     *     not a whole number of nanoseconds
     */
    public static long parseNanos(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + text
                    + "': use a number with a unit (ns, us, ms, s), e.g. 250ns, 10us, 5ms, 1.5s");
        }
        long unit = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "\u00b5s" -> 1_000L;
            case "ms" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        try {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("bad duration '" + text
                    + "': not a whole number of nanoseconds, or too long");
        }
    }

    /** A human-readable form with the largest fitting unit, e.g. {@code 12.345678 ms}. */
    public static String format(long nanos) {
        if (nanos < 1_000L) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000L) {
            return strip(BigDecimal.valueOf(nanos, 3)) + " us";
        }
        if (nanos < 1_000_000_000L) {
            return strip(BigDecimal.valueOf(nanos, 6)) + " ms";
        }
        return strip(BigDecimal.valueOf(nanos, 9)) + " s";
    }

    private static String strip(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}

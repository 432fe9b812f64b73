package dev.vigil.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human durations used in configuration and on the command line: {@code 500ms},
 * {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601 such as {@code PT30S}. Thread-safe.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  /** Parses {@code text}; the exception message says what is accepted. */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      Duration d = Duration.parse(t);
      if (d.isNegative()) {
        throw new IllegalArgumentException("duration '" + text + "' is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; use e.g. 500ms, 30s, 2m, 1h or PT30S");
    }
  }

  /** Formats the way {@link #parse} reads it back, e.g. {@code 30s}. */
  public static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.toNanosPart() % 1_000_000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s % 3600 == 0 && s != 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s != 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}

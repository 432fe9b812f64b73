package dev.vigil.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human durations used in configuration and on the command line, as Prometheus writes
 * them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d}, {@code 2w}, {@code 1y}
 * (365 days) and compounds in descending unit order such as {@code 1m30s} or {@code 1h30m}; or
 * ISO-8601 such as {@code PT30S}. Thread-safe.
 */
public final class Durations {
  private static final Pattern COMPOUND = Pattern.compile(
      "(?:(\\d{1,9})y)?(?:(\\d{1,9})w)?(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?(?:(\\d{1,9})ms)?");
  private static final Duration[] UNITS = {Duration.ofDays(365), Duration.ofDays(7), Duration.ofDays(1),
      Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(1)};

  private Durations() {}

  /** Parses {@code text}; the exception message says what is accepted. */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = COMPOUND.matcher(t);
    if (!t.isEmpty() && m.matches()) {
      Duration d = Duration.ZERO;
      for (int i = 0; i < UNITS.length; i++) {
        if (m.group(i + 1) != null) {
          d = d.plus(UNITS[i].multipliedBy(Long.parseLong(m.group(i + 1))));
        }
      }
      return d;
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

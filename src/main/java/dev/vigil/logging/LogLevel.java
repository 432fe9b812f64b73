package dev.vigil.logging;

import java.util.Locale;

/** The levels {@code --log-level} accepts, least to most severe. Immutable. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR;

  /**
   * Parses a level name (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static LogLevel parse(String value) {
    String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    for (LogLevel l : values()) {
      if (l.name().equals(v)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown log level '" + value + "'; accepted: trace, debug, info, warn, error");
  }

  /** The more severe of this and {@code other}. */
  public LogLevel atLeast(LogLevel other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** The name as written on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

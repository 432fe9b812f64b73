package dev.vigil.logging;

import java.util.Locale;

/** How log lines are written: human text, or one ECS JSON object per line. Immutable. */
public enum LogFormat {
  TEXT,
  JSON;

  /**
   * Parses {@code text} or {@code json} (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static LogFormat parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("unknown log format '" + value + "'; accepted: text, json");
    };
  }

  /** The name as written on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

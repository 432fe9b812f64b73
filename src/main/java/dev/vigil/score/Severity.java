package dev.vigil.score;

import java.util.Locale;

/** How urgently a breach pages; the lowercase name is the {@code severity} label and event field. */
public enum Severity {
  CRITICAL, HIGH, WARNING;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity fromLabel(String s) {
    for (Severity v : values()) {
      if (v.label().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown severity '" + s + "'; expected critical, high or warning");
  }

  @Override
  public String toString() {
    return label();
  }
}

package dev.vigil.config;

import java.time.Duration;

/** The compliance-score window (default 180 s). Immutable. */
public record ScoringConfig(Duration window) {
  public static ScoringConfig defaults() {
    return new ScoringConfig(Duration.ofSeconds(180));
  }
}

package dev.vigil.config;

import java.time.Duration;
import java.util.List;

/** The compliance-score window (default 180 s). Immutable. */
public record ScoringConfig(Duration window) {
  public static ScoringConfig defaults() {
    return new ScoringConfig(Duration.ofSeconds(180));
  }

  /** {@code scoring}: the window; greater than 0. */
  static ScoringConfig read(Node node) {
    Mapping m = Mapping.of(node, List.of("window"));
    Duration window = m.duration("window", defaults().window());
    m.check("window", Mapping.positive(window), "must be greater than 0");
    return new ScoringConfig(window);
  }
}

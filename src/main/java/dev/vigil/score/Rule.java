package dev.vigil.score;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One breach rule: fires when its measure crosses {@code threshold} over {@code window} for
 * {@code consecutive} evaluations in a row (one evaluation per observation of the target).
 * Immutable.
 *
 * @param name the rule name in events and metrics (usually the kind's label)
 * @param window ignored by the verdict kinds ({@code hash_mismatch}, {@code integrity})
 */
public record Rule(String name, RuleKind kind, boolean enabled, double threshold, Duration window,
    int consecutive, Severity severity) {

  public Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(severity, "severity");
    if (consecutive < 1) {
      throw new IllegalArgumentException("consecutive must be at least 1");
    }
  }

  /** The rule table of the reference ACGS fleet (design.md). */
  public static List<Rule> defaults() {
    return List.of(
        new Rule("hash_mismatch", RuleKind.HASH_MISMATCH, true, 0, Duration.ZERO, 1, Severity.CRITICAL),
        new Rule("integrity", RuleKind.INTEGRITY, true, 0, Duration.ZERO, 1, Severity.CRITICAL),
        new Rule("compliance_score", RuleKind.COMPLIANCE_SCORE, true, 0.95, Duration.ofSeconds(180), 3, Severity.CRITICAL),
        new Rule("availability", RuleKind.AVAILABILITY, true, 0.999, Duration.ofSeconds(60), 1, Severity.CRITICAL),
        new Rule("latency_p95", RuleKind.LATENCY_P95, true, 2.0, Duration.ofSeconds(120), 2, Severity.HIGH),
        new Rule("error_rate", RuleKind.ERROR_RATE, true, 0.01, Duration.ofSeconds(180), 3, Severity.HIGH),
        new Rule("throughput", RuleKind.THROUGHPUT, true, 100, Duration.ofSeconds(300), 3, Severity.WARNING));
  }
}

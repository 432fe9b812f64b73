package dev.vigil.score;

import java.util.Locale;

/**
 * What a breach rule measures. Each kind has a comparison direction: integrity kinds fire on a
 * verdict, the others when a windowed value crosses the rule's threshold.
 */
public enum RuleKind {
  /** Any {@code hash_mismatch} verdict. */
  HASH_MISMATCH,
  /** Any other integrity verdict (signature, key, nonce, subject, stale, unsigned). */
  INTEGRITY,
  /** Compliance score in the window below the threshold. */
  COMPLIANCE_SCORE,
  /** Share of polls with an HTTP response in the window below the threshold. */
  AVAILABILITY,
  /** p95 latency (signed SLO report or the monitor's probe time, the worse) above the threshold, in seconds. */
  LATENCY_P95,
  /** Signed error rate above the threshold. */
  ERROR_RATE,
  /** Signed requests per second below the threshold. */
  THROUGHPUT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RuleKind fromLabel(String s) {
    for (RuleKind k : values()) {
      if (k.label().equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown rule kind '" + s + "'");
  }
}

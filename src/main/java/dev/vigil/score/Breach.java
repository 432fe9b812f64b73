package dev.vigil.score;

import dev.vigil.attest.Verdict;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One breach from opening to resolution, with the fields of a {@code breach.opened} /
 * {@code breach.resolved} event (events-v1). {@code resolvedAt} is null while open. Immutable.
 */
public record Breach(
    String breachId,
    TargetId target,
    String rule,
    Severity severity,
    Verdict verdict,
    String observed,
    String expected,
    double complianceScore,
    long windowSeconds,
    int consecutiveFailures,
    Instant openedAt,
    Instant resolvedAt) {

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** The stable id: {@code b-<service>-<environment>-<rule>-<openedAt, yyyyMMddTHHmmssZ>}. */
  public static String idFor(TargetId target, String rule, Instant openedAt) {
    return "b-" + target.service() + "-" + target.environment() + "-" + rule + "-" + ID_TIME.format(openedAt);
  }

  public boolean open() {
    return resolvedAt == null;
  }

  public Breach resolved(Instant at, Verdict lastVerdict, double score) {
    return new Breach(breachId, target, rule, severity, lastVerdict, observed, expected, score, windowSeconds,
        consecutiveFailures, openedAt, at);
  }
}

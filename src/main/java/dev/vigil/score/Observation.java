package dev.vigil.score;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one finished poll of one target, as the scorer sees it. Immutable.
 *
 * @param responded true when an HTTP response arrived (whatever its status)
 * @param probeDuration request to verdict, as the monitor measured it
 * @param slo the signed SLO report, or null (unsigned, absent, or no valid statement)
 * @param observedHash the constitutional hash the target reported, or null
 */
public record Observation(
    TargetId target,
    Instant at,
    Verdict verdict,
    String detail,
    boolean signed,
    boolean responded,
    Duration probeDuration,
    Statement.Slo slo,
    String observedHash) {

  public Observation {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(probeDuration, "probeDuration");
    detail = detail == null ? "" : detail;
  }
}

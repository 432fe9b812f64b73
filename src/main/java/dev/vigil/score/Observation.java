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

  /**
   * This observation, its detail and hash the very instances of {@code previous}'s (or of {@code
   * expectedHash}) where their values are equal: the same value, and a window of observations holds
   * each distinct string once instead of once per poll.
   *
   * @param previous the observation before this one, or null
   */
  public Observation sharingStrings(Observation previous, String expectedHash) {
    String d = previous != null && detail.equals(previous.detail) ? previous.detail : detail;
    String h = observedHash;
    if (h != null) {
      if (h.equals(expectedHash)) {
        h = expectedHash;
      } else if (previous != null && h.equals(previous.observedHash)) {
        h = previous.observedHash;
      }
    }
    return d == detail && h == observedHash ? this
        : new Observation(target, at, verdict, d, signed, responded, probeDuration, slo, h);
  }
}

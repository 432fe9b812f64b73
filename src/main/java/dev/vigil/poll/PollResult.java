package dev.vigil.poll;

import dev.vigil.attest.Verification;
import dev.vigil.score.Observation;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;

/**
 * One finished poll: the verdict (with detail and statement), whether any HTTP response arrived,
 * the time from first request to verdict, how many requests it took, and whether the attester's
 * {@code sequence} stepped back once (a restart, attestation-v1 section 5). Immutable.
 */
public record PollResult(TargetId target, Verification verification, boolean responded, Duration duration,
    Instant finishedAt, int attempts, boolean attesterRestart) {

  public PollResult(TargetId target, Verification verification, boolean responded, Duration duration,
      Instant finishedAt, int attempts) {
    this(target, verification, responded, duration, finishedAt, attempts, false);
  }

  /** The scorer's view of this poll. */
  public Observation toObservation() {
    var st = verification.statement();
    return new Observation(target, finishedAt, verification.verdict(), verification.detail(), verification.signed(),
        responded, duration, st == null || !verification.signed() ? null : st.slo(),
        st == null ? null : st.constitutionalHash());
  }
}

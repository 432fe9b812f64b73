package dev.vigil.poll;

import dev.vigil.attest.Verification;
import dev.vigil.score.Observation;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;

/**
 * One finished poll: the verdict (with detail and statement), whether any HTTP response arrived,
 * the time from first request to verdict, and how many requests it took. Immutable.
 */
public record PollResult(TargetId target, Verification verification, boolean responded, Duration duration,
    Instant finishedAt, int attempts) {

  /** The scorer's view of this poll. */
  public Observation toObservation() {
    var st = verification.statement();
    return new Observation(target, finishedAt, verification.verdict(), verification.detail(), verification.signed(),
        responded, duration, st == null || !verification.signed() ? null : st.slo(),
        st == null ? null : st.constitutionalHash());
  }
}

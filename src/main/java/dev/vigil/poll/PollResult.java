package dev.vigil.poll;

import dev.vigil.attest.Verification;
import dev.vigil.score.Observation;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;

/**
 * One finished poll: the verdict (with detail and statement), whether any HTTP response arrived,
 * the time from first request to verdict, how many requests it took, and whether the attester's
 * {@code sequence} stepped back once (a restart, attestation-v1 section 5), and for the evidence log
 * the nonce sent and the exact response body when it was a DSSE envelope. Immutable (the envelope
 * array is shared, never written).
 *
 * @param nonce the nonce of the last request (null in legacy-health mode)
 * @param envelope the exact body of a 200 answer of at most {@code maxResponseBytes} that was a DSSE
 *     envelope (not {@code malformed_envelope}), or null; the monitor keeps none of it past the poll
 */
public record PollResult(TargetId target, Verification verification, boolean responded, Duration duration,
    Instant finishedAt, int attempts, boolean attesterRestart, String nonce, byte[] envelope) {

  public PollResult(TargetId target, Verification verification, boolean responded, Duration duration,
      Instant finishedAt, int attempts, boolean attesterRestart) {
    this(target, verification, responded, duration, finishedAt, attempts, attesterRestart, null, null);
  }

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

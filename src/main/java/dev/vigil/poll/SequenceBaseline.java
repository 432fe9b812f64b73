package dev.vigil.poll;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code sequence} baseline of one target (attestation-v1 section 5, {@code stale}). The
 * baseline is the highest sequence of a compliant attestation. A single step backwards, in an
 * attestation that passed the signature, nonce and {@code issuedAt} checks, is an attester restart:
 * not a verdict, the baseline restarts from it. A second step backwards within the window after a
 * restart is {@code stale} (two signers sharing one key). Pure: time is an argument.
 *
 * <p>Not thread-safe: confined to the poller's context.
 */
final class SequenceBaseline {
  private Long last;
  private Instant lastRestart;

  /**
   * The baseline the verifier enforces at {@code now}: the last sequence while a restart was seen
   * within {@code window} (so a step back is {@code stale}), otherwise null (a step back is judged
   * by {@link #observe} as a restart).
   */
  Long enforced(Instant now, Duration window) {
    return lastRestart != null && now.isBefore(lastRestart.plus(window)) ? last : null;
  }

  /** Takes a finished verification into account; true when it was an attester restart. */
  boolean observe(Verification v, Instant now) {
    Long seq = v.statement() == null ? null : v.statement().sequence();
    if (seq == null || !v.signed() || !passedFreshness(v.verdict())) {
      return false;
    }
    if (last != null && seq < last) {
      last = seq;
      lastRestart = now;
      return true;
    }
    if (v.compliant()) {
      last = last == null ? seq : Math.max(last, seq);
    }
    return false;
  }

  /** The baseline (highest compliant sequence), null when none. */
  Long last() {
    return last;
  }

  /** Continues from a baseline saved by an earlier run: no restart is remembered. */
  void restore(long sequence) {
    last = sequence;
    lastRestart = null;
  }

  /** Verdicts decided after the {@code stale} step: the attestation's nonce and time were good. */
  private static boolean passedFreshness(Verdict v) {
    return v.ordinal() > Verdict.STALE.ordinal() && v != Verdict.UNSIGNED;
  }
}

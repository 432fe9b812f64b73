package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The sequence baseline of attestation-v1 section 5: restarts and two signers sharing a key. */
class SequenceBaselineTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(180);
  private final SequenceBaseline baseline = new SequenceBaseline();

  private static Verification v(Verdict verdict, Long sequence, boolean signed) {
    Statement st = new Statement("s", null, "s", "green", "cdd01ef066bc6cf2", "active", "n", T0, null, sequence, null);
    return new Verification(verdict, verdict.label(), signed, signed ? List.of("k") : List.of(), st);
  }

  @Nested
  class Baseline {
    @Test
    void nothingIsEnforcedBeforeARestart() {
      baseline.observe(v(Verdict.COMPLIANT, 10L, true), T0);
      assertThat(baseline.enforced(T0, WINDOW)).isNull();
    }

    @Test
    void onlyCompliantAttestationsRaiseIt() {
      baseline.observe(v(Verdict.COMPLIANT, 10L, true), T0);
      baseline.observe(v(Verdict.HASH_MISMATCH, 50L, true), T0);
      assertThat(baseline.observe(v(Verdict.COMPLIANT, 20L, true), T0)).isFalse();
    }
  }

  @Nested
  class Restarts {
    @Test
    void aStepBackIsARestartAndTheBaselineRestartsFromIt() {
      baseline.observe(v(Verdict.COMPLIANT, 10L, true), T0);
      assertThat(baseline.observe(v(Verdict.COMPLIANT, 1L, true), T0.plusSeconds(30))).isTrue();
      assertThat(baseline.enforced(T0.plusSeconds(60), WINDOW)).isEqualTo(1L);
      assertThat(baseline.observe(v(Verdict.COMPLIANT, 2L, true), T0.plusSeconds(60))).isFalse();
    }

    @Test
    void theBaselineIsEnforcedOnlyWithinTheWindowAfterARestart() {
      baseline.observe(v(Verdict.COMPLIANT, 10L, true), T0);
      baseline.observe(v(Verdict.COMPLIANT, 1L, true), T0);
      assertThat(baseline.enforced(T0.plus(WINDOW).minusMillis(1), WINDOW)).isEqualTo(1L);
      assertThat(baseline.enforced(T0.plus(WINDOW), WINDOW)).isNull();
    }

    @Test
    void aHashMismatchAfterARestartStillRestartsTheBaseline() {
      baseline.observe(v(Verdict.COMPLIANT, 10L, true), T0);
      assertThat(baseline.observe(v(Verdict.HASH_MISMATCH, 3L, true), T0)).isTrue();
    }

    @Test
    void unsignedStaleOrUnparsedAttestationsAreNoRestart() {
      baseline.observe(v(Verdict.COMPLIANT, 10L, true), T0);
      assertThat(baseline.observe(v(Verdict.COMPLIANT, 1L, false), T0)).isFalse();
      assertThat(baseline.observe(v(Verdict.STALE, 1L, true), T0)).isFalse();
      assertThat(baseline.observe(v(Verdict.NONCE_MISMATCH, 1L, true), T0)).isFalse();
      assertThat(baseline.observe(v(Verdict.COMPLIANT, null, true), T0)).isFalse();
      assertThat(baseline.enforced(T0, WINDOW)).isNull();
    }
  }
}

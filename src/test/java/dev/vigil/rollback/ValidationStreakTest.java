package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.rollback.BlueValidation.Streak;
import dev.vigil.rollback.BlueValidation.Streak.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure core of blue validation: N compliant in a row, reset on anything else, a deadline. */
class ValidationStreakTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Verification OK = new Verification(Verdict.COMPLIANT, "ok", true, List.of("k"), null);
  static final Verification BAD = new Verification(Verdict.HASH_MISMATCH, "hash deadbeef", true, List.of("k"), null);

  @Test
  void nCompliantInARowValidate() {
    Streak s = new Streak(2, T0.plusSeconds(60), Duration.ofSeconds(60));
    assertThat(s.observe(OK, T0, INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(OK, T0.plusSeconds(1), INTERVAL)).isEqualTo(Step.VALID);
    assertThat(s.summary()).isEqualTo("blue attested compliant 2 times in a row");
  }

  @Test
  void aNonCompliantPollResetsTheStreak() {
    Streak s = new Streak(2, T0.plusSeconds(60), Duration.ofSeconds(60));
    s.observe(OK, T0, INTERVAL);
    assertThat(s.observe(BAD, T0.plusSeconds(1), INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(OK, T0.plusSeconds(2), INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(null, T0.plusSeconds(3), INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(OK, T0.plusSeconds(4), INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(OK, T0.plusSeconds(5), INTERVAL)).isEqualTo(Step.VALID);
  }

  @Test
  void expiresWhenTheNextPollWouldStartPastTheDeadline() {
    Streak s = new Streak(2, T0.plusSeconds(3), Duration.ofSeconds(3));
    assertThat(s.observe(BAD, T0, INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(BAD, T0.plusSeconds(2), INTERVAL)).isEqualTo(Step.CONTINUE);
    assertThat(s.observe(OK, T0.plus(Duration.ofMillis(2500)), INTERVAL)).isEqualTo(Step.EXPIRED);
    assertThat(s.summary()).isEqualTo("blue did not attest compliant 2 times in a row within 3s (3 polls; last"
        + " non-compliant: hash_mismatch: hash deadbeef)");
  }
}

package dev.vigil.score;

import static dev.vigil.score.ScoreFixtures.INTEGRITY_GREEN;
import static dev.vigil.score.ScoreFixtures.obs;
import static dev.vigil.score.ScoreFixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetWindowTest {
  private static final Duration MINUTE = Duration.ofSeconds(60);

  @Test
  void aWindowIsOpenAtItsStartAndClosedAtItsEnd() {
    TargetWindow w = new TargetWindow();
    for (int n = 0; n < 5; n++) {
      w.add(obs(INTEGRITY_GREEN, t(n), Verdict.COMPLIANT));
    }
    assertThat(w.within(t(4), MINUTE)).extracting(Observation::at).containsExactly(t(3), t(4));
    assertThat(w.within(t(3), MINUTE)).extracting(Observation::at).containsExactly(t(2), t(3));
    assertThat(w.within(t(9), MINUTE)).isEmpty();
  }

  @Test
  void pruningDropsWhatIsAtLeastTheRetentionOld() {
    TargetWindow w = new TargetWindow();
    for (int n = 0; n < 5; n++) {
      w.add(obs(INTEGRITY_GREEN, t(n), Verdict.COMPLIANT));
    }
    w.prune(t(4), MINUTE);
    assertThat(w.size()).isEqualTo(2);
    assertThat(w.last()).hasValueSatisfying(o -> assertThat(o.at()).isEqualTo(t(4)));
  }

  @Test
  void transportOnlyAttributionLeavesOtherVerdictsAloneAndMonitorFaultsAreSkippedOnRequest() {
    TargetWindow w = new TargetWindow();
    w.add(obs(INTEGRITY_GREEN, t(0), Verdict.UNREACHABLE));
    w.attributeNewest(TargetMemory.Attribution.MONITOR, true);
    w.add(obs(INTEGRITY_GREEN, t(1), Verdict.COMPLIANT));
    w.attributeNewest(TargetMemory.Attribution.MONITOR, true);
    assertThat(w.within(t(1), MINUTE, false)).hasSize(2);
    assertThat(w.within(t(1), MINUTE, true)).extracting(Observation::verdict).containsExactly(Verdict.COMPLIANT);
  }

  @Test
  void partitionAttributedObservationsLeaveEveryWindowAndAreNeverDowngraded() {
    TargetWindow w = new TargetWindow();
    w.add(obs(INTEGRITY_GREEN, t(0), Verdict.COMPLIANT));
    w.add(obs(INTEGRITY_GREEN, t(1), Verdict.COMPLIANT));
    w.attributeNewest(TargetMemory.Attribution.PARTITION, false);
    w.attributeNewest(TargetMemory.Attribution.MONITOR, false);
    assertThat(w.within(t(1), MINUTE, false)).extracting(Observation::at).containsExactly(t(0));
    assertThat(w.within(t(1), MINUTE, true)).extracting(Observation::at).containsExactly(t(0));
    assertThat(w.last()).hasValueSatisfying(o -> assertThat(o.at()).isEqualTo(t(1)));
  }

  @Test
  void refusesToGoBackInTime() {
    TargetWindow w = new TargetWindow();
    w.add(obs(INTEGRITY_GREEN, t(1), Verdict.COMPLIANT));
    assertThatThrownBy(() -> w.add(obs(INTEGRITY_GREEN, t(0), Verdict.COMPLIANT)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

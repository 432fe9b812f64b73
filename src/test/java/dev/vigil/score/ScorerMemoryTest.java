package dev.vigil.score;

import static dev.vigil.score.ScoreFixtures.HASH;
import static dev.vigil.score.ScoreFixtures.INTEGRITY_GREEN;
import static dev.vigil.score.ScoreFixtures.SCORING_WINDOW;
import static dev.vigil.score.ScoreFixtures.T0;
import static dev.vigil.score.ScoreFixtures.green;
import static dev.vigil.score.ScoreFixtures.obs;
import static dev.vigil.score.ScoreFixtures.rule;
import static dev.vigil.score.ScoreFixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link Scorer#memory}, {@link Scorer#restore} and {@link Scorer#release}: a breach survives a restart as itself. */
class ScorerMemoryTest {
  static Scorer scorer(List<Rule> rules, TargetId... ids) {
    Scorer s = new Scorer(rules, SCORING_WINDOW, 0.8, 3);
    s.setTargets(List.of(ids), T0);
    return s;
  }

  @Nested
  class OpenBreaches {
    @Test
    void aRestoredBreachIsNotOpenedAgainAndResolvesOnceUnderItsId() {
      Scorer before = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      List<BreachTransition> opened = before.observe(obs(INTEGRITY_GREEN, t(0), Verdict.HASH_MISMATCH), HASH);
      assertThat(opened).extracting(BreachTransition::kind).containsExactly(BreachTransition.Kind.OPENED);
      String id = opened.get(0).breach().breachId();

      Scorer after = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      assertThat(after.restore(INTEGRITY_GREEN, before.memory(INTEGRITY_GREEN).orElseThrow(), t(1))).isEmpty();
      assertThat(after.observe(obs(INTEGRITY_GREEN, t(2), Verdict.HASH_MISMATCH), HASH)).isEmpty();
      List<BreachTransition> fixed = after.observe(obs(INTEGRITY_GREEN, t(3), Verdict.COMPLIANT), HASH);
      assertThat(fixed).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(BreachTransition.Kind.RESOLVED);
        assertThat(tr.breach().breachId()).isEqualTo(id);
        assertThat(tr.breach().openedAt()).isEqualTo(t(0));
      });
      assertThat(after.observe(obs(INTEGRITY_GREEN, t(4), Verdict.COMPLIANT), HASH)).isEmpty();
    }

    @Test
    void withoutTheMemoryTheSameHistoryOpensASecondBreach() {
      Scorer fresh = scorer(Rule.defaults(), INTEGRITY_GREEN);
      assertThat(fresh.observe(obs(INTEGRITY_GREEN, t(2), Verdict.HASH_MISMATCH), HASH))
          .extracting(BreachTransition::kind).containsExactly(BreachTransition.Kind.OPENED);
    }

    @Test
    void breachesOfRulesNoLongerEnabledAreResolvedAtRestore() {
      Scorer before = scorer(Rule.defaults(), INTEGRITY_GREEN);
      before.observe(obs(INTEGRITY_GREEN, t(0), Verdict.SIGNATURE_INVALID), HASH);
      Scorer after = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      List<BreachTransition> gone = after.restore(INTEGRITY_GREEN, before.memory(INTEGRITY_GREEN).orElseThrow(), t(1));
      assertThat(gone).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(BreachTransition.Kind.RESOLVED);
        assertThat(tr.breach().rule()).isEqualTo("integrity");
        assertThat(tr.breach().resolvedAt()).isEqualTo(t(1));
      });
      assertThat(after.openBreaches()).isEmpty();
      assertThat(after.memory(INTEGRITY_GREEN).orElseThrow().consecutiveFailures()).isEmpty();
    }

    @Test
    void aBreachOfAnotherTargetIsRefused() {
      Scorer before = scorer(Rule.defaults(), INTEGRITY_GREEN);
      before.observe(obs(INTEGRITY_GREEN, t(0), Verdict.HASH_MISMATCH), HASH);
      Scorer after = scorer(Rule.defaults(), green("auth-service"));
      assertThatThrownBy(() -> after.restore(green("auth-service"), before.memory(INTEGRITY_GREEN).orElseThrow(), t(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to integrity-service/green");
    }
  }

  @Nested
  class Counts {
    @Test
    void consecutiveFailuresContinueFromWhereTheyWere() {
      Rule integrity = ScoreFixtures.withConsecutive(rule("integrity"), 3);
      Scorer before = scorer(List.of(integrity), INTEGRITY_GREEN);
      before.observe(obs(INTEGRITY_GREEN, t(0), Verdict.SIGNATURE_INVALID), HASH);
      before.observe(obs(INTEGRITY_GREEN, t(1), Verdict.SIGNATURE_INVALID), HASH);
      TargetMemory m = before.memory(INTEGRITY_GREEN).orElseThrow();
      assertThat(m.consecutiveFailures()).isEqualTo(Map.of("integrity", 2));
      Scorer after = scorer(List.of(integrity), INTEGRITY_GREEN);
      after.restore(INTEGRITY_GREEN, m, t(1));
      assertThat(after.observe(obs(INTEGRITY_GREEN, t(2), Verdict.SIGNATURE_INVALID), HASH))
          .as("the third in a row, counting the two before the restart").hasSize(1);
    }
  }

  @Nested
  class Release {
    @Test
    void forgetsTargetsWithoutResolvingAnything() {
      Scorer s = scorer(Rule.defaults(), INTEGRITY_GREEN, green("auth-service"));
      s.observe(obs(INTEGRITY_GREEN, t(0), Verdict.HASH_MISMATCH), HASH);
      s.release(List.of(INTEGRITY_GREEN));
      assertThat(s.known()).containsExactly(green("auth-service"));
      assertThat(s.openBreaches()).isEmpty();
      assertThat(s.memory(INTEGRITY_GREEN)).isEmpty();
    }

    @Test
    void setTargetsInsteadResolvesTheBreachesOfTheTargetsItDrops() {
      Scorer s = scorer(Rule.defaults(), INTEGRITY_GREEN, green("auth-service"));
      s.observe(obs(INTEGRITY_GREEN, t(0), Verdict.HASH_MISMATCH), HASH);
      assertThat(s.setTargets(List.of(green("auth-service")), t(1)))
          .extracting(BreachTransition::kind).containsExactly(BreachTransition.Kind.RESOLVED);
    }
  }

  @Nested
  class Partition {
    static final List<TargetId> FIVE = List.of(green("a"), green("b"), green("c"), green("d"), green("e"));

    @Test
    void pollsMadeWhilePartitionedLeaveTheScoreAsItWasAndOpenNoComplianceBreachAfterwards() {
      Scorer s = new Scorer(List.of(rule("compliance_score"), rule("hash_mismatch")), SCORING_WINDOW, 0.8, 3);
      s.setTargets(FIVE, T0);
      int n = 0;
      for (; n < 6; n++) {
        round(s, n, Verdict.COMPLIANT);
      }
      for (; n < 9; n++) {
        round(s, n, Verdict.UNREACHABLE);
      }
      assertThat(s.partitioned()).isTrue();
      for (; n < 20; n++) {
        assertThat(round(s, n, Verdict.COMPLIANT)).as("round %d after the partition", n).isEmpty();
        for (TargetId id : FIVE) {
          assertThat(s.score(id, t(n)).orElseThrow()).as("score of %s at round %d", id, n).isEqualTo(1.0);
        }
      }
      assertThat(s.partitioned()).isFalse();
    }

    @Test
    void aPartitionLongerThanTheScoringWindowLeavesNoScoreRatherThanALowOne() {
      Scorer s = new Scorer(List.of(rule("compliance_score")), SCORING_WINDOW, 0.8, 3);
      s.setTargets(FIVE, T0);
      int n = 0;
      for (; n < 3; n++) {
        round(s, n, Verdict.COMPLIANT);
      }
      for (; n < 12; n++) {
        round(s, n, Verdict.UNREACHABLE);
      }
      assertThat(s.score(green("a"), t(11))).isEmpty();
      assertThat(round(s, 12, Verdict.COMPLIANT)).isEmpty();
      assertThat(s.score(green("e"), t(12)).orElseThrow()).isEqualTo(1.0);
    }

    @Test
    void evenCompliantPollsWhilePartitionedStayOutButVerdictRulesStillJudgeThem() {
      Scorer s = new Scorer(List.of(rule("hash_mismatch")), SCORING_WINDOW, 0.8, 3);
      s.setTargets(FIVE, T0);
      for (TargetId id : FIVE.subList(0, 4)) {
        s.observe(obs(id, t(0), Verdict.UNREACHABLE), HASH);
      }
      assertThat(s.partitioned()).isTrue();
      assertThat(s.observe(obs(green("e"), t(0), Verdict.COMPLIANT), HASH)).isEmpty();
      assertThat(s.score(green("e"), t(0))).as("made while partitioned: not in the score").isEmpty();
      assertThat(s.observe(obs(green("e"), t(1), Verdict.HASH_MISMATCH), HASH))
          .extracting(BreachTransition::kind).containsExactly(BreachTransition.Kind.OPENED);
      assertThat(s.memory(green("e")).orElseThrow().window()).extracting(TargetMemory.Entry::attribution)
          .containsOnly(TargetMemory.Attribution.PARTITION);
    }

    @Test
    void anOverloadStillCountsInTheScore() {
      Scorer s = new Scorer(List.of(rule("hash_mismatch")), SCORING_WINDOW, 0.8, 3);
      s.setTargets(FIVE, T0);
      s.setOverloaded(true, t(0));
      s.observe(obs(green("a"), t(0), Verdict.TIMEOUT), HASH);
      s.observe(obs(green("a"), t(1), Verdict.COMPLIANT), HASH, true);
      assertThat(s.score(green("a"), t(1)).orElseThrow()).isEqualTo(0.5);
      assertThat(s.memory(green("a")).orElseThrow().window()).extracting(TargetMemory.Entry::attribution)
          .containsExactly(TargetMemory.Attribution.MONITOR, TargetMemory.Attribution.MONITOR);
    }

    private List<BreachTransition> round(Scorer s, int n, Verdict v) {
      List<BreachTransition> out = new java.util.ArrayList<>();
      for (TargetId id : FIVE) {
        out.addAll(s.observe(obs(id, t(n), v), HASH));
      }
      return out;
    }
  }
}

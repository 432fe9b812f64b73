package dev.vigil.score;

import static dev.vigil.attest.Verdict.COMPLIANT;
import static dev.vigil.attest.Verdict.SIGNATURE_INVALID;
import static dev.vigil.attest.Verdict.TIMEOUT;
import static dev.vigil.attest.Verdict.UNREACHABLE;
import static dev.vigil.score.BreachTransition.Kind.OPENED;
import static dev.vigil.score.BreachTransition.Kind.RESOLVED;
import static dev.vigil.score.ScoreFixtures.HASH;
import static dev.vigil.score.ScoreFixtures.SCORING_WINDOW;
import static dev.vigil.score.ScoreFixtures.T0;
import static dev.vigil.score.ScoreFixtures.green;
import static dev.vigil.score.ScoreFixtures.obs;
import static dev.vigil.score.ScoreFixtures.rule;
import static dev.vigil.score.ScoreFixtures.rules;
import static dev.vigil.score.ScoreFixtures.scorer;
import static dev.vigil.score.ScoreFixtures.t;
import static dev.vigil.score.ScoreFixtures.withConsecutive;
import static dev.vigil.score.ScoreFixtures.withProbe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Partition detection: the monitor's own cut-off never opens availability or latency breaches. */
class ScorerPartitionTest {
  private static final List<TargetId> SIX = IntStream.rangeClosed(1, 6).mapToObj(i -> green("s" + i)).toList();

  /** One poll of every target in {@code targets} at poll {@code n}; collects the transitions. */
  private static List<BreachTransition> round(Scorer s, int n, List<TargetId> targets, Verdict v, List<Boolean> flags) {
    List<BreachTransition> out = new ArrayList<>();
    for (TargetId id : targets) {
      Observation o = obs(id, t(n), v);
      if (v == TIMEOUT) {
        o = withProbe(o, Duration.ofSeconds(5));
      }
      boolean was = s.partitioned();
      out.addAll(s.observe(o, HASH));
      flags.add(s.partitioned() != was);
    }
    return out;
  }

  private static List<BreachTransition> round(Scorer s, int n, List<TargetId> targets, Verdict v) {
    return round(s, n, targets, v, new ArrayList<>());
  }

  @Nested
  class Detection {
    /**
     * Availability needs 2 failing evaluations here: with the default of 1, the first targets of
     * the round that cuts the monitor off open before the partition is detected (see
     * {@link Limits}).
     */
    private final Scorer s = scorer(List.of(rule("hash_mismatch"), rule("integrity"),
        withConsecutive(rule("availability"), 2), rule("latency_p95")), SIX.toArray(TargetId[]::new));

    @Test
    void fiveOfSixUnreachableIsAPartitionThatOpensNoAvailabilityBreachAndClearsWhenTheyRespond() {
      List<BreachTransition> all = new ArrayList<>(round(s, 0, SIX, COMPLIANT));
      List<Boolean> changed = new ArrayList<>();

      all.addAll(round(s, 1, SIX.subList(0, 5), UNREACHABLE, changed));
      assertThat(changed).as("4/6 < 0.8, 5/6 >= 0.8").containsExactly(false, false, false, false, true);
      assertThat(s.partitioned()).isTrue();
      List<Boolean> stillPartitioned = new ArrayList<>();
      all.addAll(round(s, 1, SIX.subList(5, 6), COMPLIANT, stillPartitioned));
      assertThat(stillPartitioned).containsExactly(false);

      all.addAll(round(s, 2, SIX.subList(0, 5), UNREACHABLE));
      List<BreachTransition> integrity = s.observe(obs(SIX.get(5), t(2), SIGNATURE_INVALID), HASH);
      assertThat(rules(integrity, OPENED)).as("integrity rules still open while partitioned").containsExactly("integrity");
      assertThat(s.partitioned()).isTrue();

      changed.clear();
      all.addAll(round(s, 3, SIX.subList(0, 5), COMPLIANT, changed));
      assertThat(changed).as("the first answer brings it to 4/6").containsExactly(true, false, false, false, false);
      assertThat(s.partitioned()).isFalse();
      all.addAll(round(s, 3, SIX.subList(5, 6), COMPLIANT));
      all.addAll(round(s, 4, SIX, COMPLIANT));

      assertThat(all).as("no availability breach, not even from the partition's polls once it heals")
          .extracting(tr -> tr.breach().rule()).containsOnly("integrity");
      assertThat(rules(all, RESOLVED)).containsExactly("integrity");
      assertThat(s.openBreaches()).isEmpty();
    }

    @Test
    void timeoutsDuringAPartitionOpenNoLatencyBreachWhenItHeals() {
      List<BreachTransition> all = new ArrayList<>(round(s, 0, SIX, COMPLIANT));
      all.addAll(round(s, 1, SIX, TIMEOUT));
      all.addAll(round(s, 2, SIX, TIMEOUT));
      assertThat(s.partitioned()).isTrue();
      all.addAll(round(s, 3, SIX, COMPLIANT));
      all.addAll(round(s, 4, SIX, COMPLIANT));
      assertThat(s.partitioned()).isFalse();
      assertThat(all).isEmpty();
    }

    @Test
    void aTargetThatStaysDownAfterThePartitionStillOpensAvailability() {
      round(s, 0, SIX, COMPLIANT);
      round(s, 1, SIX, UNREACHABLE);
      round(s, 2, SIX, UNREACHABLE);
      round(s, 3, SIX.subList(0, 5), COMPLIANT);
      assertThat(s.partitioned()).isFalse();
      List<BreachTransition> ts = new ArrayList<>(round(s, 3, SIX.subList(5, 6), UNREACHABLE));
      ts.addAll(round(s, 4, SIX.subList(5, 6), UNREACHABLE));
      assertThat(ts).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(OPENED);
        assertThat(tr.breach().rule()).isEqualTo("availability");
        assertThat(tr.breach().target()).isEqualTo(SIX.get(5));
        assertThat(tr.breach().openedAt()).isEqualTo(t(4));
      });
    }

    @Test
    void theThresholdIsInclusive() {
      List<TargetId> five = SIX.subList(0, 5);
      Scorer s5 = scorer(List.of(rule("availability")), five.toArray(TargetId[]::new));
      round(s5, 0, five, COMPLIANT);
      round(s5, 1, five.subList(0, 4), UNREACHABLE);
      assertThat(s5.partitioned()).as("4/5 = 0.8").isTrue();
    }

    @Test
    void partitionMinTargetsIsRespected() {
      List<TargetId> two = SIX.subList(0, 2);
      Scorer s2 = scorer(List.of(rule("availability")), two.toArray(TargetId[]::new));
      round(s2, 0, two, COMPLIANT);
      List<BreachTransition> ts = round(s2, 1, two, UNREACHABLE);
      assertThat(s2.partitioned()).as("2 targets < partitionMinTargets 3").isFalse();
      assertThat(rules(ts, OPENED)).containsExactly("availability", "availability");
    }

    @Test
    void targetsNotYetObservedCountAsReachable() {
      round(s, 0, SIX.subList(0, 4), UNREACHABLE);
      assertThat(s.partitioned()).as("4 of 6 known").isFalse();
    }

    @Test
    void removingTargetsCanEndAPartition() {
      round(s, 0, SIX.subList(0, 5), UNREACHABLE);
      assertThat(s.partitioned()).isTrue();
      s.setTargets(SIX.subList(3, 6), t(1));
      assertThat(s.partitioned()).as("2 of 3: the partition flag flipped").isFalse();
    }
  }

  /** Behaviour the brief prescribes that the caller must know about. */
  @Nested
  class HoldBack {
    @Test
    void withOneConfiguredFailingEvaluationNoTargetOpensBeforeThePartitionIsRecognised() {
      Scorer s = scorer(List.of(rule("availability")), SIX.toArray(TargetId[]::new));
      round(s, 0, SIX, COMPLIANT);

      assertThat(round(s, 1, SIX.subList(0, 5), UNREACHABLE)).as("held for one round").isEmpty();
      assertThat(s.partitioned()).isTrue();
      assertThat(round(s, 2, SIX.subList(0, 5), UNREACHABLE)).as("frozen while partitioned").isEmpty();
      assertThat(round(s, 3, SIX, COMPLIANT)).isEmpty();
    }

    @Test
    void oneTargetDownOpensOneRoundLater() {
      Scorer s = scorer(List.of(rule("availability")), SIX.toArray(TargetId[]::new));
      round(s, 0, SIX, COMPLIANT);
      assertThat(round(s, 1, SIX.subList(0, 1), UNREACHABLE)).isEmpty();
      List<BreachTransition> second = round(s, 2, SIX.subList(0, 1), UNREACHABLE);
      assertThat(second).extracting(tr -> tr.breach().target()).containsExactly(SIX.get(0));
      assertThat(second.get(0).breach().consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void theComplianceScoreRuleIsSuspendedSoALongPartitionOpensNothing() {
      Scorer s = new Scorer(List.of(rule("compliance_score")), SCORING_WINDOW, 0.8, 3);
      s.setTargets(SIX, T0);
      round(s, 0, SIX, COMPLIANT);
      List<BreachTransition> ts = new ArrayList<>();
      for (int n = 1; n <= 6; n++) {
        ts.addAll(round(s, n, SIX, UNREACHABLE));
      }
      assertThat(s.partitioned()).isTrue();
      assertThat(ts).isEmpty();
      assertThat(s.score(SIX.get(0), t(6)))
          .as("polls made while partitioned stay out of the score (issue 11): none left in its window").isEmpty();
    }
  }

  @Nested
  class Reconfigure {
    @Test
    void keepsHistoryAndOpenBreachesAndResolvesThoseOfRemovedRules() {
      Scorer s = scorer(List.of(rule("hash_mismatch"), rule("integrity")), SIX.toArray(TargetId[]::new));
      TargetId id = SIX.get(0);
      assertThat(s.observe(obs(id, t(0), Verdict.HASH_MISMATCH), HASH)).hasSize(1);
      assertThat(s.observe(obs(SIX.get(1), t(0), SIGNATURE_INVALID), HASH)).hasSize(1);
      List<BreachTransition> gone = s.reconfigure(List.of(rule("hash_mismatch")), SCORING_WINDOW, 0.8, 3, t(1));
      assertThat(gone).extracting(BreachTransition::kind).containsExactly(RESOLVED);
      assertThat(gone.get(0).breach().rule()).isEqualTo("integrity");
      assertThat(s.openBreaches()).extracting(b -> b.rule()).containsExactly("hash_mismatch");
      assertThat(s.observe(obs(id, t(2), Verdict.HASH_MISMATCH), HASH))
          .as("still open: not opened again").isEmpty();
    }
  }
}

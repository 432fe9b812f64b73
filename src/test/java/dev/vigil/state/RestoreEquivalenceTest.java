package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.Observation;
import dev.vigil.score.Rule;
import dev.vigil.score.Scorer;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scorer restored from snapshots that went through {@link SnapshotCodec} (bytes and back) judges
 * exactly as the one they were taken from: same transitions (same breach ids), same scores, same
 * partition flag, for a mixed history with partitions, overloads, monitor faults and SLO reports,
 * whatever the moment of the restart.
 */
class RestoreEquivalenceTest {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00.123456789Z");
  static final Duration WINDOW = Duration.ofSeconds(180);
  static final List<TargetId> TARGETS = List.of(new TargetId("auth-service", "green"),
      new TargetId("integrity-service", "green"), new TargetId("integrity-service", "blue"),
      new TargetId("policy-governance-service", "green"), new TargetId("executive-council-service", "green"));

  /** One step of the history: an observation (with its monitor-fault mark), or an overload change. */
  record Step(Observation observation, boolean monitorFault, Boolean overload) {}

  static Scorer scorer() {
    Scorer s = new Scorer(Rule.defaults(), WINDOW, 0.8, 3);
    s.setTargets(TARGETS, T0);
    return s;
  }

  static List<Step> history(long seed, int rounds) {
    Random r = new Random(seed);
    List<Step> steps = new ArrayList<>();
    Verdict[] bad = {Verdict.HASH_MISMATCH, Verdict.TIMEOUT, Verdict.SIGNATURE_INVALID, Verdict.HTTP_ERROR,
        Verdict.UNREACHABLE, Verdict.COMPLIANCE_INACTIVE};
    for (int round = 0; round < rounds; round++) {
      boolean cutOff = round % 17 >= 12 && round % 17 <= 14;
      if (r.nextInt(25) == 0) {
        steps.add(new Step(null, false, r.nextBoolean()));
      }
      for (int i = 0; i < TARGETS.size(); i++) {
        Instant at = T0.plusSeconds(30L * round).plusNanos(r.nextInt(1_000_000_000));
        Verdict v = cutOff ? Verdict.UNREACHABLE : r.nextInt(5) == 0 ? bad[r.nextInt(bad.length)] : Verdict.COMPLIANT;
        boolean responded = !(v == Verdict.UNREACHABLE || v == Verdict.TIMEOUT);
        Statement.Slo slo = r.nextInt(3) == 0 ? null
            : new Statement.Slo(r.nextBoolean() ? r.nextDouble() * 3000 : null, r.nextDouble() * 300,
                r.nextBoolean() ? r.nextDouble() * 0.03 : null);
        Observation o = new Observation(TARGETS.get(i), at, v, "detail " + round, v == Verdict.COMPLIANT, responded,
            Duration.ofNanos(r.nextInt(2_500_000) * 1000L), slo, v == Verdict.HASH_MISMATCH ? "deadbeef" : "cdd01ef0");
        steps.add(new Step(o, r.nextInt(40) == 0, null));
      }
    }
    return steps;
  }

  static List<BreachTransition> apply(Scorer s, Step step) {
    if (step.overload() != null) {
      s.setOverloaded(step.overload(), step.observation() == null ? T0 : step.observation().at());
      return List.of();
    }
    return s.observe(step.observation(), "cdd01ef0", step.monitorFault());
  }

  /** Every target's snapshot, through bytes, into a new scorer. */
  static Scorer restartFrom(Scorer before, Instant at) throws StateFormatException {
    Scorer after = scorer();
    after.setOverloaded(before.overloaded(), at);
    for (TargetId id : TARGETS) {
      TargetSnapshot snap = new TargetSnapshot(id, at, 42L, before.memory(id).orElseThrow());
      TargetSnapshot read = SnapshotCodec.decodeSnapshot(SnapshotCodec.encode(snap));
      assertThat(read.memory().consecutiveFailures()).isEqualTo(snap.memory().consecutiveFailures());
      assertThat(read.memory().openBreaches()).isEqualTo(snap.memory().openBreaches());
      assertThat(after.restore(id, read.memory(), at)).isEmpty();
    }
    return after;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 7, 31, 64, 65, 66, 70, 90, 150})
  void judgesExactlyAsTheScorerItWasTakenFrom(int restartAfter) throws Exception {
    List<Step> steps = history(11, 40);
    Scorer original = scorer();
    for (Step s : steps.subList(0, restartAfter)) {
      apply(original, s);
    }
    Instant at = steps.get(Math.max(0, restartAfter - 1)).observation() == null ? T0
        : steps.get(Math.max(0, restartAfter - 1)).observation().at();
    Scorer restored = restartFrom(original, at);
    assertThat(restored.partitioned()).isEqualTo(original.partitioned());
    assertThat(restored.openBreaches()).isEqualTo(original.openBreaches());
    int transitions = 0;
    for (Step s : steps.subList(restartAfter, steps.size())) {
      List<BreachTransition> expected = apply(original, s);
      assertThat(apply(restored, s)).isEqualTo(expected);
      transitions += expected.size();
      if (s.observation() != null) {
        Instant now = s.observation().at();
        for (TargetId id : TARGETS) {
          assertThat(restored.score(id, now)).isEqualTo(original.score(id, now));
        }
        assertThat(restored.partitioned()).isEqualTo(original.partitioned());
      }
    }
    assertThat(transitions).as("the history opens and resolves breaches after the restart").isGreaterThan(3);
  }

  @Test
  void theHistoryCoversPartitionsOverloadsAndMonitorFaults() {
    List<Step> steps = history(11, 40);
    Scorer s = scorer();
    boolean partitioned = false;
    for (Step step : steps) {
      apply(s, step);
      partitioned |= s.partitioned();
    }
    assertThat(partitioned).isTrue();
    assertThat(steps).anyMatch(st -> st.overload() != null).anyMatch(Step::monitorFault);
  }
}

package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pure step machine: every transition, with the time as an argument. */
class StepMachineTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
  static final Duration DWELL = Duration.ofSeconds(60);
  static final Duration EVERY = Duration.ofSeconds(15);
  static final List<Check> PASS = List.of(Check.count("attestations", 3, 3, true));
  static final List<Check> FAIL = List.of(Check.count("attestations", 3, 3, true), Check.of("p95", 5, 1, false));
  static final List<Check> NO_DATA = List.of(Check.count("attestations", 3, 3, true), Check.noData("p95", 1));

  static StepMachine machine(Set<Integer> gates, int failureLimit, int inconclusiveLimit) {
    return new StepMachine(new StepPolicy(List.of(10, 50, 90, 100), DWELL, EVERY, failureLimit, inconclusiveLimit,
        gates));
  }

  final StepMachine m = machine(Set.of(), 2, 2);

  Rollout started() {
    return m.start("m-auth-service-1", "auth-service", "blue", "green", List.of("integrity-service"), T0);
  }

  /** Drives {@code r} through a passing analysis and its weight, at {@code t}. */
  Rollout passStep(StepMachine sm, Rollout r, Instant t) {
    assertThat(sm.next(r, t)).isEqualTo(new Action.Analyze());
    Rollout intent = sm.analysed(r, PASS, t);
    assertThat(sm.next(intent, t)).isInstanceOf(Action.SetWeight.class);
    return sm.applied(intent, t);
  }

  /** A rollout at step {@code k}, just applied at {@code T0 + k minutes}. */
  Rollout atStep(int k) {
    Rollout r = started();
    for (int i = 0; i < k; i++) {
      r = passStep(m, r, T0.plus(DWELL.multipliedBy(i)));
    }
    return r;
  }

  @Nested
  class Progress {
    @Test
    void startAnalysesBeforeTheFirstStep() {
      Rollout r = started();
      assertThat(r.state()).isEqualTo(RolloutState.PROGRESSING);
      assertThat(r.step()).isZero();
      assertThat(r.weight()).isZero();
      assertThat(m.next(r, T0)).isEqualTo(new Action.Analyze());
    }

    @Test
    void aPassingAnalysisRecordsTheIntentThenTheWeightIsSet() {
      Rollout intent = m.analysed(started(), PASS, T0);
      assertThat(intent.target()).isEqualTo(1);
      assertThat(intent.step()).isZero();
      assertThat(m.next(intent, T0.plusSeconds(30))).isEqualTo(new Action.SetWeight(1, 10));
      Rollout applied = m.applied(intent, T0.plusSeconds(1));
      assertThat(applied.step()).isEqualTo(1);
      assertThat(applied.target()).isNull();
      assertThat(applied.weight()).isEqualTo(10);
      assertThat(applied.dwellUntil()).isEqualTo(T0.plusSeconds(61));
      assertThat(applied.detail()).isEqualTo("step 1 of 4: green 10 %");
    }

    @Test
    void duringTheDwellItAnalysesEveryIntervalAndWaitsOtherwise() {
      Rollout r = atStep(1);
      assertThat(m.next(r, T0.plusSeconds(5))).isEqualTo(new Action.Wait(T0.plus(EVERY)));
      assertThat(m.next(r, T0.plus(EVERY))).isEqualTo(new Action.Analyze());
      Rollout after = m.analysed(r, PASS, T0.plus(EVERY));
      assertThat(after.target()).as("the dwell is not over: no step yet").isNull();
      assertThat(after.nextAnalysis()).isEqualTo(T0.plus(EVERY).plus(EVERY));
      assertThat(m.next(after, T0.plusSeconds(20))).isEqualTo(new Action.Wait(T0.plusSeconds(30)));
    }

    @Test
    void afterTheDwellAFreshAnalysisGatesTheNextStep() {
      Rollout r = atStep(1);
      Instant end = r.dwellUntil();
      Rollout mid = m.analysed(r, PASS, end.minusSeconds(1));
      assertThat(mid.target()).isNull();
      assertThat(m.next(mid, end)).as("the passed analysis was before the dwell ended").isEqualTo(new Action.Analyze());
      Rollout gate = m.analysed(mid, PASS, end);
      assertThat(m.next(gate, end)).isEqualTo(new Action.SetWeight(2, 50));
    }

    @Test
    void allStepsThenPromotionMustBeProven() {
      Rollout r = atStep(4);
      assertThat(r.weight()).isEqualTo(100);
      assertThat(m.next(r, T0.plus(Duration.ofHours(1)))).isEqualTo(new Action.VerifyPromotion());
      assertThat(m.analysed(r, FAIL, T0.plus(Duration.ofHours(1)))).as("no analysis after the last step").isSameAs(r);
      Rollout promoted = m.promotion(r, true, "weights read back green 100/blue 0", T0.plus(Duration.ofHours(1)));
      assertThat(promoted.state()).isEqualTo(RolloutState.PROMOTED);
      assertThat(promoted.finishedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
      assertThat(m.next(promoted, T0.plus(Duration.ofHours(2)))).isEqualTo(new Action.Done());
    }

    @Test
    void anUnprovenPromotionFails() {
      Rollout failed = m.promotion(atStep(4), false, "weights read back green 90/blue 10", T0);
      assertThat(failed.state()).isEqualTo(RolloutState.FAILED);
      assertThat(failed.detail()).contains("promotion not proven").contains("green 90");
    }

    @Test
    void promotionIsIgnoredBeforeTheLastStep() {
      Rollout r = atStep(2);
      assertThat(m.promotion(r, true, "x", T0)).isSameAs(r);
    }
  }

  @Nested
  class Failures {
    @Test
    void failureLimitFailedAnalysesInARowAbort() {
      Rollout r = atStep(2);
      Instant t = T0.plus(Duration.ofMinutes(5));
      Rollout once = m.analysed(r, FAIL, t);
      assertThat(once.state()).isEqualTo(RolloutState.PROGRESSING);
      assertThat(once.failures()).isEqualTo(1);
      assertThat(once.target()).as("a failed analysis never advances").isNull();
      Rollout twice = m.analysed(once, FAIL, t.plus(EVERY));
      assertThat(twice.state()).isEqualTo(RolloutState.ABORTING);
      assertThat(twice.target()).isZero();
      assertThat(twice.detail()).contains("p95 5.0 vs 1.0").contains("failureLimit 2");
      assertThat(m.next(twice, t)).isEqualTo(new Action.SetWeight(0, 0));
    }

    @Test
    void afterAFailedGateAnalysisTheNextWaitsForTheInterval() {
      Rollout failed = m.analysed(started(), FAIL, T0);
      assertThat(m.next(failed, T0.plusSeconds(1))).isEqualTo(new Action.Wait(T0.plus(EVERY)));
      assertThat(m.next(failed, T0.plus(EVERY))).isEqualTo(new Action.Analyze());
      Rollout r = atStep(1);
      Rollout gateFailed = m.analysed(r, FAIL, r.dwellUntil().plusSeconds(2));
      assertThat(m.next(gateFailed, r.dwellUntil().plusSeconds(3)))
          .isEqualTo(new Action.Wait(r.dwellUntil().plusSeconds(2).plus(EVERY)));
    }

    @Test
    void aPassingAnalysisResetsTheCount() {
      Rollout r = atStep(1);
      Instant t = T0.plusSeconds(70);
      Rollout failedOnce = m.analysed(r, FAIL, t);
      Rollout passed = m.analysed(failedOnce, PASS, t.plusSeconds(1));
      assertThat(passed.failures()).isZero();
      Rollout again = m.analysed(m.applied(passed, t.plusSeconds(1)), FAIL, t.plusSeconds(2));
      assertThat(again.state()).isEqualTo(RolloutState.PROGRESSING);
      assertThat(again.failures()).isEqualTo(1);
    }

    @Test
    void inconclusiveCountsAsAFailureAfterTheLimit() {
      StepMachine sm = machine(Set.of(), 2, 3);
      Rollout r = sm.start("id", "auth-service", "blue", "green", List.of(), T0);
      Rollout i1 = sm.analysed(r, NO_DATA, T0);
      Rollout i2 = sm.analysed(i1, NO_DATA, T0.plusSeconds(1));
      assertThat(i2.inconclusive()).isEqualTo(2);
      assertThat(i2.failures()).isZero();
      assertThat(i2.target()).as("inconclusive never advances").isNull();
      Rollout i3 = sm.analysed(i2, NO_DATA, T0.plusSeconds(2));
      assertThat(i3.failures()).isEqualTo(1);
      assertThat(i3.inconclusive()).isZero();
      assertThat(i3.detail()).contains("inconclusive 3 times in a row").contains("p95 (no data)");
      Rollout later = sm.analysed(sm.analysed(sm.analysed(i3, NO_DATA, T0), NO_DATA, T0), NO_DATA, T0);
      assertThat(later.state()).isEqualTo(RolloutState.ABORTING);
    }

    @Test
    void aFailedCheckOutweighsAnInconclusiveOne() {
      List<Check> both = List.of(Check.noData("rps", 1), Check.of("p95", 5, 1, false));
      Rollout r = m.analysed(started(), both, T0);
      assertThat(r.failures()).isEqualTo(1);
      assertThat(r.inconclusive()).isZero();
    }

    @Test
    void aForwardWeightThatCannotBeSetAbortsAndAFailedWayBackFails() {
      Rollout intent = m.analysed(atStep(1), PASS, T0.plus(Duration.ofMinutes(3)));
      Rollout aborting = m.notApplied(intent, "HTTP 503", T0.plus(Duration.ofMinutes(3)));
      assertThat(aborting.state()).isEqualTo(RolloutState.ABORTING);
      assertThat(aborting.detail()).contains("could not be set to green 50 %").contains("HTTP 503");
      Rollout failed = m.notApplied(aborting, "HTTP 503", T0.plus(Duration.ofMinutes(4)));
      assertThat(failed.state()).isEqualTo(RolloutState.FAILED);
      assertThat(failed.detail()).contains("could not be set back to blue");
    }

    @Test
    void abortEndsAbortedOnceBackAndValidated() {
      Rollout aborting = m.abort(atStep(2), T0).rollout();
      Rollout back = m.applied(aborting, T0.plusSeconds(1));
      assertThat(back.step()).isZero();
      assertThat(back.state()).isEqualTo(RolloutState.ABORTING);
      assertThat(m.next(back, T0)).isEqualTo(new Action.ValidateFrom());
      Rollout done = m.reverted(back, true, "blue attested compliant 2 times in a row", T0.plusSeconds(3));
      assertThat(done.state()).isEqualTo(RolloutState.ABORTED);
      assertThat(done.detail()).startsWith("aborted by an operator; traffic back on blue, validated");
      assertThat(m.reverted(aborting, true, "x", T0)).as("not before the weight is back").isSameAs(aborting);
    }
  }

  @Nested
  class Operators {
    @Test
    void aManualGateWaitsForPromote() {
      StepMachine sm = machine(Set.of(50), 2, 1);
      Rollout r = passStep(sm, sm.start("id", "auth-service", "blue", "green", List.of(), T0), T0);
      Rollout waiting = sm.analysed(r, PASS, r.dwellUntil());
      assertThat(waiting.state()).isEqualTo(RolloutState.WAITING_APPROVAL);
      assertThat(waiting.target()).isNull();
      assertThat(sm.next(waiting, T0.plus(Duration.ofDays(1)))).isEqualTo(new Action.Wait(null));
      StepMachine.Control promoted = sm.promote(waiting, T0);
      assertThat(promoted.accepted()).isTrue();
      assertThat(sm.next(promoted.rollout(), T0)).isEqualTo(new Action.SetWeight(2, 50));
    }

    @Test
    void promoteWithNoGateWaitingIsRefused() {
      Rollout r = atStep(1);
      StepMachine.Control c = m.promote(r, T0);
      assertThat(c.accepted()).isFalse();
      assertThat(c.refused()).contains("no manual gate is waiting");
      assertThat(c.rollout()).isSameAs(r);
    }

    @Test
    void pauseStopsAnalysesAndStepsUntilResume() {
      Rollout r = atStep(1);
      Rollout paused = m.pause(r, T0).rollout();
      assertThat(paused.state()).isEqualTo(RolloutState.PAUSED);
      assertThat(m.next(paused, T0.plus(Duration.ofDays(1)))).isEqualTo(new Action.Wait(null));
      assertThat(m.analysed(paused, PASS, T0.plus(Duration.ofDays(1)))).isSameAs(paused);
      assertThat(m.pause(paused, T0).refused()).contains("cannot pause");
      Instant later = T0.plus(Duration.ofHours(1));
      Rollout resumed = m.resume(paused, later).rollout();
      assertThat(resumed.state()).isEqualTo(RolloutState.PROGRESSING);
      assertThat(m.next(resumed, later)).isEqualTo(new Action.Analyze());
      assertThat(m.resume(resumed, later).refused()).contains("not paused");
    }

    @Test
    void pausingAWaitingGateResumesToTheGate() {
      StepMachine sm = machine(Set.of(10), 2, 1);
      Rollout waiting = sm.analysed(sm.start("id", "s", "blue", "green", List.of(), T0), PASS, T0);
      Rollout paused = sm.pause(waiting, T0).rollout();
      assertThat(sm.promote(paused, T0).accepted()).isFalse();
      assertThat(sm.resume(paused, T0).rollout().state()).isEqualTo(RolloutState.WAITING_APPROVAL);
    }

    @Test
    void aWeightBeingSetIsFinishedBeforeAPauseTakesEffect() {
      Rollout intent = m.analysed(started(), PASS, T0);
      Rollout paused = m.pause(intent, T0).rollout();
      assertThat(m.next(paused, T0)).isEqualTo(new Action.SetWeight(1, 10));
      Rollout applied = m.applied(paused, T0);
      assertThat(applied.state()).isEqualTo(RolloutState.PAUSED);
      assertThat(m.next(applied, T0)).isEqualTo(new Action.Wait(null));
    }

    @ParameterizedTest
    @EnumSource(value = RolloutState.class, names = {"PROGRESSING", "PAUSED", "WAITING_APPROVAL"})
    void abortFromEveryRunningState(RolloutState state) {
      Rollout r = in(state);
      StepMachine.Control c = m.abort(r, T0);
      assertThat(c.accepted()).isTrue();
      assertThat(c.rollout().state()).isEqualTo(RolloutState.ABORTING);
      assertThat(c.rollout().pausedFrom()).isNull();
      assertThat(m.next(c.rollout(), T0)).isEqualTo(new Action.SetWeight(0, 0));
    }

    @ParameterizedTest
    @EnumSource(value = RolloutState.class, names = {"ABORTING", "PROMOTED", "ABORTED", "FAILED"})
    void abortIsRefusedWhenAbortingOrFinished(RolloutState state) {
      StepMachine.Control c = m.abort(in(state), T0);
      assertThat(c.accepted()).isFalse();
      assertThat(c.refused()).containsAnyOf("already aborting", "already finished");
    }

    @ParameterizedTest
    @EnumSource(RolloutState.class)
    void everyCommandInEveryStateIsAcceptedOrRefusedWithAReason(RolloutState state) {
      Rollout r = in(state);
      for (StepMachine.Control c : List.of(m.pause(r, T0), m.resume(r, T0), m.promote(r, T0), m.abort(r, T0))) {
        if (!c.accepted()) {
          assertThat(c.refused()).isNotBlank();
          assertThat(c.rollout()).isSameAs(r);
        }
      }
      EnumSet<RolloutState> pausable = EnumSet.of(RolloutState.PROGRESSING, RolloutState.WAITING_APPROVAL);
      assertThat(m.pause(r, T0).accepted()).isEqualTo(pausable.contains(state));
      assertThat(m.resume(r, T0).accepted()).isEqualTo(state == RolloutState.PAUSED);
      assertThat(m.promote(r, T0).accepted()).isEqualTo(state == RolloutState.WAITING_APPROVAL);
    }
  }

  @Nested
  class Breach {
    @ParameterizedTest
    @EnumSource(value = RolloutState.class, names = {"PROGRESSING", "PAUSED", "WAITING_APPROVAL"})
    void aBreachDuringAStepAborts(RolloutState state) {
      Rollout r = m.breach(in(state), "hash_mismatch on green", T0);
      assertThat(r.state()).isEqualTo(RolloutState.ABORTING);
      assertThat(r.detail()).isEqualTo("breach: hash_mismatch on green");
      assertThat(m.next(r, T0)).isEqualTo(new Action.SetWeight(0, 0));
    }

    @Test
    void aBreachWhileAWeightIsBeingSetTurnsTheIntentBack() {
      Rollout intent = m.analysed(atStep(1), PASS, T0.plus(Duration.ofMinutes(3)));
      assertThat(intent.target()).isEqualTo(2);
      Rollout r = m.breach(intent, "integrity", T0);
      assertThat(r.target()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = RolloutState.class, names = {"ABORTING", "PROMOTED", "ABORTED", "FAILED"})
    void aBreachChangesNothingWhenAbortingOrFinished(RolloutState state) {
      Rollout r = in(state);
      assertThat(m.breach(r, "x", T0)).isSameAs(r);
    }
  }

  @Nested
  class Restart {
    /** Every rollout a full run records, abort included, in order. */
    List<Rollout> recorded() {
      StepMachine sm = machine(Set.of(90), 2, 1);
      List<Rollout> out = new ArrayList<>();
      Rollout r = sm.start("id", "auth-service", "blue", "green", List.of(), T0);
      out.add(r);
      Instant t = T0;
      for (int k = 1; k <= 2; k++) {
        r = sm.analysed(r, PASS, t);
        out.add(r);
        r = sm.applied(r, t);
        out.add(r);
        t = t.plus(DWELL);
      }
      r = sm.analysed(r, PASS, t);
      out.add(r);
      r = sm.pause(r, t).rollout();
      out.add(r);
      r = sm.resume(r, t).rollout();
      out.add(r);
      r = sm.promote(r, t).rollout();
      out.add(r);
      r = sm.abort(r, t).rollout();
      out.add(r);
      r = sm.applied(r, t);
      out.add(r);
      r = sm.reverted(r, true, "ok", t);
      out.add(r);
      return out;
    }

    @Test
    void fromEveryRecordedStateTheSameActionFollowsAfterAReload() throws Exception {
      StepMachine sm = machine(Set.of(90), 2, 1);
      for (Rollout r : recorded()) {
        Rollout reloaded = RolloutCodec.decode(RolloutCodec.encode(r));
        assertThat(reloaded).isEqualTo(r);
        assertThat(sm.next(reloaded, T0.plus(Duration.ofMinutes(30)))).isEqualTo(sm.next(r, T0.plus(Duration.ofMinutes(30))));
      }
    }

    @Test
    void aRecordedIntentIsSetAgainNeitherSkippedNorRepeated() {
      Rollout intent = m.analysed(atStep(1), PASS, T0.plus(Duration.ofMinutes(3)));
      // crash after the weight was set, before the outcome was recorded: the intent is re-issued
      assertThat(m.next(intent, T0.plus(Duration.ofHours(1)))).isEqualTo(new Action.SetWeight(2, 50));
      Rollout applied = m.applied(intent, T0.plus(Duration.ofHours(1)));
      assertThat(applied.step()).isEqualTo(2);
      assertThat(m.applied(applied, T0)).as("applying again changes nothing").isSameAs(applied);
    }
  }

  /** A rollout in {@code state}, as the machine gets there. */
  Rollout in(RolloutState state) {
    StepMachine gated = machine(Set.of(90), 2, 1);
    Rollout r = atStep(2);
    return switch (state) {
      case PROGRESSING -> r;
      case PAUSED -> m.pause(r, T0).rollout();
      case WAITING_APPROVAL -> gated.analysed(r, PASS, r.dwellUntil());
      case ABORTING -> m.abort(r, T0).rollout();
      case PROMOTED -> m.promotion(atStep(4), true, "ok", T0);
      case FAILED -> m.promotion(atStep(4), false, "no", T0);
      case ABORTED -> m.reverted(m.applied(m.abort(r, T0).rollout(), T0), true, "ok", T0);
    };
  }
}

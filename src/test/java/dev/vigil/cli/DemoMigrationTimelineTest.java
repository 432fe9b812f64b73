package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rollout.Check;
import dev.vigil.rollout.Rollout;
import dev.vigil.rollout.RolloutState;
import dev.vigil.sim.TrafficRouter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The migration demo's timeline from rollout readings, with a clock the test moves. */
class DemoMigrationTimelineTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final List<String> ORDER = List.of("a", "b", "c");

  private final StringWriter out = new StringWriter();
  private final MovableClock clock = new MovableClock();
  private final Map<String, TrafficRouter.Split> router = new HashMap<>();
  private final DemoMigrationTimeline timeline =
      new DemoMigrationTimeline(new PrintWriter(out), clock, s -> router.getOrDefault(s, new TrafficRouter.Split(0, 100)));

  private static final class MovableClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static Rollout rollout(String service, RolloutState state, int step, int failures, List<Check> analysis,
      String detail, Instant finishedAt) {
    return new Rollout("m-" + service, service, "blue", "green", List.of(10, 50, 90, 100), state, null, step, null, T0,
        T0, false, failures, 0, analysis, detail, T0, finishedAt, 0, List.of());
  }

  private void at(long millis, Rollout... all) {
    clock.now = T0.plusMillis(millis);
    timeline.observe(List.of(all));
  }

  @Nested
  class Lines {
    @Test
    void aStepAlreadyAppliedAtTheFirstReadingIsPrintedWithTheTimeSinceTheStart() {
      at(1500, rollout("a", RolloutState.PROGRESSING, 1, 0, List.of(Check.count("attestations", 3, 3, true)), "", null));
      assertThat(out.toString()).contains("ROLLOUT  a started: blue -> green in steps [10, 50, 90, 100] %")
          .contains("STEP     a step 1/4: green 10 % / blue 90 % (1.5 s after the previous; analysis: attestations 3 ok)");
    }

    @Test
    void anAbortSaysWhyAndHowLongTheWayBackTook() {
      at(0, rollout("a", RolloutState.PROGRESSING, 2, 0, List.of(), "", null));
      Check slow = Check.of("measured_p95", 3.2, 2.0, false);
      at(1000, rollout("a", RolloutState.PROGRESSING, 2, 1, List.of(slow), "", null));
      at(2000, rollout("a", RolloutState.ABORTING, 2, 2, List.of(slow), "analysis failed: measured_p95", null));
      at(3400, rollout("a", RolloutState.ABORTED, 0, 2, List.of(slow), "analysis failed: measured_p95; blue validated",
          T0.plusMillis(3300)));
      timeline.summary(ORDER);
      assertThat(out.toString())
          .contains("ANALYSIS a FAILED (1 failed in a row): measured_p95 3.20 FAILED (threshold 2.0)")
          .contains("ROLLOUT  a ABORTING: analysis failed: measured_p95; moving all traffic back to blue")
          .contains("ROLLOUT  a ABORTED after 3.3 s (router: blue 100 % / green 0 %): analysis failed: measured_p95;"
              + " blue validated; first failing analysis -> traffic back on blue and validated: 2.4 s")
          .contains("PLAN     stopped at a (aborted: analysis failed: measured_p95; blue validated); b, c stay on blue")
          .contains("FIGURES  a: first failing analysis -> traffic back on blue and validated in 2.4 s");
    }
  }

  @Nested
  class Outcome {
    private final Rollout promotedA = rollout("a", RolloutState.PROMOTED, 4, 0, List.of(), "promoted", T0);

    @Test
    void thePlanIsOverOnlyWhenNothingRunsAndItStoppedOrPromotedAll() {
      Rollout runningB = rollout("b", RolloutState.PROGRESSING, 1, 0, List.of(), "", null);
      assertThat(timeline.planOver(List.of(), ORDER)).isFalse();
      assertThat(timeline.planOver(List.of(promotedA), ORDER)).as("b is about to start").isFalse();
      assertThat(timeline.planOver(List.of(promotedA, runningB), ORDER)).isFalse();
      Rollout abortedB = rollout("b", RolloutState.ABORTED, 0, 2, List.of(), "x", T0);
      assertThat(timeline.planOver(List.of(promotedA, abortedB), ORDER)).isTrue();
      List<Rollout> all = ORDER.stream().map(s -> rollout(s, RolloutState.PROMOTED, 4, 0, List.of(), "", T0)).toList();
      assertThat(timeline.planOver(all, ORDER)).isTrue();
    }

    @Test
    void theExpectedOutcomeIsPromotedBeforeTheDegradedServiceAbortedAtItAndNothingAfter() {
      at(0, promotedA, rollout("b", RolloutState.ABORTED, 0, 2, List.of(), "x", T0));
      assertThat(timeline.outcomeAsExpected("b", ORDER)).isTrue();
      assertThat(timeline.outcomeAsExpected("a", ORDER)).isFalse();
      assertThat(timeline.outcomeAsExpected(null, ORDER)).as("without a degraded service all must promote").isFalse();
      at(100, promotedA, rollout("b", RolloutState.ABORTED, 0, 2, List.of(), "x", T0),
          rollout("c", RolloutState.PROMOTED, 4, 0, List.of(), "", T0));
      assertThat(timeline.outcomeAsExpected("b", ORDER)).as("the plan went on past the abort").isFalse();
    }
  }

  @Test
  void figuresCountTheSteps() {
    at(0, rollout("a", RolloutState.PROGRESSING, 0, 0, List.of(), "", null));
    at(1000, rollout("a", RolloutState.PROGRESSING, 1, 0, List.of(), "", null));
    at(5000, rollout("a", RolloutState.PROGRESSING, 2, 0, List.of(), "", null));
    timeline.summary(ORDER);
    assertThat(out.toString()).contains("FIGURES  2 steps applied: 2.5 s per step on average, 4.0 s at most");
  }
}

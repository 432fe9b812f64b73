package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.poll.PollPlan.Lane;
import dev.vigil.poll.PollPlan.Start;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The scheduler's planning with time as an argument: exact due times and exact admissions. */
class PollPlanTest {
  private static final long S = 1_000_000_000L;
  private static final Duration THIRTY = Duration.ofSeconds(30);

  private static TargetId id(String name) {
    return new TargetId(name, "green");
  }

  private static DoubleSupplier sequence(double... values) {
    int[] i = {0};
    return () -> values[i[0]++ % values.length];
  }

  private static List<String> names(List<Start> starts) {
    List<String> out = new ArrayList<>();
    for (Start s : starts) {
      out.add(s.id().service());
    }
    return out;
  }

  @Nested
  class DueTimes {
    @Test
    void firstStartsAreSpreadOverJitterTimesInterval() {
      PollPlan plan = new PollPlan(10, 0.5, sequence(0.0, 0.5, 0.999));
      assertThat(plan.add(id("a"), THIRTY, 100 * S)).isEqualTo(100 * S);
      assertThat(plan.add(id("b"), THIRTY, 100 * S)).isEqualTo(100 * S + 7_500_000_000L);
      assertThat(plan.add(id("c"), THIRTY, 100 * S)).isEqualTo(100 * S + (long) (0.999 * 0.5 * 30 * S));
    }

    @Test
    void addingAPlannedTargetAgainOnlyChangesItsInterval() {
      PollPlan plan = new PollPlan(10, 0.0, sequence(0.0));
      plan.add(id("a"), THIRTY, 0);
      assertThat(plan.add(id("a"), Duration.ofSeconds(10), 5 * S)).isEqualTo(-1);
      plan.due(id("a"));
      Start s = plan.startable(0).get(0);
      assertThat(plan.finished(s, false, S)).isEqualTo(10 * S);
    }

    @Test
    void nextDueIsOneIntervalAfterThePreviousDueAndLagIsStartMinusDue() {
      PollPlan plan = new PollPlan(10, 0.0, sequence(0.0));
      plan.add(id("a"), THIRTY, 10 * S);
      plan.due(id("a"));
      Start s = plan.startable(10 * S + 250_000_000L).get(0);
      assertThat(s.lag()).isEqualTo(Duration.ofMillis(250));
      assertThat(plan.finished(s, false, 12 * S)).isEqualTo(40 * S);
    }

    @Test
    void aPollThatOverranSkipsTheMissedDueTimesInsteadOfBursting() {
      PollPlan plan = new PollPlan(10, 0.0, sequence(0.0));
      plan.add(id("a"), THIRTY, 0);
      plan.due(id("a"));
      Start s = plan.startable(0).get(0);
      assertThat(plan.finished(s, false, 65 * S)).isEqualTo(90 * S);
    }

    @Test
    void aTargetNeverQueuesTwiceNorWhileItsPollRuns() {
      PollPlan plan = new PollPlan(10, 0.0, sequence(0.0));
      plan.add(id("a"), THIRTY, 0);
      plan.due(id("a"));
      plan.due(id("a"));
      assertThat(plan.queued()).isEqualTo(1);
      plan.startable(0);
      plan.due(id("a"));
      assertThat(plan.queued()).isZero();
      assertThat(plan.startable(0)).isEmpty();
    }

    @Test
    void aRemovedTargetIsDroppedFromTheQueueAndNotPlannedAgainAfterItsRunningPoll() {
      PollPlan plan = new PollPlan(10, 0.0, sequence(0.0));
      plan.add(id("a"), THIRTY, 0);
      plan.add(id("b"), THIRTY, 0);
      plan.due(id("a"));
      Start a = plan.startable(0).get(0);
      plan.due(id("b"));
      plan.remove(id("a"));
      plan.remove(id("b"));
      assertThat(plan.queued()).isZero();
      assertThat(plan.finished(a, false, S)).isEqualTo(-1);
      assertThat(plan.inFlight()).isZero();
    }
  }

  @Nested
  class Budget {
    @Test
    void neverMoreThanTheConcurrencyInFlightAndFifoWithinALane() {
      PollPlan plan = new PollPlan(3, 0.0, sequence(0.0));
      for (String n : List.of("a", "b", "c", "d", "e")) {
        plan.add(id(n), THIRTY, 0);
        plan.due(id(n));
      }
      List<Start> first = plan.startable(0);
      assertThat(names(first)).containsExactly("a", "b", "c");
      assertThat(plan.inFlight()).isEqualTo(3);
      assertThat(plan.queued()).isEqualTo(2);
      assertThat(plan.startable(0)).isEmpty();
      plan.finished(first.get(1), false, S);
      assertThat(names(plan.startable(S))).containsExactly("d");
    }

    @Test
    void silentTargetsHoldAtMostAQuarterOfTheBudgetAndAnsweringOnesStartFirst() {
      PollPlan plan = new PollPlan(8, 0.0, sequence(0.0));
      assertThat(plan.silentBudget()).isEqualTo(2);
      for (int i = 0; i < 3; i++) {
        plan.add(id("ok" + i), THIRTY, 0);
        plan.due(id("ok" + i));
      }
      for (Start s : plan.startable(0)) {
        plan.finished(s, false, S);
      }
      for (int i = 0; i < 10; i++) {
        plan.add(id("dead" + i), THIRTY, S);
        plan.due(id("dead" + i));
      }
      List<Start> round1 = plan.startable(S);
      assertThat(names(round1)).containsExactly("dead0", "dead1", "dead2", "dead3", "dead4", "dead5", "dead6", "dead7");
      for (Start s : round1) {
        plan.finished(s, true, 6 * S);
      }
      for (int i = 0; i < 10; i++) {
        plan.due(id("dead" + i));
      }
      for (int i = 0; i < 3; i++) {
        plan.due(id("ok" + i));
      }
      List<Start> round2 = plan.startable(30 * S);
      assertThat(names(round2)).containsExactly("ok0", "ok1", "ok2", "dead8", "dead9", "dead0", "dead1");
      assertThat(plan.inFlight(Lane.SILENT)).isEqualTo(2);
      assertThat(plan.inFlight(Lane.ANSWERING)).isEqualTo(3);
      assertThat(plan.inFlight(Lane.NEW)).isEqualTo(2);
      assertThat(plan.queued()).isEqualTo(6);
    }

    @Test
    void whileSilentTargetsWaitTheirShareIsReservedSoTheyAreNeverStarved() {
      PollPlan plan = new PollPlan(4, 0.0, sequence(0.0));
      plan.add(id("dead"), THIRTY, 0);
      plan.due(id("dead"));
      Start dead = plan.startable(0).get(0);
      plan.finished(dead, true, S);
      plan.due(id("dead"));
      for (int i = 0; i < 6; i++) {
        plan.add(id("ok" + i), THIRTY, 0);
        plan.due(id("ok" + i));
      }
      List<Start> starts = plan.startable(30 * S);
      assertThat(names(starts)).containsExactly("ok0", "ok1", "ok2", "dead");
      assertThat(plan.queued()).isEqualTo(3);
    }

    @Test
    void aHealthyTargetDueAfterAThousandSilentOnesStartsAtOnce() {
      PollPlan plan = new PollPlan(256, 0.0, sequence(0.0));
      for (int i = 0; i < 1000; i++) {
        plan.add(id("dead" + i), THIRTY, 0);
        plan.due(id("dead" + i));
        plan.finished(plan.startable(0).get(0), true, 5 * S);
      }
      for (int i = 0; i < 1000; i++) {
        plan.due(id("dead" + i));
      }
      assertThat(plan.startable(30 * S)).hasSize(64);
      plan.add(id("ok"), THIRTY, 30 * S);
      plan.due(id("ok"));
      List<Start> next = plan.startable(30 * S + 1);
      assertThat(names(next)).containsExactly("ok");
      assertThat(next.get(0).lane()).isEqualTo(Lane.NEW);
      assertThat(plan.inFlight(Lane.SILENT)).isEqualTo(64);
    }

    @Test
    void anAnswerMovesASilentTargetBackAndAnUnknownOutcomeKeepsItsLane() {
      PollPlan plan = new PollPlan(4, 0.0, sequence(0.0));
      plan.add(id("a"), THIRTY, 0);
      assertThat(plan.lane(id("a"))).isEqualTo(Lane.NEW);
      plan.due(id("a"));
      plan.finished(plan.startable(0).get(0), true, S);
      assertThat(plan.lane(id("a"))).isEqualTo(Lane.SILENT);
      plan.due(id("a"));
      plan.finished(plan.startable(30 * S).get(0), null, 31 * S);
      assertThat(plan.lane(id("a"))).isEqualTo(Lane.SILENT);
      plan.due(id("a"));
      plan.finished(plan.startable(60 * S).get(0), false, 61 * S);
      assertThat(plan.lane(id("a"))).isEqualTo(Lane.ANSWERING);
    }

    @Test
    void withConcurrencyOneSilentTargetsGetTheSlotOnlyWhenNothingElseWaits() {
      PollPlan plan = new PollPlan(1, 0.0, sequence(0.0));
      plan.add(id("dead"), THIRTY, 0);
      plan.due(id("dead"));
      plan.finished(plan.startable(0).get(0), true, S);
      plan.add(id("ok"), THIRTY, 0);
      plan.due(id("dead"));
      plan.due(id("ok"));
      Start ok = plan.startable(30 * S).get(0);
      assertThat(ok.id().service()).isEqualTo("ok");
      plan.finished(ok, false, 30 * S);
      assertThat(names(plan.startable(30 * S))).containsExactly("dead");
    }
  }
}

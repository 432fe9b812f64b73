package dev.vigil.monitor;

import static dev.vigil.monitor.OverloadTracker.Channel.EVENT_LOOP;
import static dev.vigil.monitor.OverloadTracker.Channel.WORKER_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Overload from measured delays, and which polls it covers; times are given in nanoseconds. */
class OverloadTrackerTest {
  private static final long MS = 1_000_000L;

  private final OverloadTracker t = new OverloadTracker(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1));

  @Nested
  class Thresholds {
    @Test
    void aLoopDelayAboveItsThresholdIsAnOverloadAndBelowIsNot() {
      assertThat(t.measure(EVENT_LOOP, 0, 500 * MS)).as("500 ms is not above 500 ms").isFalse();
      assertThat(t.overloaded()).isFalse();
      assertThat(t.measure(EVENT_LOOP, 1000 * MS, 1501 * MS)).as("flipped").isTrue();
      assertThat(t.overloaded()).isTrue();
      assertThat(t.eventLoopDelay()).isEqualTo(Duration.ofMillis(501));
    }

    @Test
    void eachChannelHasItsOwnThreshold() {
      t.measure(WORKER_QUEUE, 0, 900 * MS);
      assertThat(t.overloaded()).as("900 ms queue wait is under 1 s").isFalse();
      t.measure(WORKER_QUEUE, 1000 * MS, 2100 * MS);
      assertThat(t.overloaded()).isTrue();
      assertThat(t.workerQueueWait()).isEqualTo(Duration.ofMillis(1100));
    }

    @Test
    void itClearsOnlyAfterClearAfterWithoutALateMeasurement() {
      t.measure(EVENT_LOOP, 0, 600 * MS);
      assertThat(t.measure(EVENT_LOOP, 700 * MS, 710 * MS)).isFalse();
      assertThat(t.measure(EVENT_LOOP, 1500 * MS, 1510 * MS)).as("910 ms after the last late one").isFalse();
      assertThat(t.overloaded()).isTrue();
      assertThat(t.measure(EVENT_LOOP, 1600 * MS, 1610 * MS)).as("1010 ms after").isTrue();
      assertThat(t.overloaded()).isFalse();
    }
  }

  @Nested
  class Polls {
    @Test
    void aPollOverlappingAnEpisodeIsCoveredAfterItEndsAndOneOutsideIsNot() {
      t.measure(EVENT_LOOP, 10_000 * MS, 13_000 * MS);
      t.measure(EVENT_LOOP, 15_000 * MS, 15_001 * MS);
      assertThat(t.overloaded()).isFalse();
      assertThat(t.overlapped(9_000 * MS, 10_500 * MS)).as("started before, finished during").isTrue();
      assertThat(t.overlapped(12_900 * MS, 14_000 * MS)).as("started during, finished after").isTrue();
      assertThat(t.overlapped(13_100 * MS, 14_000 * MS)).as("after the episode").isFalse();
      assertThat(t.overlapped(1_000 * MS, 9_999 * MS)).as("before it").isFalse();
    }

    @Test
    void aProbeStillWaitingPastItsThresholdCoversAPollBeforeTheSamplerReportsIt() {
      t.submitted(EVENT_LOOP, 1_000 * MS);
      assertThat(t.overlapped(900 * MS, 1_400 * MS)).as("waited 400 ms so far").isFalse();
      assertThat(t.overlapped(900 * MS, 1_600 * MS)).as("waited 600 ms by the poll's end").isTrue();
      assertThat(t.overloaded()).as("not yet reported").isFalse();
      t.ran(EVENT_LOOP, 1_000 * MS, 1_700 * MS);
      assertThat(t.overloaded()).isTrue();
      t.ran(EVENT_LOOP, 5_000 * MS, 5_001 * MS);
      assertThat(t.overlapped(4_000 * MS, 5_100 * MS)).as("ran: no longer pending, the episode is over").isFalse();
    }

    @Test
    void everyPollIsCoveredWhileOverloaded() {
      t.measure(EVENT_LOOP, 0, 700 * MS);
      assertThat(t.overlapped(5_000 * MS, 5_001 * MS)).isTrue();
    }
  }
}

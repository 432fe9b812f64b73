package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lag, age of the oldest waiting record and the stall of readiness, on a clock the test moves. */
class PartitionProgressTest {
  static final Duration THRESHOLD = Duration.ofMinutes(5);
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T05:00:00Z"));
  final PartitionProgress progress = new PartitionProgress(clock, registry);

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aPartitionThatKeepsAdvancingIsNeverStalledEvenWithABacklog() {
    progress.assigned(0);
    progress.update(0, 100, false);
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofMinutes(1));
      progress.update(0, 99 - i, true);
    }
    assertThat(progress.lag(0)).isEqualTo(80);
    assertThat(progress.ageSeconds(0)).isZero();
    assertThat(progress.stalled(THRESHOLD)).isEmpty();
  }

  @Test
  void recordsWaitingWithoutAdvanceStallThePartitionAfterTheThreshold() {
    progress.assigned(0);
    progress.assigned(3);
    progress.update(3, 0, false);
    clock.advance(Duration.ofHours(1)); // idle for an hour: that is no stall
    progress.update(3, 2, false);
    assertThat(progress.stalled(THRESHOLD)).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    progress.update(3, 2, false);
    assertThat(progress.ageSeconds(3)).isEqualTo(300.0);
    assertThat(progress.stalled(THRESHOLD)).as("at the threshold, not beyond").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(progress.stalled(THRESHOLD)).hasValue(
        "partition 3 of the breaches topic has had 2 records waiting for 301 s without advancing (threshold 300 s)");
    assertThat(registry.scrape()).contains(
        "constitutional_rollback_consumer_lag{partition=\"3\"} 2.0",
        "constitutional_rollback_oldest_unfinished_seconds{partition=\"3\"} 301.0",
        "constitutional_rollback_oldest_unfinished_seconds{partition=\"0\"} 0.0");
    // it advances: the age starts again from now, and is 0 once nothing waits
    progress.update(3, 1, true);
    assertThat(progress.stalled(THRESHOLD)).isEmpty();
    progress.update(3, 0, true);
    clock.advance(Duration.ofHours(1));
    assertThat(progress.ageSeconds(3)).isZero();
  }

  @Test
  void aRevokedPartitionsGaugesGo() {
    progress.assigned(1);
    progress.update(1, 5, false);
    clock.advance(Duration.ofHours(1));
    progress.revoked(1);
    assertThat(progress.stalled(THRESHOLD)).isEmpty();
    assertThat(registry.scrape()).doesNotContain("constitutional_rollback_consumer_lag",
        "constitutional_rollback_oldest_unfinished_seconds");
    progress.update(1, 5, false); // a late update of a partition no longer held is ignored
    assertThat(progress.lag(1)).isZero();
  }
}

package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.poll.PollResult;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The exposition carries the metrics-v1 names and types exactly, and promtool finds nothing. */
class MonitorMetricsTest {
  private static final TargetId GREEN = new TargetId("integrity-service", "green");
  private static final TargetId BLUE = new TargetId("integrity-service", "blue");
  private final MonitorMetrics metrics = new MonitorMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  private String populated() {
    Instant now = Instant.parse("2026-11-26T18:00:00Z");
    metrics.setTargets(List.of(GREEN, BLUE));
    metrics.recordPoll(new PollResult(GREEN, new Verification(Verdict.HASH_MISMATCH, "x", true, List.of("k"), null), true,
        Duration.ofMillis(40), now, 1), OptionalDouble.of(0.5));
    metrics.recordPoll(new PollResult(BLUE, new Verification(Verdict.COMPLIANT, "ok", true, List.of("k"), null), true,
        Duration.ofMillis(20), now, 1), OptionalDouble.of(1.0));
    metrics.recordLag(Duration.ofMillis(3));
    metrics.setFleetScores(Map.of("green", 0.5, "blue", 1.0));
    Breach b = new Breach(Breach.idFor(GREEN, "hash_mismatch", now), GREEN, "hash_mismatch", Severity.CRITICAL,
        Verdict.HASH_MISMATCH, "deadbeefdeadbeef", "cdd01ef066bc6cf2", 0.5, 180, 1, now, null);
    metrics.recordTransition(new BreachTransition(BreachTransition.Kind.OPENED, b));
    metrics.setPartitioned(false);
    return metrics.scrape();
  }

  @Nested
  class Names {
    @Test
    void everyMonitorMetricOfTheContractIsExposedWithItsType() {
      String text = populated();
      assertThat(text)
          .contains("# TYPE constitutional_hash_valid gauge")
          .contains("constitutional_hash_valid{environment=\"green\",service=\"integrity-service\"} 0.0")
          .contains("constitutional_hash_valid{environment=\"blue\",service=\"integrity-service\"} 1.0")
          .contains("# TYPE constitutional_compliance_score gauge")
          .contains("constitutional_compliance_score{environment=\"green\",service=\"integrity-service\"} 0.5")
          .contains("# TYPE constitutional_fleet_compliance_score gauge")
          .contains("constitutional_fleet_compliance_score{environment=\"green\"} 0.5")
          .contains("# TYPE constitutional_attestation_checks_total counter")
          .contains("constitutional_attestation_checks_total{environment=\"green\",result=\"hash_mismatch\",service=\"integrity-service\"} 1.0")
          .contains("# TYPE constitutional_attestation_signed gauge")
          .contains("# TYPE constitutional_target_up gauge")
          .contains("# TYPE constitutional_probe_duration_seconds histogram")
          .contains("constitutional_probe_duration_seconds_bucket{environment=\"green\",service=\"integrity-service\",le=\"0.05\"} 1")
          .contains("# TYPE constitutional_breach_active gauge")
          .contains("constitutional_breach_active{environment=\"green\",rule=\"hash_mismatch\",service=\"integrity-service\",severity=\"critical\"} 1.0")
          .contains("# TYPE constitutional_breaches_opened_total counter")
          .contains("constitutional_breaches_opened_total{rule=\"hash_mismatch\",severity=\"critical\"} 1.0")
          .contains("# TYPE constitutional_poll_lag_seconds histogram")
          .contains("constitutional_monitor_targets 2.0")
          .contains("constitutional_monitor_config_last_reload_successful 1.0")
          .contains("constitutional_monitor_partitioned 0.0")
          .contains("constitutional_monitor_overloaded 0.0")
          .contains("jvm_memory_used_bytes");
    }

    @Test
    void removedTargetsLoseTheirSeries() {
      populated();
      metrics.setTargets(List.of(BLUE));
      assertThat(metrics.scrape()).doesNotContain("constitutional_hash_valid{environment=\"green\"")
          .contains("constitutional_hash_valid{environment=\"blue\"").contains("constitutional_monitor_targets 1.0");
    }

    @Test
    void resolvingSetsTheBreachGaugeToZero() {
      populated();
      Instant t = Instant.parse("2026-11-26T18:05:00Z");
      Breach b = new Breach(Breach.idFor(GREEN, "hash_mismatch", t), GREEN, "hash_mismatch", Severity.CRITICAL,
          Verdict.COMPLIANT, "x", "y", 1, 180, 1, t, t);
      metrics.recordTransition(new BreachTransition(BreachTransition.Kind.RESOLVED, b));
      assertThat(metrics.scrape()).contains(
          "constitutional_breach_active{environment=\"green\",rule=\"hash_mismatch\",service=\"integrity-service\",severity=\"critical\"} 0.0");
    }
  }

  @Nested
  class Lint {
    @Test
    void promtoolCheckMetricsReportsNothing() throws Exception {
      Assumptions.assumeTrue(Promtool.path().isPresent(), "promtool not on PATH (Debian package prometheus); .ci/run installs it");
      assertThat(Promtool.checkMetrics(populated())).isEmpty();
    }
  }

  @Nested
  class AttesterRestarts {
    @Test
    void aRestartIsCountedPerTarget() {
      populated();
      metrics.recordPoll(new PollResult(BLUE, new Verification(Verdict.COMPLIANT, "ok", true, List.of("k"), null), true,
          Duration.ofMillis(20), Instant.parse("2026-11-26T18:00:30Z"), 1, true), OptionalDouble.of(1.0));
      assertThat(metrics.scrape())
          .contains("# TYPE constitutional_attester_restarts_total counter")
          .contains("constitutional_attester_restarts_total{environment=\"blue\",service=\"integrity-service\"} 1.0")
          .doesNotContain("constitutional_attester_restarts_total{environment=\"green\"");
    }
  }
}

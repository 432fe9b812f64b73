package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.score.TargetId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code constitutional_tls_verification_relaxed}: 1 where configuration weakened TLS, 0 elsewhere, gone with the target. */
class TlsRelaxedMetricTest {
  private final MonitorMetrics metrics = new MonitorMetrics();
  private final TargetId green = new TargetId("auth-service", "green");
  private final TargetId blue = new TargetId("auth-service", "blue");

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void oneForRelaxedTargetsZeroForTheOthersAndRemovedWithTheTarget() {
    metrics.setTlsRelaxed(List.of(green, blue), Set.of(green));
    assertThat(metrics.scrape())
        .contains("constitutional_tls_verification_relaxed{environment=\"green\",service=\"auth-service\"} 1.0")
        .contains("constitutional_tls_verification_relaxed{environment=\"blue\",service=\"auth-service\"} 0.0");
    metrics.setTlsRelaxed(List.of(blue), Set.of());
    assertThat(metrics.scrape())
        .doesNotContain("constitutional_tls_verification_relaxed{environment=\"green\"")
        .contains("constitutional_tls_verification_relaxed{environment=\"blue\",service=\"auth-service\"} 0.0");
  }
}

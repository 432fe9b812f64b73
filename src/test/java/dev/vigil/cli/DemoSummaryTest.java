package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The demo's closing lines, on fixed breaches and a fixed time. */
class DemoSummaryTest {
  static final Instant OPENED = Instant.parse("2026-12-02T02:00:10Z");
  static final Instant NOW = Instant.parse("2026-12-02T02:01:00Z");
  static final TargetId AUTH = new TargetId("auth-service", "green");

  static Breach breach(String rule, Verdict v, String observed, String expected, long window) {
    return new Breach(Breach.idFor(AUTH, rule, OPENED), AUTH, rule, Severity.CRITICAL, v, observed, expected, 0.4,
        window, 3, OPENED, null);
  }

  @Nested
  class Lines {
    @Test
    void nothingOpenIsOneLineWithTheTraffic() {
      assertThat(DemoSummary.lines(List.of(), 2, "traffic of auth-service: green 0 % / blue 100 %", NOW))
          .containsExactly("demo over: 0 breach(es) open, 2 resolved; traffic of auth-service: green 0 % / blue 100 %");
    }

    @Test
    void aScoreBreachSaysItWaitsForTheWindowAndUntilWhen() {
      List<String> lines = DemoSummary.lines(List.of(breach("compliance_score", Verdict.COMPLIANT, "0.4", "0.95", 300)),
          1, "t", NOW);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(1)).startsWith("  still open: auth-service/green compliance_score since 02:00:10Z: ")
          .contains("observed 0.4 against 0.95 over a 300 s window").contains("by 02:06:00Z at the latest");
    }

    @Test
    void aVerdictBreachWaitsForTheNextCompliantPoll() {
      List<String> lines = DemoSummary.lines(List.of(breach("hash_mismatch", Verdict.HASH_MISMATCH, "deadbeef",
          "cdd01ef066bc6cf2", 300)), 0, "t", NOW);
      assertThat(lines.get(1)).contains("its last answer was hash_mismatch").contains("next compliant poll")
          .doesNotContain("window");
    }
  }
}

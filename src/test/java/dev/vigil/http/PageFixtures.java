package dev.vigil.http;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.poll.PollResult;
import dev.vigil.score.Breach;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Snapshots and histories for the status page tests, built from the monitor's own value types. */
final class PageFixtures {
  static final Instant NOW = Instant.parse("2026-12-01T02:49:29.123456789Z");

  private PageFixtures() {}

  static TargetStatus target(TargetId id, Verdict v, String detail, Double score, List<Breach> open) {
    return new TargetStatus(id, "https://" + id.service() + ":8000", "attestation", v, detail, v == Verdict.COMPLIANT,
        v != null && !v.isAvailability(), NOW.minusSeconds(1), NOW.minusSeconds(42), score, 10, open);
  }

  static Breach breach(TargetId id, String rule, Verdict v, String observed, String expected, Instant resolved) {
    Instant opened = NOW.minusSeconds(42);
    return new Breach(Breach.idFor(id, rule, opened), id, rule, Severity.CRITICAL, v, observed, expected, 0.5, 60, 1,
        opened, resolved);
  }

  static MonitorSnapshot snapshot(String monitorId, List<TargetStatus> targets, List<Breach> open, List<Breach> resolved,
      boolean partitioned, List<String> relaxed) {
    return new MonitorSnapshot(monitorId, NOW, targets, Map.of("green", 0.9), partitioned, false, null, Duration.ZERO,
        Duration.ZERO, open, resolved, relaxed);
  }

  /** {@code n} polls of {@code id}, one a second up to {@link #NOW}, with {@code v} and {@code detail}. */
  static void polls(PollHistory h, TargetId id, int n, Verdict v, String detail, List<String> signers) {
    for (int i = n - 1; i >= 0; i--) {
      Verification ver = new Verification(v, detail, !signers.isEmpty(), signers, null);
      h.record(new PollResult(id, ver, true, Duration.ofMillis(12 + i % 5), NOW.minusSeconds(i), 1), 0.9);
    }
  }
}

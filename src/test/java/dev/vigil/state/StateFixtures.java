package dev.vigil.state;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.Observation;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import dev.vigil.score.TargetMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Targets, a time and snapshots for the state tests. */
final class StateFixtures {
  static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  static final TargetId A = new TargetId("auth-service", "green");
  static final TargetId B = new TargetId("integrity-service", "green");

  private StateFixtures() {}

  /** A snapshot saved at {@code at}: one hash_mismatch observation a second earlier and its open breach. */
  static TargetSnapshot snapshot(TargetId id, Instant at) {
    Observation o = new Observation(id, at.minusSeconds(1), Verdict.HASH_MISMATCH, "", true, true, Duration.ofMillis(5),
        null, null);
    Breach b = new Breach("b-" + id.service(), id, "hash_mismatch", Severity.CRITICAL, Verdict.HASH_MISMATCH, "x", "y",
        0, 180, 1, at.minusSeconds(1), null);
    return new TargetSnapshot(id, at, 9L, new TargetMemory(List.of(new TargetMemory.Entry(o,
        TargetMemory.Attribution.TARGET)), Map.of("hash_mismatch", 1), List.of(b)));
  }

  /** A snapshot saved at {@code at} with nothing remembered but the sequence. */
  static TargetSnapshot empty(TargetId id, Instant at, long sequence) {
    return new TargetSnapshot(id, at, sequence, TargetMemory.empty());
  }
}

package dev.vigil.state;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.Observation;
import dev.vigil.score.TargetId;
import dev.vigil.score.TargetMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The durable state of one target at {@code savedAt}: what a monitor needs to continue judging it
 * after a restart, or after the target moved to another monitor of a group. Saved by a {@link
 * StateStore}, read fleet-wide through a {@link FleetState}; serialized by {@link SnapshotCodec}.
 *
 * <p>The window, the consecutive-failure counts and the open breaches (with their ids and opening
 * times) are the {@link TargetMemory} of the scorer; the last verdict and its time are the newest
 * observation of that window; {@code lastSequence} is the attestation {@code sequence} baseline of
 * the target (attestation-v1 section 5), null when none was seen. Immutable and thread-safe.
 *
 * @param savedAt when the monitor took this snapshot; older than {@code state.maxAge} at restore, its
 *     window is not trusted
 */
public record TargetSnapshot(TargetId target, Instant savedAt, Long lastSequence, TargetMemory memory) {

  public TargetSnapshot {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(savedAt, "savedAt");
    Objects.requireNonNull(memory, "memory");
    for (Breach b : memory.openBreaches()) {
      if (!b.target().equals(target)) {
        throw new IllegalArgumentException("breach " + b.breachId() + " belongs to " + b.target() + ", not " + target);
      }
    }
  }

  /** The Kafka record key and local index key: {@code service/environment}. */
  public String key() {
    return key(target);
  }

  /** The key of {@code target}: {@code service/environment}. */
  public static String key(TargetId target) {
    return target.service() + "/" + target.environment();
  }

  /** The last verdict, if the target was ever polled (within the window kept). */
  public Optional<Verdict> lastVerdict() {
    return memory.last().map(Observation::verdict);
  }

  /** When the last verdict was reached. */
  public Optional<Instant> lastVerdictAt() {
    return memory.last().map(Observation::at);
  }

  /** The breaches open at {@code savedAt}, by rule name. */
  public List<Breach> openBreaches() {
    return memory.openBreaches();
  }

  /** Consecutive failing evaluations per rule name (only counts above 0). */
  public Map<String, Integer> consecutiveFailures() {
    return memory.consecutiveFailures();
  }

  /** The compliance score over {@code scoringWindow} ending at {@code now}, as the monitor computes it. */
  public OptionalDouble score(Instant now, Duration scoringWindow) {
    return memory.score(now, scoringWindow);
  }

  /** True when this snapshot is at least {@code maxAge} old at {@code now}. */
  public boolean olderThan(Duration maxAge, Instant now) {
    return !savedAt.plus(maxAge).isAfter(now);
  }

  /** The same state without its window, counts and sequence: only the open breaches (a stale snapshot). */
  public TargetSnapshot breachesOnly() {
    return new TargetSnapshot(target, savedAt, null, new TargetMemory(List.of(), Map.of(), memory.openBreaches()));
  }
}

package dev.vigil.state;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A read-only, fleet-wide view of target state: the latest saved state of every target, whichever
 * monitor of a group saved it ({@link KafkaFleetState} tails the compacted topic
 * {@code constitutional.monitor-state}), kept as a compact {@link Entry} (a few hundred bytes, not
 * the window) so that every instance can hold the whole fleet. For the fleet score and the status
 * page of a group; never writes. Thread-safe: read from any thread.
 */
public interface FleetState extends AutoCloseable {

  /**
   * One target as it was last saved.
   *
   * @param savedBy the {@code monitorId} that saved it (the record's {@value KafkaStateStore#SAVED_BY}
   *     header), null when the record names none
   * @param verdict the last verdict, null when the window held no poll
   * @param score the compliance score over the scoring window as of {@code savedAt}, null when none
   */
  record Entry(TargetId target, Instant savedAt, String savedBy, Verdict verdict, Instant verdictAt, Double score,
      List<Breach> openBreaches) {
    public Entry {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(savedAt, "savedAt");
      openBreaches = List.copyOf(openBreaches);
    }

    /** The summary of {@code s}, saved by {@code savedBy}, scored over {@code scoringWindow} as of its saving. */
    public static Entry of(TargetSnapshot s, String savedBy, Duration scoringWindow) {
      var score = s.score(s.savedAt(), scoringWindow);
      return new Entry(s.target(), s.savedAt(), savedBy, s.lastVerdict().orElse(null), s.lastVerdictAt().orElse(null),
          score.isPresent() ? score.getAsDouble() : null, s.openBreaches());
    }
  }

  /** The latest entry of every target, by target (sorted); a dropped target is absent. Never blocks. */
  Map<TargetId, Entry> latest();

  /** True once the view has read the topic up to its end as of when it opened. */
  boolean caughtUp();

  @Override
  void close();
}

package dev.vigil.state;

import dev.vigil.score.TargetId;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where target snapshots are kept between runs: a local record log in {@code state.dir}
 * ({@link LocalStateStore}, source {@code local}) or the compacted Kafka topic
 * {@code constitutional.monitor-state} ({@link KafkaStateStore}, source {@code kafka}), one latest
 * snapshot per target key {@code service/environment}.
 *
 * <p>Every method blocks (file or network I/O): call it on a worker, never on an event loop. A
 * failure is an {@link IOException} naming the file or topic; a record in a format this version
 * cannot read is a {@link StateFormatException} (refused, never guessed). Implementations are
 * thread-safe.
 */
public interface StateStore extends AutoCloseable {

  /** {@code local} or {@code kafka}: the {@code source} label of {@code constitutional_monitor_state_restored_total}. */
  String source();

  /** The latest snapshot of every target {@code which} accepts that has one (not dropped), by target. */
  Map<TargetId, TargetSnapshot> load(Predicate<TargetId> which) throws IOException;

  /** As {@link #load(Predicate)} for the given targets. */
  default Map<TargetId, TargetSnapshot> load(Collection<TargetId> targets) throws IOException {
    java.util.Set<TargetId> wanted = java.util.Set.copyOf(targets);
    return load(wanted::contains);
  }

  /**
   * Saves {@code snapshots}, each replacing its target's previous one; durable when it returns
   * (forced to disk, or acknowledged by every in-sync replica).
   */
  void save(Collection<TargetSnapshot> snapshots) throws IOException;

  /** Forgets {@code targets} (a tombstone each): a later load finds nothing for them. Durable when it returns. */
  void drop(Collection<TargetId> targets) throws IOException;

  @Override
  void close() throws IOException;
}

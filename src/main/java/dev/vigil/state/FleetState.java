package dev.vigil.state;

import dev.vigil.score.TargetId;
import java.util.Map;

/**
 * A read-only, fleet-wide view of target state: the latest snapshot of every target, whichever
 * monitor of a group saved it ({@link KafkaFleetState} tails the compacted topic
 * {@code constitutional.monitor-state}). For the fleet score and the status page of a group; never
 * writes. Thread-safe: read from any thread.
 */
public interface FleetState extends AutoCloseable {

  /** The latest snapshot of every target, by target (sorted); a dropped target is absent. Never blocks. */
  Map<TargetId, TargetSnapshot> latest();

  /** True once the view has read the topic up to its end as of when it opened. */
  boolean caughtUp();

  @Override
  void close();
}

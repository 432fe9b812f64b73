package dev.vigil.group;

import java.util.Set;

/**
 * What a {@link GroupMember} hands its shards to (the monitor, through {@link MonitorShards}). Each
 * call returns once the handover is done: assigned shards restored and polled, revoked ones saved
 * and stopped, so that Kafka gives a revoked shard to another member only after its state is
 * durable. Called from the member's consumer thread, one call at a time.
 */
public interface ShardOwner {
  /** Restores the targets of {@code added} from the durable state, then polls them. */
  void assigned(Set<Integer> added);

  /** Saves the state of the targets of {@code revoked}, then stops polling them. */
  void revoked(Set<Integer> revoked);

  /** Stops polling every target without saving (another member may own them already). */
  void lost();
}

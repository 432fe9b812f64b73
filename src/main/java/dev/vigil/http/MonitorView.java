package dev.vigil.http;

import io.vertx.core.Future;
import java.util.List;

/**
 * The monitor as its HTTP server sees it, from any thread: snapshots (targets, breaches, fleet
 * scores) taken on the monitor's context and handed back to the caller's, readiness and a few
 * volatile figures read without a hop, and the reload operation. Defined here so that {@code http}
 * does not depend on {@code monitor}, which implements it. Implementations are thread-safe.
 */
public interface MonitorView {
  /** A snapshot taken on the monitor's context; completes on the caller's context. */
  Future<MonitorSnapshot> snapshot();

  /**
   * Moves whenever what a snapshot shows changes in a way a reader must not miss (a breach opened
   * or resolved, a verdict changed, partition or overload, a reload): a cached rendering with an
   * older version is stale.
   */
  long version();

  /** True once every target has finished at least one poll. */
  boolean ready();

  /** Targets polled under the running configuration. */
  int targetCount();

  /** The targets' recent polls and trusted keys, for the status pages. */
  default PollHistory history() {
    return new PollHistory();
  }

  /** The evidence log the section-4 endpoints read, or null when the monitor keeps none. */
  default EvidenceApi evidence() {
    return null;
  }

  /**
   * A group member's view of its group (its shards, the whole fleet from the state topic); null when
   * this monitor is not a group member. Cheap enough for each rendering; from any thread.
   */
  default GroupView group() {
    return null;
  }

  /**
   * What the monitor knows of the rollback controller's rollbacks, rollouts and traffic weights
   * (from its signed events); by default nothing.
   */
  default TrafficView traffic() {
    return TrafficView.none();
  }

  /** Re-reads and applies the configuration; completes on the caller's context with the errors that refused it. */
  Future<List<String>> reload();
}

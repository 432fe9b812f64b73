package dev.vigil.rollback;

import io.vertx.core.Future;

/**
 * Moves one service's traffic from green to blue. Implementations are idempotent: moving a service
 * that already sends everything to blue writes nothing and reports {@code changed = false}, so a
 * controller that crashed between moving and recording it does not move twice.
 *
 * <p>Non-blocking for Vert.x callers: implementations built on blocking clients run them on a
 * worker pool. Implementations are thread-safe. A failed future means traffic could not be moved
 * (status {@code failed}).
 */
public interface Actuator {
  /** Sends all of {@code service}'s traffic to blue. */
  Future<ActuationResult> moveToBlue(String service, String breachId);

  /**
   * Sets {@code service}'s weights to {@code target} (a rollout's step, dev.vigil.rollout).
   * Idempotent: weights already in effect are not written ({@code changed = false}). An actuator
   * that can only switch all traffic at once fails the future for a split.
   */
  default Future<ActuationResult> setWeights(String service, Weights target) {
    return Future.failedFuture(new UnsupportedOperationException("the " + type() + " actuator cannot set weights"
        + " (green " + target.green() + "/blue " + target.blue() + "): use the istio or simulator actuator for rollouts"));
  }

  /** The weights now in effect for {@code service}. */
  Future<Weights> weights(String service);

  /** A short name for logs and details, e.g. {@code istio}. */
  String type();
}

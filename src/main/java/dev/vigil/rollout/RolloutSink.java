package dev.vigil.rollout;

import io.vertx.core.Future;

/**
 * Where a rollout's events go: {@link KafkaRolloutSink} signs {@code rollout.step} /
 * {@code rollout.finished} and sends them with {@code acks=all}. The future completes once the
 * event is durably acknowledged; the runtime records the rollout's new state only after that, so
 * after a crash the same event (same id) is sent again rather than lost. Safe from any context.
 */
@FunctionalInterface
public interface RolloutSink {
  /** Publishes {@code r}'s next event; {@code at} is a step's time (a finished rollout's is its finishedAt). */
  Future<Void> publish(Rollout r, java.time.Instant at);
}

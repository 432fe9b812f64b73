package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished;
import io.vertx.core.Future;

/**
 * Where finished rollbacks go: the Kafka producer of {@code rollback.finished} implements it. The
 * future completes once the outcome is durably acknowledged (for Kafka: {@code acks=all}); the
 * engine reports a rollback done, and the consumer may commit its offset, only after that.
 * Implementations must be safe to call from any Vert.x context.
 */
@FunctionalInterface
public interface OutcomeSink {
  Future<Void> publish(RollbackFinished outcome);
}

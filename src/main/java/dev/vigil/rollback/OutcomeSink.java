package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Where finished rollbacks go: the Kafka producer of {@code rollback.finished} implements it. The
 * future completes once the outcome is durably acknowledged (for Kafka: {@code acks=all}); the
 * engine reports a rollback done, and the consumer may commit its offset, only after that.
 * Implementations must be safe to call from any Vert.x context.
 */
@FunctionalInterface
public interface OutcomeSink {
  Future<Void> publish(RollbackFinished outcome);

  /**
   * Publishes {@code outcomes} in order, as a batch where the sink can (one flush for all);
   * completes when each is acknowledged or failed, with one entry per outcome: null when
   * acknowledged, else why not. This default publishes them one by one, side by side.
   */
  default Future<List<Throwable>> publishAll(List<RollbackFinished> outcomes) {
    List<Future<Void>> sent = new ArrayList<>(outcomes.size());
    for (RollbackFinished o : outcomes) {
      Future<Void> f;
      try {
        f = publish(o);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      sent.add(f);
    }
    return Future.join(sent).transform(ignored -> {
      List<Throwable> results = new ArrayList<>(sent.size());
      for (Future<Void> f : sent) {
        results.add(f.failed() ? f.cause() : null);
      }
      return Future.succeededFuture(results);
    });
  }
}

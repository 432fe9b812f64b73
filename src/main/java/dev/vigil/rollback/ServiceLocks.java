package dev.vigil.rollback;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One lock per service over its weights, shared by the rollback engine and the rollouts
 * (dev.vigil.rollout): a rollback and a rollout never write one service's weights at the same time.
 * Work on one service runs in arrival order, each piece after the previous one's future completed
 * (successfully or not); work on different services does not wait. Non-blocking; thread-safe.
 */
public final class ServiceLocks {
  private final Map<String, Future<?>> tails = new HashMap<>();

  /** Runs {@code work} once every earlier work on {@code service} finished; completes as its future does. */
  public <T> Future<T> run(String service, Supplier<Future<T>> work) {
    Future<T> mine;
    synchronized (this) {
      Future<?> before = tails.getOrDefault(service, Future.succeededFuture());
      mine = before.transform(ignored -> {
        try {
          return work.get();
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      tails.put(service, mine);
    }
    mine.onComplete(ignored -> {
      synchronized (this) {
        tails.remove(service, mine);
      }
    });
    return mine;
  }
}

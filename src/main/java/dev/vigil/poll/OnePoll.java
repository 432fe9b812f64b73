package dev.vigil.poll;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One poll of one target outside a monitor ({@code vigil verify --url}): the monitor's own
 * {@link Poller} and {@link HttpProbe} on a private Vert.x instance, so the verdict and its detail
 * are the ones the monitor would record for the same target. Blocks the calling thread (never an
 * event loop) until the poll ends. Thread-safe: each call has its own Vert.x.
 */
public final class OnePoll {
  private OnePoll() {}

  /** Polls {@code target} once (with its retries), sending the nonces {@code nonces} gives. */
  public static PollResult run(PollTarget target, Clock clock, Supplier<String> nonces) throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      WorkerExecutor pool = vertx.createSharedWorkerExecutor("vigil-verify", 1);
      HttpProbe probe = new HttpProbe(vertx, 1);
      Poller poller = new Poller(vertx, probe, pool, clock, nonces);
      Context ctx = vertx.getOrCreateContext();
      Promise<PollResult> done = Promise.promise();
      ctx.runOnContext(v -> poller.poll(target).onComplete(done));
      long attempts = target.config().retries() + 1L;
      long maxMs = attempts * (target.config().timeout().toMillis() + target.retryBackoff().toMillis() * 1024) + 30_000;
      return done.future().toCompletionStage().toCompletableFuture().get(maxMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the poll did not finish: " + e, e);
    } finally {
      CompletableFuture<Void> closed = vertx.close().toCompletionStage().toCompletableFuture();
      try {
        closed.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException ignored) {
        // the verdict is known; a slow shutdown does not change it
      }
    }
  }
}

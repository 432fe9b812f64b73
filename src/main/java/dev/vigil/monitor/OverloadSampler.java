package dev.vigil.monitor;

import dev.vigil.monitor.OverloadTracker.Channel;
import io.vertx.core.Context;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Measures, from a thread of its own, how late the polling event loop runs a task and how long a
 * task waits for a verification worker: every {@code interval} it submits a no-op probe to each
 * (one at a time per channel) and reports to the {@link OverloadTracker} when the probe runs, or
 * how long it has waited so far while it has not. Measuring from outside means a stalled loop is
 * seen while it is stalled. Changes of the overloaded state go to {@code onChange} on the polling
 * context. Thread-safe.
 */
final class OverloadSampler implements AutoCloseable {
  private final OverloadTracker tracker;
  private final Context loop;
  private final WorkerExecutor workers;
  private final Consumer<Boolean> onChange;
  private final ScheduledExecutorService timer;
  private volatile long loopSubmitted = -1;
  private volatile long queueSubmitted = -1;

  OverloadSampler(OverloadTracker tracker, Context loop, WorkerExecutor workers, Duration interval,
      Consumer<Boolean> onChange) {
    this.tracker = tracker;
    this.loop = loop;
    this.workers = workers;
    this.onChange = onChange;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-overload-sampler");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, interval.toMillis());
    timer.scheduleAtFixedRate(this::sample, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    long now = System.nanoTime();
    long l = loopSubmitted;
    if (l >= 0) {
      report(Channel.EVENT_LOOP, l, now);
    } else {
      loopSubmitted = now;
      tracker.submitted(Channel.EVENT_LOOP, now);
      loop.runOnContext(v -> {
        long s = loopSubmitted;
        loopSubmitted = -1;
        ran(Channel.EVENT_LOOP, s, System.nanoTime());
      });
    }
    long q = queueSubmitted;
    if (q >= 0) {
      report(Channel.WORKER_QUEUE, q, now);
    } else {
      queueSubmitted = now;
      tracker.submitted(Channel.WORKER_QUEUE, now);
      workers.executeBlocking(() -> {
        long s = queueSubmitted;
        queueSubmitted = -1;
        ran(Channel.WORKER_QUEUE, s, System.nanoTime());
        return null;
      }, false);
    }
  }

  private void ran(Channel channel, long submitted, long now) {
    if (tracker.ran(channel, submitted, now)) {
      loop.runOnContext(v -> onChange.accept(tracker.overloaded()));
    }
  }

  private void report(Channel channel, long submitted, long now) {
    if (tracker.measure(channel, submitted, now)) {
      loop.runOnContext(v -> onChange.accept(tracker.overloaded()));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

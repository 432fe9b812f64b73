package dev.vigil.poll;

import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs each target's poll at its interval. First start times are spread over
 * {@code jitter × interval} so a large fleet never fires at once; at most {@code concurrency}
 * polls run at a time (the rest wait in FIFO order); a target's next poll is due one interval after
 * its previous due time, never overlapping its own previous poll. Reports each poll's lag (start
 * minus due time) to a listener.
 *
 * <p>Confined to one Vert.x context: every method must be called on it.
 */
public final class Scheduler {
  private final Vertx vertx;
  private final int concurrency;
  private final double jitter;
  private final Random random;
  private final Consumer<Duration> lagListener;
  private final Map<TargetId, Entry> entries = new HashMap<>();
  private final ArrayDeque<Entry> ready = new ArrayDeque<>();
  private int inFlight;
  private boolean stopped;

  private static final class Entry {
    final TargetId id;
    Duration interval;
    Supplier<Future<?>> task;
    long dueNanos;
    long timerId = -1;
    boolean removed;
    boolean running;

    Entry(TargetId id) {
      this.id = id;
    }
  }

  public Scheduler(Vertx vertx, int concurrency, double jitter, Random random, Consumer<Duration> lagListener) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.vertx = vertx;
    this.concurrency = concurrency;
    this.jitter = jitter;
    this.random = random;
    this.lagListener = lagListener;
  }

  /** Starts (or re-plans) polling of {@code id}; the first run is within jitter × interval. */
  public void schedule(TargetId id, Duration interval, Supplier<Future<?>> task) {
    Entry e = entries.get(id);
    if (e != null) {
      e.interval = interval;
      e.task = task;
      return;
    }
    e = new Entry(id);
    e.interval = interval;
    e.task = task;
    entries.put(id, e);
    long offset = (long) (random.nextDouble() * jitter * interval.toNanos());
    e.dueNanos = System.nanoTime() + offset;
    arm(e);
  }

  /** Stops polling {@code id}; a poll already running finishes but is not rescheduled. */
  public void unschedule(TargetId id) {
    Entry e = entries.remove(id);
    if (e != null) {
      e.removed = true;
      if (e.timerId >= 0) {
        vertx.cancelTimer(e.timerId);
      }
      ready.remove(e);
    }
  }

  public void stop() {
    stopped = true;
    for (TargetId id : entries.keySet().toArray(new TargetId[0])) {
      unschedule(id);
    }
  }

  /** Polls currently running. */
  public int inFlight() {
    return inFlight;
  }

  /** Polls due but waiting for a free slot. */
  public int queued() {
    return ready.size();
  }

  private void arm(Entry e) {
    long delayMs = Math.max(1, (e.dueNanos - System.nanoTime()) / 1_000_000);
    e.timerId = vertx.setTimer(delayMs, t -> {
      e.timerId = -1;
      if (!e.removed && !stopped) {
        ready.add(e);
        dispatch();
      }
    });
  }

  private void dispatch() {
    while (inFlight < concurrency && !ready.isEmpty()) {
      Entry e = ready.poll();
      if (e.removed || e.running) {
        continue;
      }
      long now = System.nanoTime();
      lagListener.accept(Duration.ofNanos(Math.max(0, now - e.dueNanos)));
      inFlight++;
      e.running = true;
      Future<?> f;
      try {
        f = e.task.get();
      } catch (RuntimeException ex) {
        f = Future.failedFuture(ex);
      }
      f.onComplete(r -> {
        inFlight--;
        e.running = false;
        if (!e.removed && !stopped) {
          long next = e.dueNanos + e.interval.toNanos();
          long at = System.nanoTime();
          if (next < at) {
            long missed = (at - next) / e.interval.toNanos() + 1;
            next += missed * e.interval.toNanos();
          }
          e.dueNanos = next;
          arm(e);
        }
        dispatch();
      });
    }
  }
}

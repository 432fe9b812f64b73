package dev.vigil.poll;

import dev.vigil.attest.Verdict;
import dev.vigil.score.TargetId;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs each target's poll at its interval, as planned by a {@link PollPlan}: first start times
 * spread over {@code jitter × interval}, at most {@code concurrency} polls at a time, a target's
 * next poll one interval after its previous due time and never overlapping its own previous poll,
 * and targets whose last poll timed out or found them unreachable held to a smaller share of the
 * budget so they never delay the others. The lane comes from the task's result when it is a
 * {@link PollResult}. Reports the lag (start minus due time) of every poll that is not from a
 * silent target to a listener: a silent target waits for its budget by design, not because the
 * monitor is starved.
 *
 * <p>Confined to one Vert.x context: every method must be called on it.
 */
public final class Scheduler {
  private final Vertx vertx;
  private final PollPlan plan;
  private final Consumer<Duration> lagListener;
  private final Map<TargetId, Task> tasks = new HashMap<>();
  private boolean stopped;

  private static final class Task {
    Supplier<Future<?>> run;
    long timerId = -1;
  }

  public Scheduler(Vertx vertx, int concurrency, double jitter, Random random, Consumer<Duration> lagListener) {
    this.vertx = vertx;
    this.plan = new PollPlan(concurrency, jitter, random::nextDouble);
    this.lagListener = lagListener;
  }

  /** Starts (or re-plans) polling of {@code id}; the first run is within jitter × interval. Nothing once stopped. */
  public void schedule(TargetId id, Duration interval, Supplier<Future<?>> task) {
    if (stopped) {
      return;
    }
    Task t = tasks.computeIfAbsent(id, k -> new Task());
    t.run = task;
    long due = plan.add(id, interval, System.nanoTime());
    if (due >= 0) {
      arm(id, t, due);
    }
  }

  /** Stops polling {@code id}; a poll already running finishes but is not rescheduled. */
  public void unschedule(TargetId id) {
    Task t = tasks.remove(id);
    if (t != null && t.timerId >= 0) {
      vertx.cancelTimer(t.timerId);
    }
    plan.remove(id);
  }

  /** Stops every target's polling for good: no poll starts after this, those running finish unrescheduled. */
  public void stop() {
    stopped = true;
    for (TargetId id : tasks.keySet().toArray(new TargetId[0])) {
      unschedule(id);
    }
  }

  /** Polls currently running. */
  public int inFlight() {
    return plan.inFlight();
  }

  /** Polls due but waiting for a free slot. */
  public int queued() {
    return plan.queued();
  }

  private void arm(TargetId id, Task t, long due) {
    long delayMs = Math.max(1, (due - System.nanoTime()) / 1_000_000);
    t.timerId = vertx.setTimer(delayMs, timer -> {
      t.timerId = -1;
      if (!stopped && tasks.get(id) == t) {
        plan.due(id);
        dispatch();
      }
    });
  }

  private void dispatch() {
    if (stopped) {
      return;
    }
    for (PollPlan.Start s : plan.startable(System.nanoTime())) {
      if (s.lane() != PollPlan.Lane.SILENT) {
        lagListener.accept(s.lag());
      }
      Task t = tasks.get(s.id());
      Future<?> f;
      try {
        f = t.run.get();
      } catch (RuntimeException ex) {
        f = Future.failedFuture(ex);
      }
      f.onComplete(r -> {
        long next = plan.finished(s, silent(r), System.nanoTime());
        Task now = tasks.get(s.id());
        if (next >= 0 && !stopped && now != null) {
          arm(s.id(), now, next);
        }
        dispatch();
      });
    }
  }

  private static Boolean silent(AsyncResult<?> r) {
    if (r.succeeded() && r.result() instanceof PollResult p) {
      Verdict v = p.verification().verdict();
      return !p.responded() && (v == Verdict.TIMEOUT || v == Verdict.UNREACHABLE);
    }
    return null;
  }
}

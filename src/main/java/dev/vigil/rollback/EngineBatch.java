package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One batch of verified breach events for the {@link RollbackEngine}, decided in order: what is
 * skipped at once (duplicates, stale events, guarded skips) waits in a group whose outcomes are
 * published together ({@link OutcomeSink#publishAll}, one producer flush) and then recorded
 * FINISHED with one write to disk (one fsync); a rollback (or a resumed one) first settles the
 * group, then runs on its own as {@link RollbackEngine#handle} would. So an event's offset is
 * still reported finished only once its outcome is acknowledged and recorded, but a burst of
 * skips pays one Kafka round trip and one fsync per batch instead of one per event.
 *
 * <p>Skips decided but not yet on disk are remembered here, so a later event of the same batch
 * (a redelivery of the same event, or another event of the same breach) is a duplicate as it
 * would be once they are. If the group fails (the sink or the disk), the batch stops at its first
 * event not finished; the rest is delivered again, and a skip published but not recorded may be
 * published again (at least once, as before). Confined to the engine's context; one use.
 */
final class EngineBatch {
  /** A verified {@code breach.opened} and where a later {@code breach.resolved} of its breach is (or null). */
  record Item(BreachEvent event, String resolvedBy) {}

  /** A skip waiting in the group: the item's index, its outcome, whether to record it. */
  private record Skip(int index, BreachEvent event, Instant received, RollbackFinished finished, boolean record) {}

  private final RollbackEngine engine;
  private final Vertx vertx;
  private final DedupStore store;
  private final OutcomeSink sink;
  private final RollbackMetrics metrics;
  private final List<Item> items;
  private final Map<String, DedupStore.Entry> byEvent = new HashMap<>();
  private final Map<String, DedupStore.Entry> byBreach = new HashMap<>();
  private final List<Skip> group = new ArrayList<>();
  private final Promise<BatchHandler.Handled> result = Promise.promise();

  /** {@code items}: null entries are records with nothing to do (finished already). */
  EngineBatch(RollbackEngine engine, Vertx vertx, DedupStore store, OutcomeSink sink, RollbackMetrics metrics,
      List<Item> items) {
    this.engine = engine;
    this.vertx = vertx;
    this.store = store;
    this.sink = sink;
    this.metrics = metrics;
    this.items = items;
  }

  Future<BatchHandler.Handled> run() {
    from(0);
    return result.future();
  }

  private void from(int start) {
    for (int i = start; i < items.size(); i++) {
      Item it = items.get(i);
      if (it == null) {
        continue;
      }
      BreachEvent e = it.event();
      RollbackEngine.Step step;
      Instant received = engine.now();
      try {
        engine.seen(e, it.resolvedBy());
        step = engine.decide(e, it.resolvedBy(), received, find(e));
      } catch (RuntimeException ex) {
        stopAt(i, ex);
        return;
      }
      if (step.skip() != null) {
        RollbackFinished f = step.skip().finished();
        group.add(new Skip(i, e, received, f, step.record()));
        if (step.record()) {
          DedupStore.Entry en = entry(e, f);
          byEvent.put(e.eventId(), en);
          byBreach.put(e.breachId(), en);
        }
        continue;
      }
      int at = i;
      settle().onComplete(ar -> {
        if (ar.failed() || ar.result() != null) {
          result.complete(ar.failed() ? new BatchHandler.Handled(at, ar.cause()) : ar.result());
          return;
        }
        Future<RollbackOutcome> rollback;
        try {
          rollback = step.rollback().get();
        } catch (RuntimeException ex) {
          rollback = Future.failedFuture(ex);
        }
        rollback.onComplete(o -> {
          if (o.failed()) {
            result.complete(new BatchHandler.Handled(at, o.cause()));
          } else {
            from(at + 1);
          }
        });
      });
      return;
    }
    settle().onComplete(ar -> result.complete(ar.failed() ? new BatchHandler.Handled(first(), ar.cause())
        : ar.result() != null ? ar.result() : BatchHandler.Handled.all(items.size())));
  }

  /** Settles the group, then reports the batch finished before {@code index}, which failed with {@code failure}. */
  private void stopAt(int index, Throwable failure) {
    settle().onComplete(ar -> result.complete(ar.failed() ? new BatchHandler.Handled(first(), ar.cause())
        : ar.result() != null ? ar.result() : new BatchHandler.Handled(index, failure)));
  }

  private int first() {
    return group.isEmpty() ? items.size() : group.get(0).index();
  }

  /** The progress of {@code e}: the store's, unless a skip of this batch not yet on disk goes further. */
  private Optional<DedupStore.Entry> find(BreachEvent e) {
    DedupStore.Entry own = byEvent.get(e.eventId());
    if (own != null) {
      return Optional.of(own);
    }
    Optional<DedupStore.Entry> stored = store.find(e.eventId(), e.breachId());
    if (stored.isPresent() && stored.get().state() == DedupStore.State.FINISHED) {
      return stored;
    }
    DedupStore.Entry breach = byBreach.get(e.breachId());
    return breach != null ? Optional.of(breach) : stored;
  }

  /**
   * Publishes the group's outcomes together, then records the published ones that are recorded
   * with one write; null when all of it succeeded, else how far the batch got.
   */
  private Future<BatchHandler.Handled> settle() {
    if (group.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Skip> skips = List.copyOf(group);
    List<RollbackFinished> outcomes = new ArrayList<>(skips.size());
    for (Skip s : skips) {
      outcomes.add(s.finished());
    }
    Future<List<Throwable>> published;
    try {
      published = sink.publishAll(outcomes);
    } catch (RuntimeException ex) {
      published = Future.failedFuture(ex);
    }
    return published.transform(p -> {
      if (p.failed()) {
        return Future.succeededFuture(new BatchHandler.Handled(skips.get(0).index(), p.cause()));
      }
      List<Throwable> failures = p.result();
      int ok = 0;
      while (ok < skips.size() && ok < failures.size() && failures.get(ok) == null) {
        ok++;
      }
      List<Skip> done = skips.subList(0, ok);
      List<DedupStore.Entry> entries = new ArrayList<>();
      for (Skip s : done) {
        if (s.record()) {
          entries.add(entry(s.event(), s.finished()));
        }
      }
      Future<Void> written = entries.isEmpty() ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        store.finished(entries);
        return null;
      }, false);
      int stoppedAt = ok;
      return written.transform(w -> {
        if (w.failed()) {
          return Future.succeededFuture(new BatchHandler.Handled(skips.get(0).index(), w.cause()));
        }
        group.clear();
        Instant now = engine.now();
        for (Skip s : done) {
          metrics.finished(s.finished(), Duration.between(s.received(), now));
          RollbackLog.finished(s.event(), s.finished(), !s.record());
        }
        if (stoppedAt < skips.size()) {
          Throwable why = stoppedAt < failures.size() ? failures.get(stoppedAt)
              : new IllegalStateException("the sink answered " + failures.size() + " of " + skips.size() + " outcomes");
          return Future.succeededFuture(new BatchHandler.Handled(skips.get(stoppedAt).index(), why));
        }
        return Future.succeededFuture();
      });
    });
  }

  private static DedupStore.Entry entry(BreachEvent e, RollbackFinished f) {
    return new DedupStore.Entry(e.eventId(), e.breachId(), e.service(), DedupStore.State.FINISHED, f.startedAt(),
        f.finishedAt(), f.status().label());
  }
}

package dev.vigil.rollback;

import dev.vigil.config.Durations;
import dev.vigil.config.RollbackConfig;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.RollbackFinished.Status;
import dev.vigil.rollback.RollbackOutcome.Traffic;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one verified breach-opened event to its end: de-duplication → stale and guards → actuate
 * (reading the weights first when the store lost records) → record
 * MOVED → validate blue → publish the outcome ({@link OutcomeSink}) → record FINISHED → done.
 *
 * <p>The future of {@link #handle} completes only after the sink acknowledged the outcome and the
 * store recorded it, so a Kafka consumer commits the event's offset when (and only when) it
 * completes. It fails only when the sink or the store failed: the consumer must then not commit,
 * and the redelivered event resumes where it stopped (a MOVED event is validated and reported,
 * never moved again).
 *
 * <p>The whole rollback (actuation and validation) is bounded by the execution timeout, a deadline
 * on the injected clock (a Vert.x timer only wakes the engine up to look at it); when it passes
 * the outcome is {@code failed} (nothing moved yet) or {@code validation_failed} (moved). A switch
 * that failed outright ({@link Traffic#NOT_MOVED}) gives its guard reservation back (no cooldown,
 * no blast-radius count); one that timed out ({@link Traffic#UNKNOWN}) keeps it, since the
 * actuator may still complete.
 *
 * <p>Confined to one Vert.x context: call {@link #handle} and {@link #rejected} from it (the
 * consumer's). Events of one service arrive in order from their partition; the guards are
 * thread-safe, the store is used on worker threads.
 */
public final class RollbackEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RollbackEngine.class);
  private static final String NOT_MOVED = "traffic could not be moved: ";
  /** How often a running rollback looks at its deadline at the latest. */
  private static final Duration WAKE_UP = Duration.ofMillis(100);

  private final Vertx vertx;
  private final RollbackConfig config;
  private final Guards guards;
  private final DedupStore store;
  private final Function<String, Actuator> actuators;
  private final BlueValidation validation;
  private final OutcomeSink sink;
  private final RollbackMetrics metrics;
  private final Clock clock;
  private final LongSupplier corruptRecords;
  private ServiceLocks locks = new ServiceLocks();
  private java.util.function.Consumer<BreachEvent> breaches = e -> { };

  public RollbackEngine(Vertx vertx, RollbackConfig config, Guards guards, DedupStore store,
      Function<String, Actuator> actuators, BlueValidation validation, OutcomeSink sink, RollbackMetrics metrics,
      Clock clock) {
    this(vertx, config, guards, store, actuators, validation, sink, metrics, clock, store::corruptRecords);
  }

  /** As the public constructor; {@code corruptRecords} stands for {@code store.corruptRecords()} (tests). */
  RollbackEngine(Vertx vertx, RollbackConfig config, Guards guards, DedupStore store,
      Function<String, Actuator> actuators, BlueValidation validation, OutcomeSink sink, RollbackMetrics metrics,
      Clock clock, LongSupplier corruptRecords) {
    this.corruptRecords = corruptRecords;
    this.vertx = vertx;
    this.config = config;
    this.guards = guards;
    this.store = store;
    this.actuators = actuators;
    this.validation = validation;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Counts rollbacks the store remembers (moved, not skipped) into the guards, so cooldown and
   * blast radius hold across a restart. Call once after construction.
   */
  public void restoreGuards() {
    for (DedupStore.Entry e : store.entries()) {
      if (e.state() == DedupStore.State.MOVED || e.state() == DedupStore.State.FINISHED
          && !Status.SKIPPED.label().equals(e.status()) && !Status.FAILED.label().equals(e.status())) {
        guards.record(e.service(), e.startedAt());
      }
    }
  }

  /**
   * Shares the per-service weight lock with the rollouts, and tells them of every verified breach
   * (before it is decided here), so a breach of a service under rollout aborts the rollout. Call
   * once, before the first event.
   */
  public void share(ServiceLocks locks, java.util.function.Consumer<BreachEvent> breaches) {
    this.locks = locks;
    this.breaches = breaches;
  }

  /**
   * An event the consumer did not pass to {@link #handle}: {@code untrusted_event} or {@code malformed}.
   * Only counted: an event that failed verification is never answered with a signed event (events-v1).
   */
  public void rejected(String reason) {
    metrics.rejected(reason);
  }

  /**
   * Handles {@code e}, already parsed and signature-verified. Completes with the outcome once it is
   * acknowledged by the sink and recorded; fails when either failed (do not commit the offset).
   */
  public Future<RollbackOutcome> handle(BreachEvent e) {
    return handle(e, null);
  }

  /**
   * As {@link #handle(BreachEvent)}; {@code resolvedBy} non-null says where a verified
   * {@code breach.resolved} of the same breach was seen later in the same fetched batch: the event
   * is then skipped as {@code stale_event} (unless the store says traffic was already moved for it).
   */
  public Future<RollbackOutcome> handle(BreachEvent e, String resolvedBy) {
    Instant received = now();
    seen(e, resolvedBy);
    return vertx.executeBlocking(() -> store.find(e.eventId(), e.breachId()), false).compose(found -> {
      Step s = decide(e, resolvedBy, received, found);
      return s.skip() != null ? report(e, received, s.skip(), s.record()) : s.rollback().get();
    });
  }

  /**
   * Handles verified events in order as one batch (null items: records with nothing to do): skips
   * are published together and recorded with one write to disk, a rollback runs on its own.
   * See {@link EngineBatch}.
   */
  Future<BatchHandler.Handled> handleAll(List<EngineBatch.Item> items) {
    return new EngineBatch(this, vertx, store, sink, metrics, items).run();
  }

  /**
   * What to do with an event: a skip decided at once ({@code skip}, to publish, then to record
   * FINISHED when {@code record}), or a rollback to run ({@code rollback}, which reports itself).
   */
  record Step(RollbackOutcome skip, boolean record, Supplier<Future<RollbackOutcome>> rollback) {}

  /** Tells the rollouts of a verified breach not already resolved (before it is decided here). */
  void seen(BreachEvent e, String resolvedBy) {
    if (resolvedBy == null) {
      breaches.accept(e);
    }
  }

  /** Decides {@code e}, whose progress in the store is {@code found}: at once for a skip, else the rollback to run. */
  Step decide(BreachEvent e, String resolvedBy, Instant received, Optional<DedupStore.Entry> found) {
    if (found.isPresent() && found.get().state() == DedupStore.State.FINISHED) {
      metrics.rejected(SkipReason.DUPLICATE.label());
      DedupStore.Entry f = found.get();
      String why = f.eventId().equals(e.eventId()) ? "event " + e.eventId() : "breach " + e.breachId();
      return new Step(skipped(e, received, SkipReason.DUPLICATE.detail(why
          + " already handled (" + f.status() + " at " + f.at() + ")")), false, null);
    }
    if (found.isPresent()) {
      LOG.info("resuming rollback of {} for event {}: traffic was moved at {}, validating {} without moving again",
          e.service(), e.eventId(), found.get().at(), config.to());
      Instant startedAt = found.get().startedAt();
      return new Step(null, false, () -> bounded(e, received, startedAt, true));
    }
    if (resolvedBy != null) {
      String detail = SkipReason.STALE_EVENT.detail("breach " + e.breachId() + " was already resolved by a later"
          + " event in the same batch (" + resolvedBy + ")");
      return new Step(skipped(e, received, detail), true, null);
    }
    Decision d = guards.decide(e, received);
    if (!d.acts()) {
      return new Step(skipped(e, received, d.detail()), true, null);
    }
    if (guards.critical(e.service())) {
      LOG.warn("rolling back critical service {} ({}); dependants that may be affected: {}", e.service(),
          e.breachId(), d.dependants().isEmpty() ? "none configured" : String.join(", ", d.dependants()));
    }
    return new Step(null, false, () -> bounded(e, received, received, false).map(o -> {
      if (o.traffic() == Traffic.NOT_MOVED) {
        guards.release(e.service(), received);
      }
      return o;
    }));
  }

  /** Actuation (unless resumed) and validation under the execution timeout, then the report. */
  private Future<RollbackOutcome> bounded(BreachEvent e, Instant received, Instant startedAt, boolean alreadyMoved) {
    AtomicBoolean moved = new AtomicBoolean(alreadyMoved);
    // A resumed rollback gets a whole execution timeout again from now: it may resume long after its start.
    Instant deadline = clock.instant().plus(config.executionTimeout());
    BooleanSupplier over = () -> !clock.instant().isBefore(deadline);
    Promise<RollbackOutcome> result = Promise.promise();
    watch(deadline, result.future(), () -> {
      String detail = "execution timeout: the rollback did not finish within "
          + Durations.format(config.executionTimeout());
      result.tryComplete(moved.get()
          ? outcome(e, startedAt, Status.VALIDATION_FAILED, Traffic.MOVED,
              detail + " (traffic moved to " + config.to() + ", not validated)")
          : outcome(e, startedAt, Status.FAILED, Traffic.UNKNOWN, detail + " (traffic not moved)"));
    });
    run(e, startedAt, moved, over).onComplete(ar -> result.tryComplete(ar.succeeded() ? ar.result()
        : outcome(e, startedAt, Status.FAILED, moved.get() ? Traffic.MOVED : Traffic.UNKNOWN,
            "internal error: " + describe(ar.cause()))));
    return result.future().compose(o -> report(e, received, o, true));
  }

  /** Runs {@code expired} once the clock reaches {@code deadline}, unless {@code done} completed before. */
  private void watch(Instant deadline, Future<?> done, Runnable expired) {
    if (done.isComplete()) {
      return;
    }
    long left = Duration.between(clock.instant(), deadline).toMillis();
    if (left <= 0) {
      expired.run();
      return;
    }
    vertx.setTimer(Math.max(1, Math.min(left, WAKE_UP.toMillis())), id -> watch(deadline, done, expired));
  }

  private Future<RollbackOutcome> run(BreachEvent e, Instant startedAt, AtomicBoolean moved, BooleanSupplier over) {
    Future<String> move;
    if (moved.get()) {
      move = Future.succeededFuture("traffic had already been moved before a restart");
    } else {
      Actuator a = actuators.apply(e.service());
      if (a == null) {
        return Future.succeededFuture(outcome(e, startedAt, Status.FAILED, Traffic.NOT_MOVED,
            NOT_MOVED + "no actuator configured for " + e.service()));
      }
      move = locks.run(e.service(), () -> unlessAlreadyBlue(a, e)).compose(r -> {
        moved.set(true);
        metrics.weights(e.service(), config.from(), config.to(), r.weights());
        Instant at = now();
        return vertx.executeBlocking(() -> {
          store.moved(e, startedAt, at);
          return a.type() + ": " + r.detail();
        }, false);
      });
    }
    return move.transform(ar -> {
      if (ar.failed()) {
        if (moved.get()) {
          // Moved, but MOVED could not be recorded: report it, a redelivery will find the traffic on blue.
          return Future.succeededFuture(outcome(e, startedAt, Status.FAILED, Traffic.MOVED,
              "traffic moved but not recorded: " + describe(ar.cause())));
        }
        return Future.succeededFuture(outcome(e, startedAt, Status.FAILED, Traffic.NOT_MOVED,
            NOT_MOVED + describe(ar.cause())));
      }
      String how = ar.result();
      return validation.validate(e.service(), over).map(v -> outcome(e, startedAt,
          v.valid() ? Status.SUCCEEDED : Status.VALIDATION_FAILED, Traffic.MOVED, v.detail() + "; " + how));
    });
  }

  /**
   * Moves {@code e}'s service to blue; but when the store skipped corrupt records at recovery (it
   * cannot prove the event unhandled), first reads the current weights: all on blue already means
   * the event was handled before, and nothing is written. Weights that cannot be read: not moved.
   */
  private Future<ActuationResult> unlessAlreadyBlue(Actuator a, BreachEvent e) {
    long corrupt = corruptRecords.getAsLong();
    if (corrupt <= 0) {
      return a.moveToBlue(e.service(), e.breachId());
    }
    LOG.warn("the de-duplication store skipped {} corrupt records at recovery: reading {}'s weights before moving it",
        corrupt, e.service());
    return a.weights(e.service()).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture("the de-duplication store lost records at recovery and the current weights could"
            + " not be read: " + describe(ar.cause()));
      }
      if (ar.result().equals(Weights.ALL_BLUE)) {
        return Future.succeededFuture(new ActuationResult(Weights.ALL_BLUE, false, "traffic already all on "
            + config.to() + " (weights read first: the de-duplication store lost records at recovery); not moved"));
      }
      return a.moveToBlue(e.service(), e.breachId());
    });
  }

  /** Publishes {@code o}, then (if {@code record}) records FINISHED, counts it, and completes with it. */
  private Future<RollbackOutcome> report(BreachEvent e, Instant received, RollbackOutcome o, boolean record) {
    RollbackFinished f = o.finished();
    return sink.publish(f).compose(ack -> !record ? Future.<Void>succeededFuture()
        : vertx.<Void>executeBlocking(() -> {
          store.finished(e, f.status().label(), f.startedAt(), f.finishedAt());
          return null;
        }, false)).map(done -> {
          metrics.finished(f, Duration.between(received, now()));
          RollbackLog.finished(e, f, !record);
          return o;
        });
  }

  private RollbackOutcome skipped(BreachEvent e, Instant at, String detail) {
    return new RollbackOutcome(new RollbackFinished(rollbackId(e), e.breachId(), e.eventId(), e.service(),
        config.from(), config.to(), Status.SKIPPED, detail, at, at, 0), Traffic.NOT_MOVED);
  }

  private RollbackOutcome outcome(BreachEvent e, Instant startedAt, Status status, Traffic traffic, String detail) {
    Instant finished = now();
    return new RollbackOutcome(new RollbackFinished(rollbackId(e), e.breachId(), e.eventId(), e.service(),
        config.from(), config.to(), status, detail, startedAt, finished,
        Math.max(0, Duration.between(startedAt, finished).toMillis())), traffic);
  }

  /** The clock's time to the millisecond, as rollback.finished carries it (so durationMs matches its times). */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** {@code r-} and 12 hex digits of SHA-256 of the event id: the same for a redelivered event. */
  static String rollbackId(BreachEvent e) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(e.eventId().getBytes(StandardCharsets.UTF_8));
      return "r-" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}

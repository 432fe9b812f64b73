package dev.vigil.rollout;

import dev.vigil.config.RolloutConfig;
import dev.vigil.rollback.Actuator;
import dev.vigil.rollback.BlueValidation;
import dev.vigil.rollback.BreachEvent;
import dev.vigil.rollback.ServiceLocks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollouts of the rollback controller: starts them (one service, or the configured plan, one
 * service after another until one does not promote), takes the operators' commands and critical
 * breaches, and drives each with {@link RolloutDriver}. Every change of a rollout is one
 * read-modify-record under its service's commit lock ({@link #change}): the step machine's
 * transition, then the event ({@link RolloutSink}, when the state or the step changed), then the
 * record in the {@link RolloutStore}, and only then the new state in memory: what the runtime acts
 * on is always recorded first.
 *
 * <p>Thread-safe: every public method hops onto the rollouts' Vert.x context; all state is confined
 * to it.
 */
public final class Rollouts {
  private static final Logger LOG = LoggerFactory.getLogger(Rollouts.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Context context;
  private final RolloutConfig config;
  private final StepMachine machine;
  private final RolloutStore store;
  private final RolloutSink sink;
  private final RolloutMetrics metrics;
  private final Clock clock;
  private final Function<String, String> unknown;
  private final ServiceLocks commits = new ServiceLocks();
  private final Map<String, Rollout> current = new LinkedHashMap<>();
  private final Map<String, RolloutDriver> drivers = new HashMap<>();
  private RolloutDriver.Parts parts;
  private volatile boolean stopped;

  /** The answer to an operator: the rollout, or an HTTP status and the reason. */
  public record Result(Rollout rollout, int status, String error) {
    static Result ok(Rollout r, int status) {
      return new Result(r, status, null);
    }

    static Result refused(int status, String error) {
      return new Result(null, status, error);
    }
  }

  /**
   * @param unknown why a service cannot be rolled out (no {@code to} target, no actuator), or null when it can
   */
  public Rollouts(Vertx vertx, Context context, RolloutConfig config, RolloutStore store, RolloutSink sink,
      RolloutMetrics metrics, Clock clock, Function<String, String> unknown) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.machine = new StepMachine(StepPolicy.of(config));
    this.store = store;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
    this.unknown = unknown;
  }

  /**
   * Starts driving: restores every recorded rollout and resumes those still running where they
   * were. {@code actuators}, {@code locks} (shared with the rollback engine), {@code analysis},
   * {@code proof} (the promotion's attestations) and {@code validation} of {@code from} are the
   * driver's parts.
   */
  public Future<Void> start(Function<String, Actuator> actuators, ServiceLocks locks, Analysis analysis,
      Analysis proof, BlueValidation validation) {
    return on(() -> {
      parts = new RolloutDriver.Parts(machine, actuators, locks, analysis, proof, validation, metrics, clock, vertx,
          () -> stopped);
      for (Rollout r : store.latest()) {
        current.put(r.service(), r);
        metrics.show(r);
        if (r.running()) {
          RolloutLog.fields(LOG.atInfo(), r.id(), r.service(), "resumed").log("resuming rollout {} of {} at step {} of {} ({})",
              r.id(), r.service(), r.step(), r.steps().size(), r.state().label());
          driver(r.service()).drive();
        }
      }
      return Future.succeededFuture();
    });
  }

  /** Stops driving (before the store closes): running rollouts stay where they are recorded. */
  public void stop() {
    stopped = true;
  }

  /** Every service's last rollout, in the order they were first started. */
  public Future<List<Rollout>> list() {
    return on(() -> Future.succeededFuture(List.copyOf(current.values())));
  }

  /** Starts a rollout of {@code service}. */
  public Future<Result> start(String service) {
    return on(() -> begin(service, List.of()));
  }

  /** Starts the plan: the first service of {@code rollout.order}, the others after it promotes. */
  public Future<Result> startPlan() {
    return on(() -> {
      for (String s : config.order()) {
        Rollout r = current.get(s);
        if (r != null && r.running()) {
          return Future.succeededFuture(Result.refused(409, "the plan cannot start: " + s + " is already rolling out ("
              + r.state().label() + ")"));
        }
      }
      List<String> order = config.order();
      return begin(order.get(0), order.subList(1, order.size()));
    });
  }

  /** {@code pause}, {@code resume}, {@code promote} or {@code abort} of {@code service}'s running rollout. */
  public Future<Result> command(String service, String verb) {
    return on(() -> {
      Rollout r = current.get(service);
      if (r == null || !r.running()) {
        return Future.succeededFuture(Result.refused(r == null ? 404 : 409, "no rollout of " + service
            + " is running" + (r == null ? "" : " (the last one " + r.state().label() + ")")));
      }
      String[] refused = new String[1];
      return change(service, cur -> {
        Instant now = clock.instant();
        StepMachine.Control c = switch (verb) {
          case "pause" -> machine.pause(cur, now);
          case "resume" -> machine.resume(cur, now);
          case "promote" -> machine.promote(cur, now);
          case "abort" -> machine.abort(cur, now);
          default -> throw new IllegalArgumentException("unknown command " + verb);
        };
        refused[0] = c.refused();
        return c.rollout();
      }).map(after -> {
        if (refused[0] != null) {
          return Result.refused(409, refused[0]);
        }
        RolloutLog.fields(LOG.atInfo(), after.id(), service, RolloutLog.done(verb))
            .log("rollout {} of {}: {} by an operator", after.id(), service, verb);
        driver(service).drive();
        return Result.ok(after, 200);
      });
    });
  }

  /** A verified breach: a critical one aborts the service's running rollout. */
  public void breach(BreachEvent e) {
    if (!"critical".equals(e.severity())) {
      return;
    }
    context.runOnContext(v -> {
      Rollout r = current.get(e.service());
      if (r == null || !r.running()) {
        return;
      }
      String detail = e.rule() + " on " + e.environment() + " (" + e.breachId() + ")";
      change(e.service(), cur -> machine.breach(cur, detail, clock.instant()))
          .onSuccess(after -> driver(e.service()).drive())
          .onFailure(x -> RolloutLog.fields(LOG.atError(), r.id(), e.service(), "breach_not_recorded")
              .addKeyValue(dev.vigil.logging.LogFields.BREACH_ID, e.breachId())
              .log("rollout of {}: the breach {} could not be recorded: {}", e.service(), e.breachId(), x.toString()));
    });
  }

  private Future<Result> begin(String service, List<String> then) {
    String why = unknown.apply(service);
    if (why != null) {
      return Future.succeededFuture(Result.refused(404, why));
    }
    Rollout last = current.get(service);
    if (last != null && last.running()) {
      return Future.succeededFuture(Result.refused(409, service + " is already rolling out (" + last.id() + ", "
          + last.state().label() + ", step " + last.step() + " of " + last.steps().size() + ")"));
    }
    Instant now = clock.instant();
    String id = "m-" + service + "-" + ID_TIME.format(now);
    if (last != null && last.id().startsWith(id)) {
      id = id + "-" + (last.events() + 1);
    }
    Rollout r = machine.start(id, service, config.from(), config.to(), then, now);
    return change(service, cur -> r).map(started -> {
      RolloutLog.fields(LOG.atInfo(), started.id(), service, "started").log("rollout {} of {} started: steps {}{}",
          started.id(), service, started.steps(), then.isEmpty() ? "" : ", then " + String.join(", ", then));
      driver(service).drive();
      return Result.ok(started, 201);
    });
  }

  /**
   * Applies {@code transition} to the service's current rollout under its commit lock; publishes
   * and records the result when it differs. Completes with the rollout in effect after it.
   */
  Future<Rollout> change(String service, UnaryOperator<Rollout> transition) {
    return commits.run(service, () -> {
      Rollout before = current.get(service);
      Rollout after = transition.apply(before);
      if (after == before) {
        return Future.succeededFuture(before);
      }
      boolean event = before == null || !before.id().equals(after.id()) || before.state() != after.state()
          || before.step() != after.step();
      Instant now = clock.instant();
      Future<Rollout> sent = event ? sink.publish(after, now).map(v -> after.published())
          : Future.succeededFuture(after);
      return sent.compose(rec -> vertx.executeBlocking(() -> {
        store.record(rec);
        return rec;
      }, false)).onSuccess(rec -> {
        current.put(service, rec);
        metrics.show(rec);
        if (rec.state().finished() && (before == null || before.running())) {
          metrics.finished(rec);
          finished(rec);
        }
      });
    });
  }

  private void finished(Rollout r) {
    // failed: the traffic could not be put where it should be, someone has to look; promoted and aborted are INFO.
    RolloutLog.fields(r.state() == RolloutState.FAILED ? LOG.atWarn() : LOG.atInfo(), r.id(), r.service(),
            r.state().label())
        .log("rollout {} of {} {}: {}", r.id(), r.service(), r.state().label(), r.detail());
    if (r.state() == RolloutState.PROMOTED && !r.then().isEmpty()) {
      List<String> rest = new ArrayList<>(r.then());
      String next = rest.remove(0);
      begin(next, rest).onSuccess(res -> {
        if (res.error() != null) {
          RolloutLog.fields(LOG.atWarn(), null, next, "plan_stopped").log("the plan stops before {}: {}", next, res.error());
        }
      });
    } else if (r.state() != RolloutState.PROMOTED && !r.then().isEmpty()) {
      RolloutLog.fields(LOG.atWarn(), r.id(), r.service(), "plan_stopped").log("the plan stops at {} ({}): not started: {}",
          r.service(), r.state().label(), String.join(", ", r.then()));
    }
  }

  private RolloutDriver driver(String service) {
    return drivers.computeIfAbsent(service, s -> new RolloutDriver(s, parts, () -> current.get(s), this::change));
  }

  /** Runs {@code work} on the rollouts' context. */
  private <T> Future<T> on(java.util.function.Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }
}

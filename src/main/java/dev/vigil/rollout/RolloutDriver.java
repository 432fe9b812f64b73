package dev.vigil.rollout;

import dev.vigil.rollback.Actuator;
import dev.vigil.rollback.BlueValidation;
import dev.vigil.rollback.ServiceLocks;
import dev.vigil.rollback.Weights;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one service's rollout: asks the {@link StepMachine} what to do ({@link Action}), does it
 * (an analysis; a weight set through the service's actuator under the per-service lock shared with
 * rollbacks, then read back; the validation of {@code from} after an abort; the proof of a
 * promotion), and hands the result to {@link Rollouts#change}, which records it before the next
 * action. One action at a time; a wait is a Vert.x timer. An action that fails to be recorded (the
 * event could not be sent, the store failed) is retried from the recorded state a second later.
 *
 * <p>Confined to the rollouts' Vert.x context.
 */
final class RolloutDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutDriver.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** What every driver shares. Immutable. */
  record Parts(StepMachine machine, Function<String, Actuator> actuators, ServiceLocks locks, Analysis analysis,
      Analysis proof, BlueValidation validation, RolloutMetrics metrics, Clock clock, Vertx vertx,
      java.util.function.BooleanSupplier stopped) {}

  /** {@link Rollouts#change}. */
  @FunctionalInterface
  interface Changer {
    Future<Rollout> change(String service, UnaryOperator<Rollout> transition);
  }

  private final String service;
  private final Parts p;
  private final Supplier<Rollout> current;
  private final Changer changer;
  private boolean busy;
  private long timer = -1;

  RolloutDriver(String service, Parts parts, Supplier<Rollout> current, Changer changer) {
    this.service = service;
    this.p = parts;
    this.current = current;
    this.changer = changer;
  }

  /** Acts on the current state now (unless an action is in flight: it drives again when it ends). */
  void drive() {
    if (busy || p.stopped().getAsBoolean()) {
      return;
    }
    if (timer >= 0) {
      p.vertx().cancelTimer(timer);
      timer = -1;
    }
    Rollout r = current.get();
    Instant now = p.clock().instant();
    Action a = p.machine().next(r, now);
    if (a instanceof Action.Done) {
      return;
    }
    if (a instanceof Action.Wait w) {
      if (w.until() != null) {
        wakeAt(Duration.between(now, w.until()));
      }
      return;
    }
    busy = true;
    act(r, a).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        RolloutLog.fields(LOG.atWarn(), r.id(), service, "retrying").log("rollout {} of {}: {} not recorded, retrying in {}: {}",
            r.id(), service, a, RETRY, ar.cause().toString());
        wakeAt(RETRY);
      } else {
        drive();
      }
    });
  }

  private void wakeAt(Duration in) {
    timer = p.vertx().setTimer(Math.max(1, in.toMillis()), id -> {
      timer = -1;
      drive();
    });
  }

  private Future<Rollout> act(Rollout r, Action a) {
    if (a instanceof Action.Analyze) {
      return p.analysis().run(service, r.to())
          .recover(e -> Future.succeededFuture(List.of(Check.noData("analysis", 0))))
          .compose(checks -> {
            p.metrics().analysed(service, checks);
            return changer.change(service, cur -> p.machine().analysed(cur, checks, p.clock().instant()));
          });
    }
    if (a instanceof Action.SetWeight s) {
      return setWeight(s);
    }
    if (a instanceof Action.ValidateFrom) {
      return p.validation().validate(service, () -> false).compose(v -> changer.change(service,
          cur -> p.machine().reverted(cur, v.valid(), v.detail(), p.clock().instant())));
    }
    return prove(r);
  }

  private Future<Rollout> setWeight(Action.SetWeight s) {
    Actuator act = p.actuators().apply(service);
    Weights w = new Weights(s.weight(), 100 - s.weight());
    Future<String> done = act == null ? Future.failedFuture("no actuator configured for " + service)
        : p.locks().run(service, () -> act.setWeights(service, w).compose(res -> act.weights(service)
            .compose(back -> back.equals(w) ? Future.succeededFuture(act.type() + ": " + res.detail())
                : Future.failedFuture("weights read back as " + back + " after setting " + w))));
    return done.transform(ar -> changer.change(service, cur -> {
      if (cur.target() == null || cur.target() != s.step()) {
        return cur;
      }
      Instant now = p.clock().instant();
      if (ar.failed()) {
        RolloutLog.fields(LOG.atWarn(), cur.id(), service, "weight_not_set")
            .log("rollout {} of {}: weight {} % not set: {}", cur.id(), service, s.weight(), ar.cause().getMessage());
        return p.machine().notApplied(cur, String.valueOf(ar.cause().getMessage()), now);
      }
      RolloutLog.fields(LOG.atInfo(), cur.id(), service, "step_set")
          .log("rollout {} of {}: step {} set, {}", cur.id(), service, s.step(), ar.result());
      p.metrics().weights(cur, s.weight());
      return p.machine().applied(cur, now);
    }));
  }

  /** After the last step: the weights read back all on {@code to}, and {@code to} attested compliant. */
  private Future<Rollout> prove(Rollout r) {
    Actuator act = p.actuators().apply(service);
    Future<String> proof = act == null ? Future.failedFuture("no actuator configured for " + service)
        : act.weights(service).compose(back -> back.equals(Weights.ALL_GREEN)
            ? p.proof().run(service, r.to()).compose(checks -> checks.stream().allMatch(Check::passed)
                ? Future.succeededFuture("weights read back " + r.to() + " 100/" + r.from() + " 0; " + r.to()
                    + " attested compliant " + checks.get(0).value() + " times in a row")
                : Future.failedFuture(r.to() + " did not attest compliant: " + checks))
            : Future.failedFuture("weights read back " + r.to() + " " + back.green() + "/" + r.from() + " "
                + back.blue()));
    return proof.transform(ar -> changer.change(service, cur -> p.machine().promotion(cur, ar.succeeded(),
        ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage()), p.clock().instant())));
  }
}

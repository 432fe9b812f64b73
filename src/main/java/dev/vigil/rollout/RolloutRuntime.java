package dev.vigil.rollout;

import dev.vigil.config.RolloutConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventCodec;
import dev.vigil.events.VertxKafkaProducer;
import dev.vigil.poll.Poller;
import dev.vigil.rollback.Actuator;
import dev.vigil.rollback.BlueValidation;
import dev.vigil.rollback.KafkaOutcomeSink;
import dev.vigil.rollback.PollerBlueProbe;
import dev.vigil.rollback.RollbackEngine;
import dev.vigil.rollback.RollbackMetrics;
import dev.vigil.rollback.ServiceLocks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;

/**
 * The rollouts inside the rollback controller, wired from its parts: the store next to the
 * de-duplication store ({@code rollback.dedupDir}), the analysis (attestations and SLO through the
 * controller's poller and verifier, PromQL when configured), the {@code from} side's validation
 * (the rollback's own {@link BlueValidation}), the actuators and the per-service lock shared with
 * the {@link RollbackEngine} (which also reports every verified breach to the rollouts), and the
 * signed events on {@code rollout.topic} through the controller's producer.
 *
 * <p>Thread-safe: {@link #rollouts()} is; {@link #close()} once.
 */
public final class RolloutRuntime {
  private final Rollouts rollouts;
  private final RolloutStore store;
  private final PrometheusAnalysis prometheus;

  private RolloutRuntime(Rollouts rollouts, RolloutStore store, PrometheusAnalysis prometheus) {
    this.rollouts = rollouts;
    this.store = store;
    this.prometheus = prometheus;
  }

  /**
   * Opens the store (on a worker), restores and resumes the recorded rollouts on {@code context}.
   * {@code producer} null: events are not sent (tests of the controller without Kafka).
   */
  public static Future<RolloutRuntime> start(Vertx vertx, Context context, VigilConfig config, Poller poller,
      Function<String, Actuator> actuators, BlueValidation validation, RollbackEngine engine,
      RollbackMetrics rollbackMetrics, Producer<byte[], byte[]> producer, Clock clock) {
    RolloutConfig rc = config.rollout();
    return vertx.executeBlocking(() -> RolloutStore.open(config.rollback().dedupDir()), false).compose(store -> {
      RolloutSink sink = producer == null ? (r, at) -> Future.succeededFuture()
          : new KafkaRolloutSink(new VertxKafkaProducer(vertx, producer), new EventCodec(config.events().signingKey()),
              KafkaOutcomeSink.source(config.monitorId()), rc.topic())::publish;
      PollerBlueProbe to = new PollerBlueProbe(poller, config, rc.to());
      Function<String, String> unknown = service -> {
        if (!to.knows(service)) {
          return "unknown service " + service + ": no target of it in environment " + rc.to() + " to attest";
        }
        return actuators.apply(service) == null ? "no actuator configured for " + service : null;
      };
      List<Analysis> parts = new ArrayList<>();
      parts.add(new AttestationAnalysis(to, rc.attestations(), rc.slo(), config.rules()));
      PrometheusAnalysis prometheus = rc.prometheus() == null ? null : new PrometheusAnalysis(vertx, rc.prometheus());
      if (prometheus != null) {
        parts.add(prometheus);
      }
      Rollouts rollouts = new Rollouts(vertx, context, rc, store, sink, new RolloutMetrics(rollbackMetrics), clock,
          unknown);
      ServiceLocks locks = new ServiceLocks();
      engine.share(locks, rollouts::breach);
      return rollouts.start(actuators, locks, Analysis.of(parts),
          new AttestationAnalysis(to, rc.attestations(), false, List.of()), validation)
          .map(v -> new RolloutRuntime(rollouts, store, prometheus));
    });
  }

  public Rollouts rollouts() {
    return rollouts;
  }

  /** Closes the PromQL client and the store (the rollouts stop where they are; a restart resumes them). */
  public Future<Void> close(Vertx vertx) {
    rollouts.stop();
    Future<Void> http = prometheus == null ? Future.succeededFuture() : prometheus.close();
    return http.transform(ignored -> vertx.executeBlocking(() -> {
      store.close();
      return null;
    }, false));
  }
}

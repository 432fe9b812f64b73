package dev.vigil.rollback;

import dev.vigil.config.ControllerConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventCodec;
import dev.vigil.events.KafkaProducers;
import dev.vigil.events.VertxKafkaProducer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * The whole rollback controller of {@code vigil rollback-controller} (and of the demo): the
 * producer of {@code rollback.finished} ({@link KafkaOutcomeSink}), the {@link RollbackRuntime} on
 * one Vert.x context, and the {@link KafkaBreachConsumer} feeding it verified breach events.
 */
public final class RollbackController {
  private final Vertx vertx;
  private final Producer<byte[], byte[]> producer;
  private final RollbackRuntime runtime;
  private final KafkaBreachConsumer consumer;

  private RollbackController(Vertx vertx, Producer<byte[], byte[]> producer, RollbackRuntime runtime,
      KafkaBreachConsumer consumer) {
    this.vertx = vertx;
    this.producer = producer;
    this.runtime = runtime;
    this.consumer = consumer;
  }

  /**
   * What {@code config} lacks for a controller, each as "yaml.path: message" (empty: it can run):
   * a broker, the event signing key, trusted monitor keys.
   */
  public static List<String> problems(VigilConfig config) {
    List<String> p = new ArrayList<>();
    if (!config.kafka().enabled()) {
      p.add("kafka.bootstrapServers: required by the rollback controller (it consumes the breaches topic)");
    }
    if (config.events().signingKey() == null) {
      p.add("events.signingKey: required by the rollback controller (it signs its rollback.finished events with it)");
    }
    if (config.controller().trustedMonitorKeys().isEmpty()) {
      p.add("controller.trustedMonitorKeys: required by the rollback controller: the public keys of the monitors"
          + " whose breach events it acts on, e.g. [{file: monitor-0.event.pub.pem}]");
    }
    return p;
  }

  /**
   * Starts the controller; {@code registry} receives the rollback metrics. {@code kubernetes} as
   * for {@link RollbackRuntime#start} (null: from the environment).
   */
  public static Future<RollbackController> start(Vertx vertx, VigilConfig config, MeterRegistry registry, Clock clock,
      Supplier<KubernetesClient> kubernetes) {
    return start(vertx, config, registry, clock, kubernetes, o -> { });
  }

  /** As {@link #start(Vertx, VigilConfig, MeterRegistry, Clock, Supplier)}; {@code published} sees every outcome Kafka acknowledged. */
  public static Future<RollbackController> start(Vertx vertx, VigilConfig config, MeterRegistry registry, Clock clock,
      Supplier<KubernetesClient> kubernetes, Consumer<RollbackOutcome> published) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(String.join("; ", problems)));
    }
    ControllerConfig cc = config.controller();
    Producer<byte[], byte[]> producer = KafkaProducers.create(config.kafka());
    KafkaOutcomeSink kafkaSink = new KafkaOutcomeSink(new VertxKafkaProducer(vertx, producer),
        new EventCodec(config.events().signingKey()), KafkaOutcomeSink.source(config.monitorId()),
        config.kafka().rollbacksTopic());
    OutcomeSink sink = o -> kafkaSink.publish(o).onSuccess(v -> published.accept(o));
    Context context = vertx.getOrCreateContext();
    Promise<RollbackController> started = Promise.promise();
    context.runOnContext(v -> RollbackRuntime.start(vertx, config, sink, registry, clock, kubernetes)
        .onFailure(e -> {
          producer.close(Duration.ZERO);
          started.fail(e);
        })
        .onSuccess(runtime -> {
          BreachRecords records = new BreachRecords(runtime.engine(), cc.trustStore());
          try {
            KafkaBreachConsumer consumer = new KafkaBreachConsumer(config.kafka(), cc.consumerGroup(),
                config.kafka().clientId() + "-rollback-controller", context,
                (r, c) -> records.handle(r.value(), c.instant()), clock).start();
            started.complete(new RollbackController(vertx, producer, runtime, consumer));
          } catch (RuntimeException e) {
            runtime.close();
            producer.close(Duration.ZERO);
            started.fail(e);
          }
        }));
    return started.future();
  }

  /** True while the consumer is in its group with an assignment and polling. */
  public boolean ready() {
    return consumer.ready();
  }

  /** Partitions of the breaches topic this instance holds now. */
  public int assignedPartitions() {
    return consumer.assignedPartitions();
  }

  /** The engine (for tests and the demo's timeline). */
  public RollbackEngine engine() {
    return runtime.engine();
  }

  /** Stops consuming (committing what finished), then closes the runtime and the producer. */
  public Future<Void> close() {
    return vertx.<Void>executeBlocking(() -> {
      consumer.close();
      return null;
    }, false).transform(ignored -> runtime.close()).transform(ignored -> vertx.executeBlocking(() -> {
      producer.close(Duration.ofSeconds(5));
      return null;
    }, false));
  }
}

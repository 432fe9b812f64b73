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
import java.util.Optional;
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
  private final PartitionProgress progress;
  private final Duration stallThreshold;

  private RollbackController(Vertx vertx, Producer<byte[], byte[]> producer, RollbackRuntime runtime,
      KafkaBreachConsumer consumer, PartitionProgress progress, Duration stallThreshold) {
    this.vertx = vertx;
    this.producer = producer;
    this.runtime = runtime;
    this.consumer = consumer;
    this.progress = progress;
    this.stallThreshold = stallThreshold;
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
    DeadLetters deadLetters = new KafkaDeadLetters(new VertxKafkaProducer(vertx, producer),
        config.kafka().deadLetterTopic());
    Context context = vertx.getOrCreateContext();
    Promise<RollbackController> started = Promise.promise();
    context.runOnContext(v -> RollbackRuntime.start(vertx, config, sink, registry, clock, kubernetes)
        .onFailure(e -> {
          producer.close(Duration.ZERO);
          started.fail(e);
        })
        .onSuccess(runtime -> {
          BreachRecords records = new BreachRecords(runtime.engine(), cc.trustStore(), clock);
          PartitionProgress progress = new PartitionProgress(clock, registry);
          try {
            KafkaBreachConsumer consumer = new KafkaBreachConsumer(config.kafka(), cc.consumerGroup(),
                config.kafka().clientId() + "-rollback-controller", context, records::handle, deadLetters,
                cc.maxAttempts(), progress, runtime.metrics()).start();
            started.complete(new RollbackController(vertx, producer, runtime, consumer, progress,
                cc.stallThreshold()));
          } catch (RuntimeException e) {
            runtime.close();
            producer.close(Duration.ZERO);
            started.fail(e);
          }
        }));
    return started.future();
  }

  /** True while {@link #notReady()} is empty. */
  public boolean ready() {
    return notReady().isEmpty();
  }

  /**
   * Why the controller is not ready, if it is not: the consumer has no assignment yet (or
   * stopped), or a partition has had records waiting longer than {@code controller.stallThreshold}
   * without advancing.
   */
  public Optional<String> notReady() {
    if (!consumer.ready()) {
      return Optional.of("the breach consumer is not in its group with an assignment (starting, or stopped)");
    }
    return progress.stalled(stallThreshold);
  }

  /** Lag and age of the oldest waiting record per partition held. */
  public PartitionProgress progress() {
    return progress;
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

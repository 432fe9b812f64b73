package dev.vigil.rollback;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ControllerConfig;
import dev.vigil.config.RollbackConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventCodec;
import dev.vigil.events.KafkaProducers;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.VertxKafkaProducer;
import dev.vigil.poll.HttpProbe;
import dev.vigil.poll.Poller;
import dev.vigil.rollout.RolloutRuntime;
import dev.vigil.rollout.Rollouts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollback controller of {@code vigil rollback-controller} (and of the demo), built from a
 * {@link VigilConfig} and run: the de-duplication store (opened and recovered on a worker), the
 * guards restored from it, the actuators, blue validation with the monitor's poller and verifier,
 * the metrics, an hourly compaction of the store, the producer of {@code rollback.finished}
 * ({@link KafkaOutcomeSink}) and the {@link KafkaBreachConsumer} feeding the {@link RollbackEngine}
 * verified breach events ({@link BreachRecords}) on one Vert.x context.
 *
 * <p>Thread-safe: the engine is confined to its context; the readiness and progress views may be
 * read from any thread.
 */
public final class RollbackController {
  private static final Logger LOG = LoggerFactory.getLogger(RollbackController.class);
  private static final Duration COMPACTION_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final DedupStore store;
  private final RollbackEngine engine;
  private final HttpClientAgent http;
  private final HttpProbe probe;
  private final WorkerExecutor verifyPool;
  private final Kubernetes kubernetes;
  private final long compaction;
  private final PartitionProgress progress;
  private final Duration stallThreshold;
  private final RollbackMetrics metrics;
  private final Producer<byte[], byte[]> producer;
  /** Set once, on the engine's context, before the controller is handed out; null without Kafka. */
  private volatile KafkaBreachConsumer consumer;
  /** The rollouts (dev.vigil.rollout), started with the controller on the engine's context. */
  private final Future<RolloutRuntime> rollouts;

  /** Creates the Kubernetes client on first use only (a fleet without Kubernetes actuators never needs one). */
  private static final class Kubernetes implements Supplier<KubernetesClient> {
    private final Supplier<KubernetesClient> factory;
    private KubernetesClient client;

    Kubernetes(Supplier<KubernetesClient> factory) {
      this.factory = factory;
    }

    @Override
    public synchronized KubernetesClient get() {
      if (client == null) {
        client = factory.get();
      }
      return client;
    }

    synchronized void close() {
      if (client != null) {
        client.close();
      }
    }
  }

  /** Wires everything but the Kafka consumer; call on the engine's context. */
  private RollbackController(Vertx vertx, VigilConfig config, DedupStore store, OutcomeSink sink,
      MeterRegistry registry, Clock clock, Supplier<KubernetesClient> kubernetesFactory,
      Producer<byte[], byte[]> producer) {
    RollbackConfig rc = config.rollback();
    this.vertx = vertx;
    this.store = store;
    this.producer = producer;
    this.stallThreshold = config.controller().stallThreshold();
    this.http = vertx.createHttpClient();
    this.probe = new HttpProbe(vertx, 4);
    this.verifyPool = vertx.createSharedWorkerExecutor("vigil-rollback-verify", 2);
    this.kubernetes = new Kubernetes(kubernetesFactory);
    Poller poller = new Poller(vertx, probe, verifyPool, clock);
    BlueValidation validation = new BlueValidation(vertx, new PollerBlueProbe(poller, config),
        rc.validationConsecutive(), rc.validationTimeout(), rc.validationInterval(), clock);
    RollbackMetrics metrics = new RollbackMetrics(registry);
    metrics.storeCorruptRecords(store);
    Actuators actuators = new Actuators(vertx, rc, http, kubernetes);
    this.engine = new RollbackEngine(vertx, rc, new Guards(rc), store, actuators, validation, sink, metrics, clock);
    engine.restoreGuards();
    this.rollouts = RolloutRuntime.start(vertx, vertx.getOrCreateContext(), config, poller, actuators, validation,
        engine, metrics, producer, clock);
    this.compaction = vertx.setPeriodic(COMPACTION_EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
      store.compact(clock.instant());
      return null;
    }, false).onFailure(e -> LOG.warn("compaction of the rollback de-duplication store failed: {}", e.toString())));
    this.progress = new PartitionProgress(clock, registry);
    this.metrics = metrics;
  }

  /** Starts consuming the breaches topic on {@code context} (the engine's). */
  private void consume(Context context, VigilConfig config, Clock clock) {
    ControllerConfig cc = config.controller();
    BreachRecords records = new BreachRecords(engine, cc.trustStore(), clock);
    DeadLetters deadLetters = new KafkaDeadLetters(new VertxKafkaProducer(vertx, producer),
        config.kafka().deadLetterTopic());
    consumer = new KafkaBreachConsumer(config.kafka(), cc.consumerGroup(),
        config.kafka().clientId() + "-rollback-controller", context, (BatchHandler) records::handleAll, deadLetters, cc.maxAttempts(),
        progress, metrics, clock).start();
  }

  /**
   * Starts the controller; {@code registry} receives the rollback metrics. {@code kubernetes} makes
   * the client of istio and service actuators (null: fabric8's configuration from kubeconfig or the
   * in-cluster service account, on this Vert.x instance; its blocking calls run on workers only).
   */
  public static Future<RollbackController> start(Vertx vertx, VigilConfig config, MeterRegistry registry, Clock clock,
      Supplier<KubernetesClient> kubernetes) {
    return start(vertx, config, registry, clock, kubernetes, o -> { });
  }

  /** As {@link #start(Vertx, VigilConfig, MeterRegistry, Clock, Supplier)}; {@code published} sees every outcome Kafka acknowledged. */
  public static Future<RollbackController> start(Vertx vertx, VigilConfig config, MeterRegistry registry, Clock clock,
      Supplier<KubernetesClient> kubernetes, Consumer<RollbackFinished> published) {
    List<ConfigError> problems = ControllerConfig.requirements(config);
    if (!problems.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(
          String.join("; ", problems.stream().map(ConfigError::toString).toList())));
    }
    Producer<byte[], byte[]> producer = KafkaProducers.create(config.kafka());
    KafkaOutcomeSink kafkaSink = new KafkaOutcomeSink(new VertxKafkaProducer(vertx, producer),
        new EventCodec(config.events().signingKey()), KafkaOutcomeSink.source(config.monitorId()),
        config.kafka().rollbacksTopic());
    OutcomeSink sink = new OutcomeSink() {
      @Override
      public Future<Void> publish(RollbackFinished o) {
        return kafkaSink.publish(o).onSuccess(v -> published.accept(o));
      }

      @Override
      public Future<List<Throwable>> publishAll(List<RollbackFinished> outcomes) {
        return kafkaSink.publishAll(outcomes).onSuccess(failures -> {
          for (int i = 0; i < failures.size(); i++) {
            if (failures.get(i) == null) {
              published.accept(outcomes.get(i));
            }
          }
        });
      }
    };
    return start(vertx, config, sink, registry, clock, kubernetes, producer)
        .onFailure(e -> producer.close(Duration.ZERO));
  }

  /**
   * Opens the store in {@code rollback.dedupDir} and wires the controller on a new context; with a
   * null {@code producer} nothing is consumed (tests drive {@link #engine()} themselves).
   */
  static Future<RollbackController> start(Vertx vertx, VigilConfig config, OutcomeSink sink, MeterRegistry registry,
      Clock clock, Supplier<KubernetesClient> kubernetes, Producer<byte[], byte[]> producer) {
    RollbackConfig rc = config.rollback();
    // The fabric8 client on our Vert.x instance rather than on one of its own (event loops and all).
    Supplier<KubernetesClient> factory = kubernetes != null ? kubernetes
        : () -> new KubernetesClientBuilder().withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
    Context context = vertx.getOrCreateContext();
    Promise<RollbackController> started = Promise.promise();
    context.runOnContext(v -> vertx.executeBlocking(() -> {
      DedupStore store = DedupStore.open(rc.dedupDir(), rc.dedupRetention(), clock.instant());
      if (store.truncatedBytes() > 0) {
        LOG.warn("rollback de-duplication store {}: cut a torn tail of {} bytes at recovery", rc.dedupDir(),
            store.truncatedBytes());
      }
      return store;
    }, false).map(store -> new RollbackController(vertx, config, store, sink, registry, clock, factory, producer))
        .compose(c -> c.rollouts.transform(ar -> ar.succeeded() ? Future.succeededFuture(c)
            : c.close().transform(ignored -> Future.<RollbackController>failedFuture(ar.cause()))))
        .compose(c -> {
          try {
            if (producer != null) {
              c.consume(context, config, clock);
            }
            return Future.succeededFuture(c);
          } catch (RuntimeException e) {
            return c.close().transform(ignored -> Future.<RollbackController>failedFuture(e));
          }
        }).onComplete(started));
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
    KafkaBreachConsumer consumer = this.consumer;
    if (consumer == null || !consumer.ready()) {
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
    KafkaBreachConsumer consumer = this.consumer;
    return consumer == null ? 0 : consumer.assignedPartitions();
  }

  /** The rollouts: {@code vigil rollout} and {@code /api/v1/rollouts} drive them. */
  public Rollouts rollouts() {
    return rollouts.result().rollouts();
  }

  /** The engine (for tests and the demo's timeline). */
  public RollbackEngine engine() {
    return engine;
  }

  /**
   * Stops consuming (committing what finished), stops compaction, closes the clients, the store and
   * the producer. Does not close Vert.x.
   */
  public Future<Void> close() {
    KafkaBreachConsumer consumer = this.consumer;
    return vertx.<Void>executeBlocking(() -> {
      if (consumer != null) {
        consumer.close();
      }
      return null;
    }, false).transform(ignored -> rollouts.succeeded() ? rollouts.result().close(vertx) : Future.<Void>succeededFuture())
        .transform(ignored -> {
      vertx.cancelTimer(compaction);
      return Future.join(http.close(), probe.close(), verifyPool.close());
    }).transform(ignored -> vertx.executeBlocking(() -> {
      kubernetes.close();
      store.close();
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
      return null;
    }, false));
  }
}

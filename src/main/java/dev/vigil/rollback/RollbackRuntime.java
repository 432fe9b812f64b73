package dev.vigil.rollback;

import dev.vigil.config.RollbackConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.poll.HttpProbe;
import dev.vigil.poll.Poller;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of the rollback controller except Kafka, wired from a {@link VigilConfig}: the
 * de-duplication store (opened and recovered on a worker), guards restored from it, the actuators,
 * blue validation with the monitor's poller and verifier, the metrics, and an hourly compaction
 * of the store. The Kafka consumer adapter starts one, calls {@link #engine()} for each verified
 * event, and closes it on shutdown.
 *
 * <p>Start and close from a Vert.x context (the consumer's); the engine is confined to it.
 */
public final class RollbackRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(RollbackRuntime.class);
  private static final Duration COMPACTION_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final DedupStore store;
  private final RollbackEngine engine;
  private final RollbackMetrics metrics;
  private final HttpClientAgent http;
  private final HttpProbe probe;
  private final WorkerExecutor verifyPool;
  private final Kubernetes kubernetes;
  private final long compaction;

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

  private RollbackRuntime(Vertx vertx, VigilConfig config, DedupStore store, OutcomeSink sink, MeterRegistry registry,
      Clock clock, Supplier<KubernetesClient> kubernetesFactory) {
    RollbackConfig rc = config.rollback();
    this.vertx = vertx;
    this.store = store;
    this.http = vertx.createHttpClient();
    this.probe = new HttpProbe(vertx, 4);
    this.verifyPool = vertx.createSharedWorkerExecutor("vigil-rollback-verify", 2);
    this.kubernetes = new Kubernetes(kubernetesFactory);
    Poller poller = new Poller(vertx, probe, verifyPool, clock);
    BlueValidation validation = new BlueValidation(vertx, new PollerBlueProbe(poller, config),
        rc.validationConsecutive(), rc.validationTimeout(), rc.validationInterval(), clock);
    this.metrics = new RollbackMetrics(registry);
    metrics.storeCorruptRecords(store);
    this.engine = new RollbackEngine(vertx, rc, new Guards(rc), store, new Actuators(vertx, rc, http, kubernetes),
        validation, sink, metrics, clock);
    engine.restoreGuards();
    this.compaction = vertx.setPeriodic(COMPACTION_EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
      store.compact(clock.instant());
      return null;
    }, false).onFailure(e -> LOG.warn("compaction of the rollback de-duplication store failed: {}", e.toString())));
  }

  /**
   * Opens the store in {@code rollback.dedupDir} and wires the engine. {@code kubernetes} makes
   * the client of istio and service actuators (null: fabric8's configuration from kubeconfig or the
   * in-cluster service account, on this Vert.x instance; its blocking calls run on workers only).
   */
  public static Future<RollbackRuntime> start(Vertx vertx, VigilConfig config, OutcomeSink sink,
      MeterRegistry registry, Clock clock, Supplier<KubernetesClient> kubernetes) {
    RollbackConfig rc = config.rollback();
    // The fabric8 client on our Vert.x instance rather than on one of its own (event loops and all).
    Supplier<KubernetesClient> factory = kubernetes != null ? kubernetes
        : () -> new KubernetesClientBuilder().withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
    return vertx.executeBlocking(() -> {
      DedupStore store = DedupStore.open(rc.dedupDir(), rc.dedupRetention(), clock.instant());
      if (store.truncatedBytes() > 0) {
        LOG.warn("rollback de-duplication store {}: cut a torn tail of {} bytes at recovery", rc.dedupDir(),
            store.truncatedBytes());
      }
      return store;
    }, false).map(store -> new RollbackRuntime(vertx, config, store, sink, registry, clock, factory));
  }

  /** The engine: {@link RollbackEngine#handle}, {@link RollbackEngine#rejected}. */
  public RollbackEngine engine() {
    return engine;
  }

  /** The controller's metrics. */
  public RollbackMetrics metrics() {
    return metrics;
  }

  /** Stops compaction, closes the clients and the store. Does not close Vert.x. */
  public Future<Void> close() {
    vertx.cancelTimer(compaction);
    return Future.join(http.close(), probe.close(), verifyPool.close()).transform(ignored ->
        vertx.<Void>executeBlocking(() -> {
          kubernetes.close();
          store.close();
          return null;
        }, false));
  }
}

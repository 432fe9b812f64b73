package dev.vigil.bench;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EmbeddedKafka;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RollbackFinished.Status;
import dev.vigil.events.SignedEvent;
import dev.vigil.rollback.RollbackController;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The rollback controller's throughput on a burst of breach events, most of them duplicates or
 * guarded: {@code services} services each delivered {@code deliveries} times (the same event id
 * each time, as a retrying producer would). The breaches topic is filled first; then the
 * controller (consumer group, engine, signed {@code rollback.finished} acknowledged by Kafka,
 * offsets committed) is started and timed until every event is committed. Three services are
 * real simulator services with critical breaches and are rolled back (blue validated); the others'
 * breaches are warnings, skipped by the guards ({@code not_rollbackable}); the rest are duplicates.
 */
public final class RollbacksBenchmark {
  static final List<String> REAL = List.of("integrity-service", "auth-service", "executive-council-service");

  /** What the run measured. */
  public record Result(int events, int partitions, double seconds, Map<String, Long> outcomes, double cpuSeconds,
      double loadAverage, List<String> rollbacks, double assignedAfter, double firstOutcomeAfter) {
    public double perSecond() {
      return events / seconds;
    }

    /** Events per second from the consumer's assignment (the burst meets a running controller) to the last commit. */
    public double perSecondOnceAssigned() {
      return events / (seconds - assignedAfter);
    }
  }

  private final int services;
  private final int deliveries;
  private final int partitions;

  public RollbacksBenchmark(int services, int deliveries, int partitions) {
    this.services = services;
    this.deliveries = deliveries;
    this.partitions = partitions;
  }

  public Result run() throws Exception {
    Path dir = Files.createTempDirectory("vigil-bench-rollbacks-");
    SigningKey monitorKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    SigningKey controllerKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("monitor.pub.pem"), monitorKey.publicKey().toPem());
    Files.writeString(dir.resolve("controller.key.pem"), controllerKey.privatePem());
    Vertx vertx = Vertx.vertx();
    try (EmbeddedKafka kafka = EmbeddedKafka.create().start()) {
      FleetSimulator sim = await(FleetSimulator.start(vertx, SimulatorOptions.defaults().withServices(REAL)
          .withEnvironments(List.of("green", "blue")).withBasePort(0).withAdminPort(0)));
      sim.writePublicKeys(dir);
      StringBuilder y = new StringBuilder("monitorId: bench\ntargets:\n");
      for (TargetId t : sim.targets()) {
        y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
            .append(", url: \"").append(sim.baseUrl(t)).append("\", timeout: 1s, retries: 0, keys: [{file: ")
            .append(t.service()).append('-').append(t.environment()).append(".pub.pem}]}\n");
      }
      y.append("kafka: {bootstrapServers: \"").append(kafka.bootstrapServers()).append("\"}\n")
          .append("events: {signingKey: controller.key.pem}\n")
          .append("controller: {trustedMonitorKeys: [{file: monitor.pub.pem}]}\n")
          .append("rollback:\n  blastRadius: {max: 3, window: 10m}\n")
          .append("  validation: {consecutive: 2, timeout: 20s, interval: 200ms}\n  executionTimeout: 40s\n")
          .append("  dedupDir: dedup\n  actuators:\n    default: {type: simulator, url: \"").append(sim.adminUrl())
          .append("\", timeout: 5s}\n");
      Files.writeString(dir.resolve("vigil.yaml"), y);
      ConfigResult loaded = ConfigLoader.load(dir.resolve("vigil.yaml"), Map.of());
      if (!loaded.isValid()) {
        throw new IllegalStateException("bench configuration: " + loaded.errors());
      }
      VigilConfig config = loaded.orElseThrow();
      String topic = config.kafka().breachesTopic();
      int total = services * deliveries;
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        // Both topics exist before the burst, as in a deployment (not auto-created by the first outcome).
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1),
            new NewTopic(config.kafka().rollbacksTopic(), partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        fill(kafka.bootstrapServers(), topic, new EventCodec(monitorKey));
        Map<String, Long> outcomes = new ConcurrentHashMap<>();
        AtomicLong published = new AtomicLong();
        AtomicLong firstOutcome = new AtomicLong();
        List<String> rollbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long start = System.nanoTime();
        long cpuStart = FleetBenchmark.processCpuNanos();
        RollbackController controller = await(RollbackController.start(vertx, config, registry, Clock.systemUTC(),
            () -> {
              throw new IllegalStateException("no Kubernetes in the benchmark");
            }, o -> {
              String key = o.status().label() + (o.status() == Status.SKIPPED ? " " + o.detail().split(":")[0] : "");
              outcomes.merge(key, 1L, Long::sum);
              if (o.status() != Status.SKIPPED) {
                rollbacks.add(o.service() + " " + o.status().label() + " in " + o.durationMs() + " ms: " + o.detail());
              }
              published.incrementAndGet();
              firstOutcome.compareAndSet(0, System.nanoTime());
            }));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long assigned = 0;
        while (committed(admin, config.controller().consumerGroup()) < total) {
          if (assigned == 0 && controller.assignedPartitions() > 0) {
            assigned = System.nanoTime();
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("not all " + total + " events committed within 10 minutes");
          }
          Thread.sleep(20); // polling the committed offsets of the benchmark's own run
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (FleetBenchmark.processCpuNanos() - cpuStart) / 1e9;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        await(controller.close());
        registry.close();
        await(sim.stop());
        return new Result(total, partitions, seconds, new TreeMap<>(outcomes), cpu, load, List.copyOf(rollbacks),
            assigned == 0 ? 0 : (assigned - start) / 1e9, (firstOutcome.get() - start) / 1e9);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void fill(String bootstrap, String topic, EventCodec codec) throws Exception {
    List<SignedEvent> events = new ArrayList<>();
    Instant now = Instant.now();
    for (int s = 0; s < services; s++) {
      String service = s < REAL.size() ? REAL.get(s) : String.format("bench-service-%03d", s);
      // The simulator's services are critical breaches and roll back; the others are warnings the guards skip.
      BreachData b = new BreachData("b-" + service + "-green-hash_mismatch-bench", service, "green", "hash_mismatch",
          s < REAL.size() ? "critical" : "warning", "hash_mismatch", "deadbeefdeadbeef", "cdd01ef066bc6cf2", 0.5, 180, 1, now, null, "bench");
      events.add(codec.sign(CloudEvent.breach(CloudEvent.BREACH_OPENED, b)));
    }
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (int d = 0; d < deliveries; d++) {
        for (SignedEvent e : events) {
          sent.add(p.send(e.toRecord(topic)));
        }
      }
      p.flush();
      for (java.util.concurrent.Future<RecordMetadata> f : sent) {
        f.get(60, TimeUnit.SECONDS); // throws when it was not written
      }
    }
  }

  private static long committed(Admin admin, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
    return m.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}

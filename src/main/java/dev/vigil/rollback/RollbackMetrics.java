package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rollback controller metrics of metrics-v1 on a Micrometer registry (the Prometheus registry
 * of {@code MonitorMetrics} when monitor and controller share one {@code /metrics}):
 * {@code constitutional_rollbacks_total{service,status}},
 * {@code constitutional_rollback_duration_seconds{service}} (histogram),
 * {@code constitutional_rollback_events_rejected_total{reason}},
 * {@code constitutional_rollback_dead_lettered_total{reason}},
 * {@code constitutional_rollback_store_corrupt_records_total} and
 * {@code constitutional_traffic_weight{service,environment}}. The per-partition consumer gauges are
 * {@link PartitionProgress}'s.
 *
 * <p>Thread-safe: meters are registered idempotently and gauges read atomic holders.
 */
public final class RollbackMetrics {
  private static final Duration[] BUCKETS = {Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(120), Duration.ofSeconds(300)};

  private final MeterRegistry registry;
  private final Map<List<String>, AtomicInteger> weights = new ConcurrentHashMap<>();

  public RollbackMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One finished rollback: counted by status, its duration observed (event received to finished). */
  public void finished(RollbackFinished o, Duration sinceReceived) {
    Counter.builder("constitutional.rollbacks").description("Finished rollbacks by status")
        .tags("service", o.service(), "status", o.status().label()).register(registry).increment();
    Timer.builder("constitutional.rollback.duration").description("Event received to rollback finished")
        .tags("service", o.service()).serviceLevelObjectives(BUCKETS).register(registry).record(sinceReceived);
  }

  /** An event not acted on: {@code untrusted_event}, {@code malformed}, {@code duplicate}. */
  public void rejected(String reason) {
    Counter.builder("constitutional.rollback.events.rejected").description("Breach events not acted on, by reason")
        .tags("reason", reason).register(registry).increment();
  }

  /** A breaches record sent to the dead-letter topic and committed, by the failure's reason. */
  public void deadLettered(String reason) {
    Counter.builder("constitutional.rollback.dead.lettered")
        .description("Breaches records sent to the dead-letter topic and committed, by reason")
        .tags("reason", reason).register(registry).increment();
  }

  /** Exports the de-duplication store's count of records skipped as corrupt at recovery. */
  public void storeCorruptRecords(DedupStore store) {
    FunctionCounter.builder("constitutional.rollback.store.corrupt.records", store, DedupStore::corruptRecords)
        .description("De-duplication records skipped as corrupt during recovery").register(registry);
  }

  /** The registry the metrics are on. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The weights the controller last set for {@code service}. */
  public void weights(String service, String from, String to, Weights w) {
    weight(service, from).set(w.green());
    weight(service, to).set(w.blue());
  }

  private AtomicInteger weight(String service, String environment) {
    return weights.computeIfAbsent(List.of(service, environment), k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder("constitutional.traffic.weight", v, AtomicInteger::get)
          .description("The routing weight the controller last set, 0..100")
          .tags(Tags.of("service", service, "environment", environment)).register(registry);
      return v;
    });
  }
}

package dev.vigil.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event metrics of metrics-v1 ({@code constitutional_events_outbox_pending},
 * {@code constitutional_events_published_total{type}}, {@code constitutional_events_publish_errors_total},
 * {@code constitutional_events_outbox_corrupt_records_total},
 * {@code constitutional_events_dead_lettered_total{reason}}) and
 * {@code constitutional_events_outbox_refused_total} (events refused by a full outbox), on the
 * monitor's registry. Thread-safe: counters are atomic, the gauge reads an atomic.
 */
public final class EventMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger pending = new AtomicInteger();
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final Counter errors;
  private final Counter refused;
  private final Counter corrupt;
  private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();

  public EventMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("constitutional.events.outbox.pending", pending, AtomicInteger::get)
        .description("Events written to the outbox, not yet acknowledged by Kafka").register(registry);
    errors = Counter.builder("constitutional.events.publish.errors")
        .description("Failed send attempts (each retried)").register(registry);
    refused = Counter.builder("constitutional.events.outbox.refused")
        .description("Events refused because the outbox was full or could not be written").register(registry);
    corrupt = Counter.builder("constitutional.events.outbox.corrupt.records")
        .description("Records skipped as corrupt during outbox recovery (the damaged file is kept aside)")
        .register(registry);
    deadLetterCounter(OutboxPublisher.TOO_LARGE);
    published(CloudEvent.BREACH_OPENED);
    published(CloudEvent.BREACH_RESOLVED);
  }

  public void setPending(int n) {
    pending.set(n);
  }

  public int pending() {
    return pending.get();
  }

  public void published(String type, int n) {
    published(type).increment(n);
  }

  public void publishError() {
    errors.increment();
  }

  public void refused() {
    refused.increment();
  }

  /** Records the outbox skipped as corrupt when it was recovered. */
  public void corruptRecords(long n) {
    corrupt.increment(n);
  }

  /** One event moved to the dead-letter file; {@code reason} is one of a fixed few labels. */
  public void deadLettered(String reason) {
    deadLetterCounter(reason).increment();
  }

  public double corruptRecordsCount() {
    return corrupt.count();
  }

  public double deadLetteredCount(String reason) {
    return deadLetterCounter(reason).count();
  }

  public double publishedCount(String type) {
    return published(type).count();
  }

  public double errorCount() {
    return errors.count();
  }

  public double refusedCount() {
    return refused.count();
  }

  private Counter published(String type) {
    return published.computeIfAbsent(type, t -> Counter.builder("constitutional.events.published")
        .description("Events acknowledged by Kafka").tag("type", t).register(registry));
  }

  private Counter deadLetterCounter(String reason) {
    return deadLettered.computeIfAbsent(reason, r -> Counter.builder("constitutional.events.dead.lettered")
        .description("Events moved aside because they can never be sent (e.g. too large)").tag("reason", r)
        .register(registry));
  }
}

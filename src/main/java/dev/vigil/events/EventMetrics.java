package dev.vigil.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event metrics of metrics-v1 ({@code constitutional_events_outbox_pending},
 * {@code constitutional_events_published_total{type}}, {@code constitutional_events_publish_errors_total})
 * and {@code constitutional_events_outbox_refused_total} (events refused by a full outbox), on the
 * monitor's registry. Thread-safe: counters are atomic, the gauge reads an atomic.
 */
public final class EventMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger pending = new AtomicInteger();
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final Counter errors;
  private final Counter refused;

  public EventMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("constitutional.events.outbox.pending", pending, AtomicInteger::get)
        .description("Events written to the outbox, not yet acknowledged by Kafka").register(registry);
    errors = Counter.builder("constitutional.events.publish.errors")
        .description("Failed send attempts (each retried)").register(registry);
    refused = Counter.builder("constitutional.events.outbox.refused")
        .description("Events refused because the outbox was full or could not be written").register(registry);
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
}

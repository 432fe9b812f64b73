package dev.vigil.events;

import dev.vigil.config.EventsConfig;
import dev.vigil.config.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's whole publishing side, assembled from the configuration: outbox (recovered, so
 * events from before a restart are sent first), producer, publisher loop and the sink the monitor
 * calls. {@link #close} stops them in order; pending events stay in the outbox. Thread-safe.
 */
public final class KafkaEventPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPipeline.class);

  private final Outbox outbox;
  private final Producer<byte[], byte[]> producer;
  private final OutboxPublisher publisher;
  private final OutboxEventSink sink;
  private final EventMetrics metrics;

  private KafkaEventPipeline(Outbox outbox, Producer<byte[], byte[]> producer, OutboxPublisher publisher,
      OutboxEventSink sink, EventMetrics metrics) {
    this.outbox = outbox;
    this.producer = producer;
    this.publisher = publisher;
    this.sink = sink;
    this.metrics = metrics;
  }

  /** Opens the outbox, creates the producer and starts draining; {@code registry} gets the event metrics. */
  public static KafkaEventPipeline start(String monitorId, KafkaConfig kafka, EventsConfig events,
      MeterRegistry registry) throws IOException {
    if (!kafka.enabled() || events.signingKey() == null) {
      throw new IllegalArgumentException("Kafka events need kafka.bootstrapServers and events.signingKey");
    }
    Outbox outbox = Outbox.open(events.outboxDir(), events.outboxCapacity());
    EventMetrics metrics = new EventMetrics(registry);
    Producer<byte[], byte[]> producer = KafkaProducers.create(kafka);
    OutboxPublisher publisher = new OutboxPublisher(outbox, producer, kafka.breachesTopic(), metrics,
        Duration.ofMillis(100), Duration.ofSeconds(5)).start();
    OutboxEventSink sink = new OutboxEventSink(monitorId, new EventCodec(events.signingKey()), outbox, publisher,
        metrics);
    LOG.info("breach events go to Kafka {} topic {} through the outbox {} ({} pending, capacity {}), signed by key {}",
        kafka.bootstrapServers(), kafka.breachesTopic(), events.outboxDir(), outbox.pendingCount(),
        events.outboxCapacity(), events.signingKey().keyId().substring(0, 12));
    return new KafkaEventPipeline(outbox, producer, publisher, sink, metrics);
  }

  public OutboxEventSink sink() {
    return sink;
  }

  public OutboxPublisher publisher() {
    return publisher;
  }

  public Outbox outbox() {
    return outbox;
  }

  public EventMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    sink.close();
    publisher.close();
    producer.close(Duration.ofSeconds(5));
    try {
      outbox.close();
    } catch (IOException e) {
      LOG.warn("closing the outbox: {}", e.toString());
    }
  }
}

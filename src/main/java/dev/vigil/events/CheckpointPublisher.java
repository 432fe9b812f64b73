package dev.vigil.events;

import dev.vigil.config.EventsConfig;
import dev.vigil.config.KafkaConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the monitor's signed evidence checkpoints to {@value #TOPIC} (events-v1: key = monitorId,
 * value = the checkpoint text) through an outbox of their own ({@code <events.outboxDir>/checkpoints}):
 * a checkpoint is durable in the outbox before {@link #publish} returns and is sent, retried and
 * acknowledged by an {@link OutboxPublisher} like a breach event, so none is lost across a Kafka
 * outage or a restart. Its producer is its own; its publishing figures are not exported (the
 * breach outbox's {@code constitutional_events_*} are those of breach events). Thread-safe;
 * {@link #publish} blocks on an fsync: call it off the event loop.
 */
public final class CheckpointPublisher implements AutoCloseable {
  /** The topic of events-v1. */
  public static final String TOPIC = "constitutional.checkpoints";
  /** The {@code ce_type} header of a checkpoint record. */
  public static final String TYPE = "dev.vigil.evidence.checkpoint";
  /** The outbox's directory under {@code events.outboxDir}. */
  public static final String DIR = "checkpoints";
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);
  /** How long {@link #close} waits for pending checkpoints to be sent. */
  static final long DRAIN_MS = 3_000;

  private final String monitorId;
  private final Outbox outbox;
  private final Producer<byte[], byte[]> producer;
  private final OutboxPublisher publisher;

  private CheckpointPublisher(String monitorId, Outbox outbox, Producer<byte[], byte[]> producer,
      OutboxPublisher publisher) {
    this.monitorId = monitorId;
    this.outbox = outbox;
    this.producer = producer;
    this.publisher = publisher;
  }

  /** Opens the outbox (checkpoints from before a restart are sent first) and starts draining it. */
  public static CheckpointPublisher start(String monitorId, KafkaConfig kafka, EventsConfig events) throws IOException {
    Outbox outbox = Outbox.open(events.outboxDir().resolve(DIR), events.outboxCapacity());
    Producer<byte[], byte[]> producer = KafkaProducers.create(kafka);
    OutboxPublisher publisher = new OutboxPublisher(outbox, producer, TOPIC, new EventMetrics(new SimpleMeterRegistry()),
        Duration.ofMillis(100), Duration.ofSeconds(5)).start();
    LOG.info("evidence checkpoints go to Kafka {} topic {} through the outbox {} ({} pending)", kafka.bootstrapServers(),
        TOPIC, events.outboxDir().resolve(DIR), outbox.pendingCount());
    return new CheckpointPublisher(monitorId, outbox, producer, publisher);
  }

  /** Appends the signed checkpoint {@code note} to the outbox (durable on return) and wakes the publisher. */
  public void publish(String note) {
    SignedEvent e = new SignedEvent(UuidV7.next().toString(), TYPE, "vigil/monitor/" + monitorId, monitorId,
        note.getBytes(StandardCharsets.UTF_8));
    Outbox.AppendResult r = outbox.append(e);
    if (r instanceof Outbox.Refused refused) {
      LOG.error("evidence checkpoint not queued for {}: {}", TOPIC, refused.reason());
      return;
    }
    publisher.wake();
  }

  /** Checkpoints waiting for Kafka. */
  public int pending() {
    return outbox.pendingCount();
  }

  /** Waits (at most {@value #DRAIN_MS} ms) for the last checkpoints to reach Kafka, then stops; the rest stay in the outbox. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
    publisher.wake();
    while (outbox.pendingCount() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20); // bounded: the final checkpoint usually leaves within a round trip
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    publisher.close();
    producer.close(Duration.ofSeconds(5));
    try {
      outbox.close();
    } catch (IOException e) {
      LOG.warn("closing the checkpoint outbox: {}", e.toString());
    }
  }
}

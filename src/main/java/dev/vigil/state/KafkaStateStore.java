package dev.vigil.state;

import dev.vigil.config.KafkaConfig;
import dev.vigil.events.KafkaProducers;
import dev.vigil.score.TargetId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The store of a monitor with Kafka: the compacted topic {@value StateTopic#NAME}, key
 * {@code service/environment} (UTF-8), value the {@link SnapshotCodec} bytes, a null value to drop
 * a target (compaction then forgets it). {@link #open} creates the topic with
 * {@code cleanup.policy=compact} when it is absent and refuses a topic that exists without
 * compaction ({@link StateTopic}). A save returns once every record is acknowledged by all in-sync
 * replicas (the event producer's settings: acks=all, idempotent). A load reads the topic from its
 * start to its end as of the load; a record it cannot read fails the load, naming topic, partition,
 * offset and key. Every record carries the header {@value #SAVED_BY} (UTF-8): the {@code monitorId} of
 * the monitor that wrote it, so that the fleet-wide view ({@link KafkaFleetState}) can say which
 * instance of a group last owned a target.
 *
 * <p>Thread-safe (synchronized); blocking network I/O.
 */
public final class KafkaStateStore implements StateStore {
  /** The state topic: {@code constitutional.monitor-state}. */
  public static final String TOPIC = StateTopic.NAME;
  /** The record header naming the monitor that wrote the record. */
  public static final String SAVED_BY = "vigil-monitor";
  private final KafkaConfig kafka;
  private final String topic;
  private final Producer<byte[], byte[]> producer;
  private final byte[] savedBy;

  private KafkaStateStore(KafkaConfig kafka, String topic, Producer<byte[], byte[]> producer, String monitorId) {
    this.kafka = kafka;
    this.topic = topic;
    this.producer = producer;
    this.savedBy = monitorId == null ? null : monitorId.getBytes(StandardCharsets.UTF_8);
  }

  /** Checks (or creates) the topic {@value StateTopic#NAME}, then opens the producer; records name no monitor. */
  public static KafkaStateStore open(KafkaConfig kafka) throws IOException {
    return open(kafka, StateTopic.NAME, null);
  }

  /** As {@link #open(KafkaConfig)}, every record naming {@code monitorId} in its {@value #SAVED_BY} header. */
  public static KafkaStateStore openAs(KafkaConfig kafka, String monitorId) throws IOException {
    return open(kafka, StateTopic.NAME, monitorId);
  }

  static KafkaStateStore open(KafkaConfig kafka, String topic) throws IOException {
    return open(kafka, topic, null);
  }

  static KafkaStateStore open(KafkaConfig kafka, String topic, String monitorId) throws IOException {
    StateTopic.ensure(kafka, topic);
    return new KafkaStateStore(kafka, topic, KafkaProducers.create(kafka), monitorId);
  }

  @Override
  public String source() {
    return "kafka";
  }

  @Override
  public synchronized Map<TargetId, TargetSnapshot> load(Predicate<TargetId> which) throws IOException {
    Map<TargetId, TargetSnapshot> out = new TreeMap<>();
    try (Consumer<byte[], byte[]> consumer = StateTopic.consumer(kafka, kafka.clientId() + "-state-load")) {
      StateTopic.readToEnd(consumer, topic, Duration.ofMillis(Math.max(10_000, kafka.deliveryTimeout().toMillis())),
          r -> apply(r, which, out));
    }
    return out;
  }

  private static void apply(ConsumerRecord<byte[], byte[]> r, Predicate<TargetId> which,
      Map<TargetId, TargetSnapshot> out) throws StateFormatException {
    TargetId id = StateTopic.target(r);
    if (id == null || !which.test(id)) {
      return;
    }
    if (r.value() == null) {
      out.remove(id);
    } else {
      out.put(id, StateTopic.decode(r));
    }
  }

  @Override
  public synchronized void save(Collection<TargetSnapshot> snapshots) throws IOException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(snapshots.size());
    for (TargetSnapshot s : snapshots) {
      sent.add(producer.send(record(key(s.target()), SnapshotCodec.encode(s))));
    }
    await(sent);
  }

  @Override
  public synchronized void drop(Collection<TargetId> targets) throws IOException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(targets.size());
    for (TargetId t : targets) {
      sent.add(producer.send(record(key(t), null)));
    }
    await(sent);
  }

  private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, value);
    if (savedBy != null) {
      r.headers().add(SAVED_BY, savedBy);
    }
    return r;
  }

  private void await(List<Future<RecordMetadata>> sent) throws IOException {
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IOException("cannot write the target state to the Kafka topic " + topic + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing the target state to " + topic, e);
      }
    }
  }

  private static byte[] key(TargetId t) {
    return TargetSnapshot.key(t).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    producer.close(Duration.ofSeconds(5));
  }
}

package dev.vigil.cli;

import dev.vigil.attest.TrustStore;
import dev.vigil.events.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The migration demo reads back what the controller published on a topic: every record from the
 * beginning to the end offsets, each verified as a signed CloudEvent against the trusted keys.
 * Blocking (a Kafka consumer); call it off the event loop. Not thread-safe.
 */
final class DemoEvents {
  private DemoEvents() {}

  /** Verified events by type, and the records that did not verify. */
  record Tally(Map<String, Integer> verified, int rejected) {
    int total() {
      return verified.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  static Tally read(String bootstrap, String topic, TrustStore trusted, Instant now, Duration within) {
    Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, Integer> verified = new TreeMap<>();
    int rejected = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, within).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, within);
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (EventCodec.verify(r.value(), trusted, now) instanceof EventCodec.Accepted a) {
            verified.merge(a.event().type(), 1, Integer::sum);
          } else {
            rejected++;
          }
        }
      }
    }
    return new Tally(verified, rejected);
  }
}

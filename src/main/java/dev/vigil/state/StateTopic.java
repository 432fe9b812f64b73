package dev.vigil.state;

import dev.vigil.config.KafkaConfig;
import dev.vigil.score.TargetId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted state topic ({@value #NAME}, another name in tests): its creation and check, and
 * reading it from its start to its end. Shared by {@link KafkaStateStore} and {@link KafkaFleetState}. Stateless; blocking.
 */
final class StateTopic {
  private static final Logger LOG = LoggerFactory.getLogger(StateTopic.class);
  static final String NAME = "constitutional.monitor-state";
  /** Partitions of the topic when Vigil creates it. */
  static final int PARTITIONS = 16;
  private static final long ADMIN_TIMEOUT_S = 30;

  private StateTopic() {}

  /** Creates the topic compacted if absent; refuses one that exists without compaction. */
  static void ensure(KafkaConfig kafka, String topic) throws IOException {
    Map<String, Object> p = new HashMap<>(kafka.properties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.clientId() + "-state-admin");
    p.keySet().removeIf(k -> !AdminClientConfig.configNames().contains(k));
    try (Admin admin = Admin.create(p)) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
            .all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
        LOG.info("created the Kafka topic {} ({} partitions, cleanup.policy=compact) for the target state", topic,
            PARTITIONS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw failure("cannot create", topic, e.getCause());
        }
      }
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = admin.describeConfigs(List.of(res)).all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS).get(res);
      String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null ? ""
          : config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      if (!List.of(policy.replace(" ", "").split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        throw new IOException("the Kafka topic " + topic + " exists with cleanup.policy=" + policy + ": Vigil keeps the"
            + " target state only in a compacted topic (one latest snapshot per target, kept forever); set"
            + " cleanup.policy=compact on " + topic + " or delete it so that Vigil creates it");
      }
    } catch (ExecutionException e) {
      throw failure("cannot check", topic, e.getCause());
    } catch (TimeoutException e) {
      throw failure("timed out checking", topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted checking", topic, e);
    }
  }

  private static IOException failure(String what, String topic, Throwable cause) {
    return new IOException(what + " the Kafka topic " + topic + " for the target state: " + cause.getMessage(), cause);
  }

  /** A consumer without a group (partitions are assigned by hand), reading from the start. */
  static Consumer<byte[], byte[]> consumer(KafkaConfig kafka, String clientId) {
    Map<String, Object> p = new HashMap<>(kafka.properties());
    p.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /** Handles one record; may refuse it. */
  @FunctionalInterface
  interface RecordHandler {
    void accept(ConsumerRecord<byte[], byte[]> r) throws StateFormatException;
  }

  /** Assigns every partition, reads each from its start to its end as of now into {@code handler}. */
  static List<TopicPartition> readToEnd(Consumer<byte[], byte[]> consumer, String topic, Duration timeout,
      RecordHandler handler) throws IOException {
    List<TopicPartition> parts = partitions(consumer, topic, timeout);
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
    Instant deadline = Instant.now().plus(timeout);
    while (!reached(consumer, end)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("timed out reading the Kafka topic " + topic + " to its end (" + end + ")");
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        handler.accept(r);
      }
    }
    return parts;
  }

  static List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer, String topic, Duration timeout)
      throws IOException {
    try {
      List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IOException("the Kafka topic " + topic + " does not exist");
      }
      return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    } catch (UnknownTopicOrPartitionException e) {
      throw new IOException("the Kafka topic " + topic + " does not exist", e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IOException("cannot read the Kafka topic " + topic + ": " + e.getMessage(), e);
    }
  }

  private static boolean reached(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The target of a record's key, or null (logged) for a key that is not {@code service/environment}. */
  static TargetId target(ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    int slash = key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1) {
      LOG.warn("{}-{} offset {}: a record whose key is not service/environment, ignored", r.topic(), r.partition(),
          r.offset());
      return null;
    }
    return new TargetId(key.substring(0, slash), key.substring(slash + 1));
  }

  /** The snapshot of a record, refused (named by partition, offset and key) when unreadable or not its key's. */
  static TargetSnapshot decode(ConsumerRecord<byte[], byte[]> r) throws StateFormatException {
    String where = r.topic() + "-" + r.partition() + " offset " + r.offset() + " (key "
        + new String(r.key(), StandardCharsets.UTF_8) + ")";
    try {
      TargetSnapshot s = SnapshotCodec.decodeSnapshot(r.value());
      if (!TargetSnapshot.key(s.target()).equals(new String(r.key(), StandardCharsets.UTF_8))) {
        throw new StateFormatException("the snapshot is of " + s.target());
      }
      return s;
    } catch (StateFormatException e) {
      throw new StateFormatException("the Kafka record " + where + " cannot be read: " + e.getMessage());
    }
  }
}

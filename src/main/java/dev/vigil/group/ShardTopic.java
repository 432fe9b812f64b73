package dev.vigil.group;

import dev.vigil.config.GroupConfig;
import dev.vigil.config.KafkaConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group topic {@value #NAME}: one partition per shard, no records; its partitions are what the
 * consumer group assigns. Created with {@code group.shards} partitions when absent; one with another
 * partition count is refused (targets hashed to shards that have no partition would be polled by
 * nobody, or two instances would hash differently). Stateless; blocking.
 */
public final class ShardTopic {
  private static final Logger LOG = LoggerFactory.getLogger(ShardTopic.class);
  /** The group topic. */
  public static final String NAME = "constitutional.monitor-shards";
  private static final long ADMIN_TIMEOUT_S = 30;

  private ShardTopic() {}

  /** Creates {@code topic} with {@code group.shards} partitions if absent; refuses one with another count. */
  static void ensure(KafkaConfig kafka, GroupConfig group, String topic) throws IOException {
    Map<String, Object> p = new HashMap<>(kafka.properties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.clientId() + "-group-admin");
    p.keySet().removeIf(k -> !AdminClientConfig.configNames().contains(k));
    try (Admin admin = Admin.create(p)) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(group.shards()), Optional.empty())))
            .all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
        LOG.info("created the Kafka topic {} ({} partitions, one per shard) for the group {}", topic, group.shards(),
            group.name());
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IOException("cannot create the Kafka topic " + topic + " for the group: " + e.getCause().getMessage(),
              e.getCause());
        }
      }
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS)
          .get(topic);
      if (d.partitions().size() != group.shards()) {
        throw new IOException("the Kafka topic " + topic + " has " + d.partitions().size() + " partitions but group.shards"
            + " is " + group.shards() + ": every instance must hash targets to the topic's partitions; set group.shards to "
            + d.partitions().size() + " or delete the topic so that Vigil creates it");
      }
    } catch (ExecutionException e) {
      throw new IOException("cannot check the Kafka topic " + topic + " for the group: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("timed out checking the Kafka topic " + topic + " for the group", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted checking the Kafka topic " + topic, e);
    }
  }
}

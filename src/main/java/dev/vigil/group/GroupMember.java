package dev.vigil.group;

import dev.vigil.config.GroupConfig;
import dev.vigil.config.KafkaConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's membership in a group of monitors: a Kafka consumer in the group {@code group.name}
 * (classic protocol, cooperative-sticky assignor: a member joining or leaving moves only the shards
 * that must move) subscribed to {@link ShardTopic#NAME}, on a thread of its own. No record flows;
 * the assignment is the point. Its rebalance listener hands assigned, revoked and lost shards to a
 * {@link ShardOwner} and waits for each handover, so a revoked shard's state is durable before Kafka
 * gives it to another member. A member that has heard nothing from the group coordinator for longer
 * than {@code group.sessionTimeout} has been evicted by now: it stops polling everything (a WARN
 * line, {@code constitutional_monitor_shards_owned} 0) until Kafka assigns it shards again.
 *
 * <p>Thread-safe: {@link #owned()} from any thread; {@link #close()} once.
 */
public final class GroupMember implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);
  /** How long one consumer poll blocks: how soon a rebalance is joined and a lost session noticed. */
  private static final Duration POLL = Duration.ofMillis(100);

  private final GroupConfig group;
  private final ShardOwner owner;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** Shards handed to the owner; written on the consumer thread only. */
  private final Set<Integer> owned = new TreeSet<>();
  private final AtomicInteger ownedCount = new AtomicInteger();
  private volatile Set<Integer> ownedView = Set.of();
  private volatile boolean closing;
  /** When Kafka last called the rebalance listener ({@link System#nanoTime}): proof of membership then. */
  private long lastRebalance = System.nanoTime();

  private GroupMember(KafkaConfig kafka, GroupConfig group, String topic, ShardOwner owner) {
    this.group = group;
    this.owner = owner;
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(settings(kafka, group));
    this.thread = new Thread(this::run, "vigil-group-" + group.name());
    this.thread.setDaemon(true);
  }

  /**
   * Checks (or creates) the group topic, registers {@code constitutional_monitor_shards_owned{group}}
   * in {@code registry} and joins the group. Blocking.
   *
   * @throws IOException naming the topic when it cannot be created or has another partition count
   */
  public static GroupMember join(KafkaConfig kafka, GroupConfig group, ShardOwner owner, MeterRegistry registry)
      throws IOException {
    return join(kafka, group, ShardTopic.NAME, owner, registry);
  }

  static GroupMember join(KafkaConfig kafka, GroupConfig group, String topic, ShardOwner owner, MeterRegistry registry)
      throws IOException {
    ShardTopic.ensure(kafka, group, topic);
    GroupMember m = new GroupMember(kafka, group, topic, owner);
    if (registry != null) {
      Gauge.builder("constitutional.monitor.shards.owned", m.ownedCount, AtomicInteger::get)
          .description("Shards (partitions of the group topic) this instance polls").tag("group", group.name())
          .register(registry);
    }
    m.thread.start();
    return m;
  }

  static Map<String, Object> settings(KafkaConfig kafka, GroupConfig group) {
    Map<String, Object> p = new HashMap<>(kafka.properties());
    p.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, kafka.clientId() + "-group");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group.name());
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) group.sessionTimeout().toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) group.heartbeatInterval().toMillis());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** The shards this instance polls now, sorted. */
  public Set<Integer> owned() {
    return ownedView;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Listener());
      while (!closing) {
        try {
          consumer.poll(POLL);
          checkSession();
        } catch (WakeupException e) {
          throw e;
        } catch (org.apache.kafka.common.KafkaException e) {
          LOG.error("group {}: the consumer failed: {}; retrying", group.name(), e.getMessage());
          checkSession();
          sleep(group.heartbeatInterval());
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        LOG.error("group {}: the membership stopped unexpectedly", group.name(), e);
      }
    } catch (RuntimeException e) {
      LOG.error("group {}: the membership stopped: {}; this instance polls nothing", group.name(), e.getMessage(), e);
      lose("the membership thread stopped");
    } finally {
      try {
        consumer.close(); // revokes what it owns (handed over, saved) and leaves the group at once
      } catch (RuntimeException e) {
        LOG.warn("group {}: leaving the group failed: {}", group.name(), e.getMessage());
      }
      stopped.countDown();
    }
  }

  /**
   * Without a heartbeat for longer than the session timeout the coordinator has evicted this member
   * (or cannot be reached): what it owns belongs to others now. It leaves and joins afresh, so that
   * it owns shards again only through a new assignment (restored from the durable state).
   */
  private void checkSession() {
    double since = Math.min(heartbeatAgeSeconds(), (System.nanoTime() - lastRebalance) / 1e9);
    if (!owned.isEmpty() && since * 1000 > group.sessionTimeout().toMillis()) {
      lose(String.format(java.util.Locale.ROOT, "no heartbeat reached the group coordinator for %.1f s (session timeout"
          + " %d ms)", since, group.sessionTimeout().toMillis()));
      consumer.unsubscribe();
      consumer.subscribe(List.of(topic), new Listener());
    }
  }

  private double heartbeatAgeSeconds() {
    for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
      if (e.getKey().name().equals("last-heartbeat-seconds-ago")) {
        Object v = e.getValue().metricValue();
        return v instanceof Number n ? n.doubleValue() : 0;
      }
    }
    return 0;
  }

  private void lose(String why) {
    if (owned.isEmpty()) {
      return;
    }
    LOG.warn("group {}: lost the Kafka group session ({}): this instance no longer owns shards {} and stops polling"
        + " their targets until the group assigns it shards again", group.name(), why, owned);
    owned.clear();
    publish();
    owner.lost();
  }

  private void assign(Set<Integer> added) {
    added.removeAll(owned);
    if (added.isEmpty()) {
      return;
    }
    owner.assigned(Set.copyOf(added));
    owned.addAll(added);
    publish();
    LOG.info("group {}: assigned shards {}; owning {} of {}", group.name(), added, owned.size(), group.shards());
  }

  private void publish() {
    ownedView = Set.copyOf(new TreeSet<>(owned));
    ownedCount.set(owned.size());
  }

  private static Set<Integer> shards(Collection<TopicPartition> parts) {
    Set<Integer> s = new TreeSet<>();
    parts.forEach(p -> s.add(p.partition()));
    return s;
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      lastRebalance = System.nanoTime();
      assign(shards(partitions));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      lastRebalance = System.nanoTime();
      Set<Integer> gone = shards(partitions);
      gone.retainAll(owned);
      if (gone.isEmpty()) {
        return;
      }
      owner.revoked(Set.copyOf(gone));
      owned.removeAll(gone);
      publish();
      LOG.info("group {}: revoked shards {} (state saved); owning {}", group.name(), gone, owned.size());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      lose("the group coordinator no longer knows this member");
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Hands back what it owns (saved first) and leaves the group. */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

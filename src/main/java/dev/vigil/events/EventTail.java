package dev.vigil.events;

import dev.vigil.attest.TrustStore;
import dev.vigil.config.KafkaConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only tail of events-v1 topics: no consumer group (every partition assigned by hand, read
 * from its start, nothing committed), each record's value verified by {@link EventCodec#verify}
 * against the trusted producer keys exactly as the rollback controller verifies breach events, and
 * only verified events handed on. A record that does not verify is counted and logged (the first,
 * then every {@value #LOG_EVERY}th) with its coordinates, never handed on. A topic that does not
 * exist yet is looked for again every few seconds (the tail never creates one); partitions added
 * later are picked up within {@link #RECHECK}.
 *
 * <p>Polls on a daemon thread of its own (a Kafka consumer blocks): the listener is called there,
 * in each partition's order, and must be thread-safe. {@link #close()} stops it. Thread-safe.
 */
public final class EventTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventTail.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration MISSING_RECHECK = Duration.ofSeconds(2);
  static final Duration RECHECK = Duration.ofSeconds(30);
  private static final int LOG_EVERY = 100;

  /** Receives the verified events, on the tail's thread. */
  @FunctionalInterface
  public interface Listener {
    void accepted(String topic, CloudEvent event);

    /** A record that failed verification (unsigned, untrusted key, tampered, malformed). */
    default void rejected(String topic, EventCodec.Rejected why) {}
  }

  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final TrustStore trusted;
  private final Clock clock;
  private final Listener listener;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private volatile boolean closing;
  private volatile Set<String> found = Set.of();

  private EventTail(Consumer<byte[], byte[]> consumer, List<String> topics, TrustStore trusted, Clock clock,
      Listener listener, String name) {
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.trusted = trusted;
    this.clock = clock;
    this.listener = listener;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts tailing {@code topics} of {@code kafka} (its security settings apply) as client {@code
   * clientId}. Creating the consumer does no I/O; the thread connects.
   */
  public static EventTail start(KafkaConfig kafka, String clientId, List<String> topics, TrustStore trusted,
      Clock clock, Listener listener) {
    EventTail t = new EventTail(new KafkaConsumer<>(settings(kafka, clientId)), topics, trusted, clock, listener,
        "vigil-event-tail-" + String.join("+", topics));
    t.thread.start();
    return t;
  }

  /** The settings of a consumer without a group that never commits, never creates a topic, reads committed records. */
  static Map<String, Object> settings(KafkaConfig kafka, String clientId) {
    Map<String, Object> p = new HashMap<>(kafka.properties());
    p.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Verified events handed on so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Records refused so far. */
  public long rejected() {
    return rejected.get();
  }

  /** The topics found so far (a topic that does not exist yet is missing). */
  public Set<String> found() {
    return found;
  }

  private void run() {
    long nextCheck = 0;
    try {
      while (!closing) {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
          boolean all = discover();
          nextCheck = now + (all ? RECHECK : MISSING_RECHECK).toNanos();
        }
        if (assigned.isEmpty()) {
          if (stop.await(MISSING_RECHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          handle(r);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        LOG.error("the event tail of {} was woken up unexpectedly", topics, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closing) {
        LOG.error("the event tail of {} stopped: {}", topics, e.toString(), e);
      }
    } finally {
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the event tail of {}: {}", topics, e.toString());
      }
    }
  }

  /** Assigns partitions not held yet (read from their start); true when every topic was found. */
  private boolean discover() {
    List<TopicPartition> added = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String topic : topics) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      } catch (WakeupException e) {
        throw e;
      } catch (org.apache.kafka.common.KafkaException e) {
        LOG.debug("event tail: topic {} not readable yet: {}", topic, e.toString());
        continue;
      }
      if (infos == null || infos.isEmpty()) {
        continue;
      }
      seen.add(topic);
      for (PartitionInfo i : infos) {
        TopicPartition tp = new TopicPartition(topic, i.partition());
        if (!assigned.contains(tp)) {
          added.add(tp);
        }
      }
    }
    if (!added.isEmpty()) {
      assigned.addAll(added);
      consumer.assign(List.copyOf(assigned));
      consumer.seekToBeginning(added);
      LOG.info("event tail: reading {} from the start", added);
    }
    found = Set.copyOf(seen);
    return seen.size() == topics.size();
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    EventCodec.Decoded d = r.value() == null
        ? new EventCodec.Rejected(EventCodec.Reason.MALFORMED, "the record has no value")
        : EventCodec.verify(r.value(), trusted, clock.instant());
    if (d instanceof EventCodec.Accepted a) {
      accepted.incrementAndGet();
      listener.accepted(r.topic(), a.event());
      return;
    }
    EventCodec.Rejected why = (EventCodec.Rejected) d;
    long n = rejected.incrementAndGet();
    if (n == 1 || n % LOG_EVERY == 0) {
      LOG.warn("event tail: record {}-{}@{} rejected, not shown ({}: {}); {} rejected so far", r.topic(), r.partition(),
          r.offset(), why.reason().label(), printable(why.detail()), n);
    }
    listener.rejected(r.topic(), why);
  }

  private static String printable(String s) {
    String clipped = s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "…";
    StringBuilder b = new StringBuilder(clipped.length());
    clipped.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }

  /** Stops the thread and closes the consumer (waits at most 10 s). */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    stop.countDown(); // ends a wait for a missing topic; the thread closes the consumer
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

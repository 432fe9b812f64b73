package dev.vigil.state;

import dev.vigil.config.KafkaConfig;
import dev.vigil.score.TargetId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet-wide state of a group: tails the compacted topic {@value StateTopic#NAME} read-only
 * (no consumer group, every partition assigned, from the start) on a thread of its own, keeping the
 * latest {@link FleetState.Entry} of every target (its score over {@code scoringWindow} as of its
 * saving, and the monitor named by the record's {@value KafkaStateStore#SAVED_BY} header); a
 * tombstone removes one. A record it cannot read is logged (topic, partition, offset, key) and
 * skipped: this view judges nothing. Thread-safe.
 */
public final class KafkaFleetState implements FleetState {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFleetState.class);
  private final Map<TargetId, Entry> latest = new ConcurrentHashMap<>();
  private final Duration scoringWindow;
  private static final int OWNERS = 1024;
  /** Monitor names seen, canonical; touched by the tailing thread only. */
  private final Map<String, String> owners = new java.util.HashMap<>();
  private final Consumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean caughtUp;
  private volatile boolean closing;

  private final String topic;

  private KafkaFleetState(Consumer<byte[], byte[]> consumer, String topic, Duration scoringWindow) {
    this.consumer = consumer;
    this.topic = topic;
    this.scoringWindow = scoringWindow;
    this.thread = new Thread(this::run, "vigil-fleet-state");
    this.thread.setDaemon(true);
  }

  /**
   * Starts tailing, scoring each target over {@code scoringWindow}; the topic must exist (a {@link
   * KafkaStateStore} opened first creates it).
   */
  public static KafkaFleetState open(KafkaConfig kafka, Duration scoringWindow) {
    return open(kafka, StateTopic.NAME, scoringWindow);
  }

  static KafkaFleetState open(KafkaConfig kafka, String topic, Duration scoringWindow) {
    KafkaFleetState v = new KafkaFleetState(StateTopic.consumer(kafka, kafka.clientId() + "-fleet-state"), topic,
        scoringWindow);
    v.thread.start();
    return v;
  }

  @Override
  public Map<TargetId, Entry> latest() {
    return Collections.unmodifiableMap(new TreeMap<>(latest));
  }

  @Override
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    try {
      StateTopic.readToEnd(consumer, topic, Duration.ofMinutes(5), this::apply);
      caughtUp = true;
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          apply(r);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        LOG.error("the fleet state view stopped unexpectedly", e);
      }
    } catch (IOException | RuntimeException e) {
      if (!closing) {
        LOG.error("the fleet state view of {} stopped: {}", topic, e.getMessage(), e);
      }
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    TargetId id = StateTopic.target(r);
    if (id == null) {
      return;
    }
    if (r.value() == null) {
      latest.remove(id);
      return;
    }
    try {
      Header by = r.headers().lastHeader(KafkaStateStore.SAVED_BY);
      Entry e = Entry.of(StateTopic.decode(r), by == null ? null : owner(by.value()), scoringWindow);
      latest.put(e.target(), e); // equal to id (decode checks), and one TargetId kept instead of two

    } catch (StateFormatException e) {
      LOG.error("fleet state view: {}; skipped", e.getMessage());
    }
  }

  /** One String per monitor name, however many targets it saved (a few names; at most {@value #OWNERS} kept). */
  private String owner(byte[] name) {
    String s = new String(name, StandardCharsets.UTF_8);
    return owners.size() < OWNERS ? owners.computeIfAbsent(s, k -> k) : owners.getOrDefault(s, s);
  }

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

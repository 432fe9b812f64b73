package dev.vigil.rollback;

import dev.vigil.config.KafkaConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's Kafka consumer: a plain kafka-clients {@link KafkaConsumer} in a consumer group on
 * the breaches topic, polled on its own thread (never an event loop). Records go to the handler on
 * one Vert.x context in batches ({@link BatchHandler}: the records a poll fetched for a partition,
 * at most {@value #MAX_BATCH}), one batch at a time per partition and in partition order
 * (partitions run side by side); a record's offset is committed, on the consumer thread, only
 * after the handler reported it finished. Auto-commit is off.
 *
 * <p>No record can stop a partition. A failed record is not committed: the partition seeks back to
 * it and it is delivered again after a pause (the engine resumes it without moving traffic twice).
 * A failure that is not retriable ({@link DeadLetters#retriable}) is tried {@code maxAttempts}
 * times; then the record goes to the {@link DeadLetters} and is committed. Retriable failures
 * (Kafka unreachable) are retried for as long as they last, visible in {@link PartitionProgress}
 * (lag, age of the oldest waiting record, readiness). A partition revoked by a
 * rebalance commits what is done; its records still in flight get a short grace to finish, after
 * which their completions are ignored (the new owner reads them again; the de-duplication store and
 * the idempotent actuators keep that from moving traffic twice). What it knows of each partition is
 * one {@link PartitionState}; pauses and grace are measured on the injected clock.
 */
public final class KafkaBreachConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBreachConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(20);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final Duration REVOKE_GRACE = Duration.ofSeconds(10);

  private static final int LOG_EVERY = 30;
  /** At most this many records of a partition go to the handler together. */
  static final int MAX_BATCH = 500;

  /** Handles one record; {@code later} are the records already fetched after it on its partition. */
  @FunctionalInterface
  public interface RecordHandler {
    Future<Void> handle(ConsumerRecord<byte[], byte[]> record, List<ConsumerRecord<byte[], byte[]>> later);
  }

  /**
   * A batch's end, reported from the Vert.x context to the consumer thread: its first {@code handled}
   * records finished (handled, or sent to the dead letters); {@code failure}, if set, is the next one's.
   */
  private record Done(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> batch, int handled, long generation,
      Throwable failure, boolean deadLettered) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Context context;
  private final BatchHandler handler;
  private final DeadLetters deadLetters;
  private final int maxAttempts;
  private final PartitionProgress progress;
  private final RollbackMetrics metrics;
  private final Clock clock;
  private final Thread thread;
  private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean ready;
  private volatile int assigned;

  // Consumer-thread state.
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private long generations;

  /**
   * As the batch constructor, handling one record at a time ({@link BatchHandler#sequential}).
   *
   * @param handler runs on {@code context} for each record; its future succeeding lets the offset be committed
   */
  public KafkaBreachConsumer(KafkaConfig kafka, String groupId, String clientId, Context context,
      RecordHandler handler, DeadLetters deadLetters, int maxAttempts, PartitionProgress progress,
      RollbackMetrics metrics, Clock clock) {
    this(kafka, groupId, clientId, context, BatchHandler.sequential(handler), deadLetters, maxAttempts, progress,
        metrics, clock);
  }

  /**
   * @param handler runs on {@code context} for each batch; the records it reports finished may be committed
   * @param deadLetters runs on {@code context} for a record that failed {@code maxAttempts} times, not retriably
   * @param clock measures the retry pause after a failure and the grace of a revoked partition
   */
  public KafkaBreachConsumer(KafkaConfig kafka, String groupId, String clientId, Context context,
      BatchHandler handler, DeadLetters deadLetters, int maxAttempts, PartitionProgress progress,
      RollbackMetrics metrics, Clock clock) {
    this.consumer = new KafkaConsumer<>(settings(kafka, groupId, clientId));
    this.topic = kafka.breachesTopic();
    this.context = context;
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.maxAttempts = maxAttempts;
    this.progress = progress;
    this.metrics = metrics;
    this.clock = clock;
    this.thread = new Thread(this::loop, "vigil-breach-consumer");
    this.thread.setDaemon(true);
  }

  /**
   * The consumer settings: the group, no auto-commit, earliest offsets for a new group, a 10 s
   * session (unless {@code kafka.properties} says otherwise), byte[] key and value.
   */
  public static Map<String, Object> settings(KafkaConfig kafka, String groupId, String clientId) {
    Map<String, Object> p = new HashMap<>(kafka.properties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // A crashed instance's partitions move to another after 10 s rather than Kafka's default 45 s.
    p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  public KafkaBreachConsumer start() {
    thread.start();
    return this;
  }

  /** True once the consumer joined its group and got an assignment (possibly empty), until it stops. */
  public boolean ready() {
    return ready && running && thread.isAlive();
  }

  /** Partitions currently assigned to this instance. */
  public int assignedPartitions() {
    return assigned;
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
          revoke(revoked, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
          revoke(lost, false);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
          for (TopicPartition tp : added) {
            partitions.put(tp, new PartitionState(tp, ++generations, maxAttempts, consumer.paused().contains(tp)));
            progress.assigned(tp.partition());
          }
          assigned = partitions.size();
          ready = true;
          LOG.info("breach consumer assigned {} (now {} partitions)", added, assigned);
        }
      });
      while (running) {
        collect();
        commit();
        dispatch();
        // With records in flight, wake up as soon as one finishes (its partition's next record is
        // waiting) and only then let the consumer run (fetches, heartbeats, rebalances); otherwise
        // wait for new records.
        Duration wait = POLL;
        if (partitions.values().stream().anyMatch(PartitionState::inFlight)) {
          Done d = done.poll(IN_FLIGHT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
          if (d != null) {
            done.add(d);
          }
          wait = Duration.ZERO;
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(wait);
        } catch (WakeupException e) {
          continue; // close(): the loop ends, what finished is committed below
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          PartitionState s = partitions.get(new TopicPartition(r.topic(), r.partition()));
          if (s != null) {
            s.pending.add(r);
          }
        }
        measure();
      }
      // Shutting down: commit what finished; in-flight records are read again by the next owner.
      collect();
      commit();
    } catch (WakeupException e) {
      if (running) {
        LOG.error("breach consumer woken up unexpectedly", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("breach consumer stopped: {}", e.toString(), e);
    } finally {
      ready = false;
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the breach consumer: {}", e.toString());
      }
      finished.countDown();
    }
  }

  /** Applies the completions the context reported. */
  private void collect() {
    for (Done d; (d = done.poll()) != null;) {
      PartitionState s = partitions.get(d.tp());
      if (s == null || s.generation != d.generation()) {
        continue; // revoked meanwhile: the next owner handles it
      }
      if (d.handled() > 0) {
        long last = d.batch().get(d.handled() - 1).offset();
        s.succeeded(last);
        RecordAttempts.Attempt a = s.attempts.finished();
        if (d.deadLettered() && a != null) {
          metrics.deadLettered(a.reason());
          LOG.error("breaches record {}-{}@{} failed {} times ({}: {}); sent to the dead-letter topic and committed",
              BreachRecords.printable(d.tp().topic(), 250), d.tp().partition(), last, a.count(), a.reason(),
              a.detail());
        }
      }
      if (d.handled() < d.batch().size()) {
        // The handler stopped early: the next record failed (or, without a failure, was not done).
        Throwable failure = d.failure() != null ? d.failure()
            : new IllegalStateException("the handler finished " + d.handled() + " of " + d.batch().size() + " records");
        failed(s, d.tp(), d.batch().get(d.handled()).offset(), failure, d.deadLettered());
      }
    }
  }

  /** Seeks back to a failed record: retried after a pause, or (non-retriable, often enough) dead-lettered next. */
  private void failed(PartitionState s, TopicPartition tp, long offset, Throwable failure, boolean deadLettered) {
    consumer.seek(tp, offset);
    Instant retryAt = clock.instant().plus(RETRY_PAUSE);
    if (deadLettered) {
      LOG.warn("breaches record {}@{} could not be sent to the dead-letter topic ({}); trying again", tp,
          offset, BreachRecords.printable(String.valueOf(failure), 300));
      s.retryFrom(retryAt);
      return;
    }
    RecordAttempts.Attempt a = s.attempts.failed(offset, failure);
    if (a.due()) {
      s.retryFrom(clock.instant()); // dispatched to the dead letters at once
      return;
    }
    if (a.count() == 1 || a.count() % LOG_EVERY == 0) {
      LOG.warn("breaches record {}@{} not finished (attempt {}, {}): {}; not committed, delivering it again", tp,
          offset, a.count(), a.retriable() ? "retriable" : "at most " + s.attempts.maxAttempts() + " attempts",
          a.detail());
    }
    s.retryFrom(retryAt);
  }

  /** Tells {@link PartitionProgress} how many records of each held partition are not finished. */
  private void measure() {
    for (PartitionState s : partitions.values()) {
      long unfetched = consumer.currentLag(s.tp).orElse(0);
      progress.update(s.tp.partition(), s.unfinished(unfetched), s.takeAdvanced());
    }
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionState s : partitions.values()) {
      OffsetAndMetadata o = s.takeCommit();
      if (o != null) {
        offsets.put(s.tp, o);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        consumer.commitSync(offsets); // close() woke the consumer up: a wakeup interrupts one call only
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      // Not committed: after a rebalance the records are read again, and de-duplicated.
      LOG.warn("committing breach offsets {} failed: {}", offsets, e.toString());
    }
  }

  /** Hands the next batch of every idle partition to the context; pauses partitions that are busy. */
  private void dispatch() {
    Set<TopicPartition> pause = new HashSet<>();
    Set<TopicPartition> resume = new HashSet<>();
    Instant now = clock.instant();
    for (PartitionState s : partitions.values()) {
      boolean waiting = s.waiting(now);
      ConsumerRecord<byte[], byte[]> head = waiting ? null : s.head();
      RecordAttempts.Attempt a = head == null ? null : s.attempts.due(head.offset());
      boolean dead = a != null;
      // A record due for the dead letters goes alone; otherwise what was fetched goes together.
      List<ConsumerRecord<byte[], byte[]>> batch = head == null ? List.of() : s.dispatch(dead ? 1 : MAX_BATCH);
      if (!batch.isEmpty()) {
        List<ConsumerRecord<byte[], byte[]>> later = dead ? List.of() : List.copyOf(s.pending);
        TopicPartition tp = s.tp;
        long gen = s.generation;
        context.runOnContext(v -> {
          Future<BatchHandler.Handled> f;
          try {
            f = dead ? deadLetters.send(batch.get(0), a.reason(), a.detail(), a.count()).map(x -> BatchHandler.Handled.all(1))
                : handler.handle(batch, later);
          } catch (RuntimeException | StackOverflowError ex) {
            f = Future.failedFuture(ex);
          }
          f.onComplete(ar -> done.add(ar.succeeded()
              ? new Done(tp, batch, Math.min(ar.result().count(), batch.size()), gen, ar.result().failure(), dead)
              : new Done(tp, batch, 0, gen, ar.cause(), dead)));
        });
      }
      // Fetch more only for partitions with nothing waiting: bounds memory, keeps order simple.
      boolean shouldPause = waiting || s.busy();
      if (s.pausedChanges(shouldPause)) {
        (shouldPause ? pause : resume).add(s.tp);
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  /** Partitions leaving: commit what is done (after a short grace for in-flight batches), forget the rest. */
  private void revoke(Collection<TopicPartition> revoked, boolean canCommit) {
    List<PartitionState> leaving = revoked.stream().map(partitions::get).filter(s -> s != null).toList();
    if (canCommit) {
      Instant ends = clock.instant().plus(REVOKE_GRACE);
      leaving.forEach(s -> s.revoking(ends));
      while (running && leaving.stream().anyMatch(s -> s.inGrace(clock.instant()))) {
        collect();
        try {
          Done d = done.poll(IN_FLIGHT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
          if (d != null) {
            done.add(d);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      collect();
      commit();
    }
    for (TopicPartition tp : revoked) {
      partitions.remove(tp);
      progress.revoked(tp.partition());
    }
    assigned = partitions.size();
    LOG.info("breach consumer {} {} (now {} partitions)", canCommit ? "revoked" : "lost", revoked, assigned);
  }

  /** Stops polling, commits what finished, closes the consumer (waits at most 15 s). */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!finished.await(15, TimeUnit.SECONDS)) {
        LOG.warn("the breach consumer did not stop within 15 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

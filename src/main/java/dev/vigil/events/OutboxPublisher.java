package dev.vigil.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import dev.vigil.logging.ConditionLog;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link Outbox} to Kafka, oldest first, on its own thread ({@code vigil-event-publisher}):
 * sends a batch of pending events (the idempotent producer keeps their order per partition), waits
 * for Kafka's acknowledgement ({@code acks=all}), marks the acknowledged prefix done in the outbox,
 * then takes the next batch. A failed attempt (broker unreachable, timeout) counts
 * {@code constitutional_events_publish_errors_total} and is retried from the first unacknowledged
 * event after a backoff that doubles up to {@code maxBackoff}; an event may so reach Kafka more than
 * once, always with the same id and bytes. An attempt that Kafka has not acknowledged after
 * {@link #STALL_AFTER} counts as failed at once, and again for every further period, while the
 * producer keeps retrying it within its delivery timeout: errors show from the first seconds of an
 * outage, not only when the delivery timeout (30 s by default) expires. The outage is logged as one
 * WARN when it starts and one INFO, with the count, when Kafka acknowledges again ({@link ConditionLog}).
 *
 * <p>An event Kafka can never accept ({@link #neverSendable}: too large for the topic, an invalid
 * record) does not block the queue: it is moved to the outbox's dead-letter file with an ERROR line
 * and {@code constitutional_events_dead_lettered_total{reason}}, and the events behind it are sent.
 * Other errors Kafka calls non-retriable (authorization, an unsupported version) are about the
 * producer, not the event: they are retried like an outage, so a misconfiguration never empties
 * the queue into the dead-letter file.
 *
 * <p>Blocking by design (producer metadata waits, outbox fsync), so it never runs on an event
 * loop. Thread-safe: {@link #wake} and {@link #close} may be called from any thread.
 */
public final class OutboxPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
  private static final int BATCH = 256;
  /** Dead-letter reasons: the event is larger than the topic or producer accepts. */
  static final String TOO_LARGE = "too_large";
  /** Dead-letter reasons: the broker or the client refuses the record itself. */
  static final String INVALID_RECORD = "invalid_record";
  /** How long an attempt may wait for Kafka's acknowledgement before it counts as a failed attempt. */
  static final Duration STALL_AFTER = Duration.ofSeconds(2);

  private final Outbox outbox;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final EventMetrics metrics;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private final Thread thread;
  private volatile Consumer<Outbox.Entry> onAcknowledged = e -> {};
  private volatile boolean running = true;
  private boolean woken;
  private final ConditionLog failing;
  private final ScheduledExecutorService watch;
  /** System.nanoTime() when the attempt in progress started, or 0 when none is. */
  private volatile long attemptSince;
  /** Failed-attempt periods already counted for the attempt in progress (watch thread only). */
  private long stallsCounted;
  /** The attempt whose stalls are being counted (watch thread only). */
  private long stallAttempt;

  public OutboxPublisher(Outbox outbox, Producer<byte[], byte[]> producer, String topic, EventMetrics metrics,
      Duration minBackoff, Duration maxBackoff) {
    this(outbox, producer, topic, metrics, minBackoff, maxBackoff, Clock.systemUTC());
  }

  /** As above, with the clock that dates dead letters. */
  public OutboxPublisher(Outbox outbox, Producer<byte[], byte[]> producer, String topic, EventMetrics metrics,
      Duration minBackoff, Duration maxBackoff, Clock clock) {
    this.clock = clock;
    this.outbox = outbox;
    this.producer = producer;
    this.topic = topic;
    this.metrics = metrics;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::run, "vigil-event-publisher");
    this.thread.setDaemon(true);
    this.failing = new ConditionLog(LOG, "kafka_publish_failing", "cannot publish events to Kafka topic " + topic);
    this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-event-publisher-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /** Called on the publisher thread for every event Kafka acknowledged, after it is marked done. */
  public void onAcknowledged(Consumer<Outbox.Entry> listener) {
    this.onAcknowledged = listener;
  }

  public OutboxPublisher start() {
    metrics.setPending(outbox.pendingCount());
    metrics.corruptRecords(outbox.corruptRecords());
    thread.start();
    long tick = Math.max(50, STALL_AFTER.toMillis() / 4);
    watch.scheduleWithFixedDelay(this::checkStall, tick, tick, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Tells the loop that new events are in the outbox. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the loop (pending events stay in the outbox for the next start); waits for it up to 10 s. */
  @Override
  public void close() {
    running = false;
    watch.shutdownNow();
    wake();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Duration backoff = minBackoff;
    int failures = 0;
    while (running) {
      List<Outbox.Entry> batch = outbox.pending(BATCH);
      metrics.setPending(outbox.pendingCount());
      if (batch.isEmpty()) {
        await(Duration.ofSeconds(1));
        continue;
      }
      try {
        attemptSince = System.nanoTime();
        send(batch);
        attemptSince = 0;
        failing.ended("Kafka acknowledges events again, " + outbox.pendingCount() + " waiting",
            clock.millis());
        failures = 0;
        backoff = minBackoff;
        continue;
      } catch (InterruptedException e) {
        attemptSince = 0;
        if (!running) {
          break;
        }
        Thread.interrupted();
        continue;
      } catch (Exception e) {
        attemptSince = 0;
        metrics.publishError();
        failures++;
        failing.occurred("attempt " + failures + " failed, " + outbox.pendingCount() + " event(s) waiting, retrying in "
            + backoff.toMillis() + " ms: " + e, clock.millis());
      }
      sleep(backoff);
      backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    }
  }

  /** On the watch thread: counts a failed attempt for each {@link #STALL_AFTER} an attempt waits unacknowledged. */
  private void checkStall() {
    long since = attemptSince;
    if (since != stallAttempt) {
      stallAttempt = since;
      stallsCounted = 0;
    }
    if (since == 0) {
      return;
    }
    long waited = System.nanoTime() - since;
    if (waited >= (stallsCounted + 1) * STALL_AFTER.toNanos()) {
      stallsCounted++;
      metrics.publishError();
      failing.occurred("no acknowledgement from Kafka within " + STALL_AFTER.toSeconds() * stallsCounted + " s, "
          + outbox.pendingCount() + " event(s) waiting; the producer keeps retrying", clock.millis());
    }
  }

  /**
   * Sends {@code batch}; marks the acknowledged prefix done; moves a never-sendable event after it to
   * the dead-letter file; throws on any other failure.
   */
  private void send(List<Outbox.Entry> batch) throws Exception {
    // Metadata first: a send that fails while waiting for metadata must not let a later one of the
    // same batch, sent once the broker is back, overtake it.
    producer.partitionsFor(topic);
    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
    for (Outbox.Entry e : batch) {
      org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r = e.event().toRecord(topic);
      dev.vigil.tracing.Tracing.current().inject(r.headers(), e.event().id());
      Future<RecordMetadata> f = producer.send(r);
      sent.add(f);
      if (f.isDone() && failed(f)) {
        break; // failed before it left: send nothing after it
      }
    }
    List<Long> acked = new ArrayList<>(batch.size());
    Exception failure = null;
    for (int i = 0; i < sent.size(); i++) {
      try {
        sent.get(i).get();
        acked.add(batch.get(i).seq());
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof Exception ex ? ex : e;
        break;
      }
    }
    if (!acked.isEmpty()) {
      outbox.acknowledge(acked);
      metrics.setPending(outbox.pendingCount());
      for (int i = 0; i < acked.size(); i++) {
        Outbox.Entry e = batch.get(i);
        metrics.published(e.event().type(), 1);
        onAcknowledged.accept(e);
      }
    }
    if (failure == null) {
      return;
    }
    Optional<String> reason = neverSendable(failure);
    if (reason.isEmpty()) {
      throw failure;
    }
    deadLetter(batch.get(acked.size()), reason.get(), failure);
  }

  /** The dead-letter reason of a send error caused by the event itself, which no retry cures; else empty. */
  static Optional<String> neverSendable(Throwable e) {
    if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
      return Optional.of(TOO_LARGE);
    }
    if (e instanceof InvalidRecordException || e instanceof SerializationException) {
      return Optional.of(INVALID_RECORD);
    }
    return Optional.empty();
  }

  private void deadLetter(Outbox.Entry e, String reason, Exception cause) throws java.io.IOException {
    SignedEvent ev = e.event();
    outbox.deadLetter(e.seq(), reason, cause.toString(), clock.instant());
    metrics.deadLettered(reason);
    metrics.setPending(outbox.pendingCount());
    LOG.error("event {} {} (key {}, {} bytes) can never be sent to Kafka topic {} ({}: {}); moved to {} so the {}"
        + " event(s) behind it are sent", ev.type(), ev.id(), ev.key(), ev.value().length, topic, reason, cause,
        outbox.deadLetterFile(), outbox.pendingCount());
  }

  private static boolean failed(Future<RecordMetadata> f) {
    try {
      f.get();
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void await(Duration max) {
    lock.lock();
    try {
      if (!woken && running) {
        signal.await(max.toMillis(), TimeUnit.MILLISECONDS);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void sleep(Duration d) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + d.toNanos();
      long left;
      while (running && (left = deadline - System.nanoTime()) > 0) {
        signal.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}

package dev.vigil.events;

import dev.vigil.score.BreachTransition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's {@link EventSink} when Kafka is configured: each breach transition becomes a
 * signed CloudEvent, appended to the durable {@link Outbox} (fsync) and then drained to Kafka by
 * the {@link OutboxPublisher}.
 *
 * <p>{@link #publish} returns at once: it fixes the event's id and time on the calling thread, then
 * hands signing, append and fsync to one dedicated thread ({@code vigil-outbox-append}), which runs
 * them in submission order. Calls from one thread (the monitor's event loop) therefore reach the
 * outbox, and then Kafka, in the order they were made, so every service's events stay in order.
 * An event counts as written only once its fsync returned; a refused event (outbox full, disk
 * error) is logged at ERROR and counted in {@code constitutional_events_outbox_refused_total}.
 * Thread-safe.
 */
public final class OutboxEventSink implements EventSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxEventSink.class);

  private final String monitorId;
  private final EventCodec codec;
  private final Outbox outbox;
  private final OutboxPublisher publisher;
  private final EventMetrics metrics;
  private final ExecutorService appender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vigil-outbox-append");
    t.setDaemon(true);
    return t;
  });

  public OutboxEventSink(String monitorId, EventCodec codec, Outbox outbox, OutboxPublisher publisher,
      EventMetrics metrics) {
    this.monitorId = monitorId;
    this.codec = codec;
    this.outbox = outbox;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Override
  public void publish(BreachTransition transition) {
    submit(transition);
  }

  /** Like {@link #publish}, with the outcome: completes once the event is durable, or refused. */
  public CompletableFuture<Outbox.AppendResult> submit(BreachTransition t) {
    CloudEvent event = CloudEvent.breach(t.kind().eventType(), BreachData.of(t.breach(), monitorId));
    BreachLog.log(t, event.id());
    return submit(event);
  }

  /** Appends an already built event (tests and benchmarks); same ordering and durability. */
  public CompletableFuture<Outbox.AppendResult> submit(CloudEvent event) {
    return CompletableFuture.supplyAsync(() -> {
      Outbox.AppendResult r;
      try {
        r = outbox.append(codec.sign(event));
      } catch (RuntimeException e) {
        LOG.error("cannot write {} {} to the outbox", event.type(), event.id(), e);
        r = new Outbox.Refused(e.toString());
      }
      if (r instanceof Outbox.Refused) {
        metrics.refused();
      } else {
        metrics.setPending(outbox.pendingCount());
        publisher.wake();
      }
      return r;
    }, appender);
  }

  /** Finishes the appends already submitted (up to 10 s); the outbox and publisher are closed by their owner. */
  @Override
  public void close() {
    appender.shutdown();
    try {
      if (!appender.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.error("outbox appends did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.vigil.monitor;

import dev.vigil.attest.TrustStore;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.EventTail;
import dev.vigil.events.RollbackFinished;
import dev.vigil.http.TrafficView;
import java.time.Clock;
import java.util.List;

/**
 * The monitor's reading of the rollback controller's signed events: with {@code
 * kafka.bootstrapServers} set, an {@link EventTail} of {@code kafka.rollbacksTopic} and {@code
 * rollout.topic} verifying each record against the installation's event key (the public half of
 * {@code events.signingKey}, which the controller signs with: the same configuration runs both)
 * feeds a {@link TrafficView} that the status pages show, and the evidence log's rollback entries. Without Kafka the view stays empty and
 * says why. Thread-safe.
 */
final class ControllerEvents implements AutoCloseable {
  private final TrafficView view;
  private final EventTail tail;

  private ControllerEvents(TrafficView view, EventTail tail) {
    this.view = view;
    this.tail = tail;
  }

  /** Starts reading when {@code config} has Kafka and an event key; creating the consumer does no I/O. */
  static ControllerEvents open(VigilConfig config, Clock clock) {
    return open(config, clock, f -> { });
  }

  /**
   * As {@link #open(VigilConfig, Clock)}, also handing every verified {@code rollback.finished} to
   * {@code rollbacks} (on the tail's thread): the evidence log records them.
   */
  static ControllerEvents open(VigilConfig config, Clock clock, java.util.function.Consumer<RollbackFinished> rollbacks) {
    if (!config.kafka().enabled() || config.events().signingKey() == null) {
      return new ControllerEvents(TrafficView.none(), null);
    }
    List<String> topics = List.of(config.kafka().rollbacksTopic(), config.rollout().topic());
    TrafficView view = new TrafficView(String.join(" and ", topics), config.rollout().analysisInterval());
    EventTail tail = EventTail.start(config.kafka(), config.kafka().clientId() + "-controller-events", topics,
        TrustStore.of(config.events().signingKey().trusted()), clock, new EventTail.Listener() {
          @Override
          public void accepted(String topic, CloudEvent event) {
            view.accept(event);
            if (event.data() instanceof RollbackFinished f) {
              rollbacks.accept(f);
            }
          }

          @Override
          public void rejected(String topic, EventCodec.Rejected why) {
            view.rejected();
          }
        });
    return new ControllerEvents(view, tail);
  }

  TrafficView view() {
    return view;
  }

  /** Stops the tail (blocking up to 10 s: call off the event loop). */
  @Override
  public void close() {
    if (tail != null) {
      tail.close();
    }
  }
}

package dev.vigil.events;

import dev.vigil.score.BreachTransition;

/** The sink without Kafka: logs every breach transition on one line ({@link BreachLog}). Thread-safe. */
public final class LoggingEventSink implements EventSink {
  @Override
  public void publish(BreachTransition t) {
    BreachLog.log(t, null);
  }
}

package dev.vigil.events;

import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every breach transition on one line. Thread-safe. */
public final class LoggingEventSink implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingEventSink.class);

  @Override
  public void publish(BreachTransition t) {
    Breach b = t.breach();
    LOG.warn("{} {} rule={} severity={} verdict={} score={} id={}", t.kind().eventType(), b.target(), b.rule(),
        b.severity().label(), b.verdict().label(), String.format(java.util.Locale.ROOT, "%.3f", b.complianceScore()),
        b.breachId());
  }
}

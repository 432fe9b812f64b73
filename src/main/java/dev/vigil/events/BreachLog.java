package dev.vigil.events;

import dev.vigil.logging.LogFields;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The monitor's decision line for a breach transition, whichever sink carries the event: one WARN
 * when a breach opens, one INFO when it resolves, with service, environment, verdict, breachId,
 * rule, severity and (when the event has one yet) eventId as fields. Logger
 * {@code dev.vigil.events.Breaches}. Thread-safe.
 */
public final class BreachLog {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.events.Breaches");

  private BreachLog() {}

  /** Logs {@code t}; {@code eventId} is the CloudEvent id carrying it, or null. */
  public static void log(BreachTransition t, String eventId) {
    Breach b = t.breach();
    boolean opened = t.kind() == BreachTransition.Kind.OPENED;
    LoggingEventBuilder e = (opened ? LOG.atWarn() : LOG.atInfo())
        .addKeyValue(LogFields.DECISION, opened ? "breach_opened" : "breach_resolved")
        .addKeyValue(LogFields.SERVICE, b.target().service())
        .addKeyValue(LogFields.ENVIRONMENT, b.target().environment())
        .addKeyValue(LogFields.VERDICT, b.verdict().label())
        .addKeyValue(LogFields.BREACH_ID, b.breachId())
        .addKeyValue("rule", b.rule())
        .addKeyValue("severity", b.severity().label());
    if (eventId != null) {
      e = e.addKeyValue(LogFields.EVENT_ID, eventId);
    }
    e.log("breach {} {} ({}) {}: verdict {}, score {}, observed {}, expected {} [{}]{}", opened ? "OPENED" : "RESOLVED",
        b.rule(), b.severity().label(), b.target(), b.verdict().label(),
        String.format(Locale.ROOT, "%.3f", b.complianceScore()), b.observed(), b.expected(), b.breachId(),
        eventId == null ? "" : " event " + eventId);
  }
}

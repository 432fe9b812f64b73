package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished;
import dev.vigil.events.RollbackFinished.Status;
import dev.vigil.logging.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The controller's decision lines, one per event it decides on (logger
 * {@code dev.vigil.rollback.Decisions}): a rollback that succeeded or was skipped is INFO; one that
 * failed or whose validation failed, and an event rejected (forged, untrusted, malformed,
 * duplicate), is WARN. Each carries service, environment (when known), breachId, eventId,
 * decision and reason as fields. Strings from events are printable-only and bounded before they
 * get here. Thread-safe.
 */
final class RollbackLog {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.rollback.Decisions");

  private RollbackLog() {}

  /** The outcome of one breach event: {@code rollback.finished}'s status is the decision. */
  static void finished(BreachEvent e, RollbackFinished f, boolean duplicate) {
    Status s = f.status();
    boolean warn = duplicate || s == Status.FAILED || s == Status.VALIDATION_FAILED;
    String decision = duplicate ? "rejected" : s.label();
    LoggingEventBuilder b = (warn ? LOG.atWarn() : LOG.atInfo())
        .addKeyValue(LogFields.DECISION, decision)
        .addKeyValue(LogFields.SERVICE, e.service())
        .addKeyValue(LogFields.ENVIRONMENT, e.environment())
        .addKeyValue(LogFields.BREACH_ID, e.breachId())
        .addKeyValue(LogFields.EVENT_ID, e.eventId())
        .addKeyValue("rollbackId", f.rollbackId())
        .addKeyValue("status", s.label());
    if (duplicate) {
      b = b.addKeyValue(LogFields.REASON, SkipReason.DUPLICATE.label());
    }
    b.log("rollback {} {} {}->{} for breach {} (event {}, {}): {}{}", duplicate ? "REJECTED duplicate" : s.label(),
        e.service(), f.from(), f.to(), e.breachId(), e.eventId(), e.rule(), f.detail(),
        s == Status.SKIPPED || duplicate ? "" : " in " + f.durationMs() + " ms");
  }

  /** A record not acted on: it failed verification or is not a breach event. */
  static void rejected(String coordinates, String reason, String detail) {
    LOG.atWarn().addKeyValue(LogFields.DECISION, "rejected").addKeyValue(LogFields.REASON, reason)
        .log("breaches record {} REJECTED, not acted on ({}): {}", coordinates, reason, detail);
  }
}

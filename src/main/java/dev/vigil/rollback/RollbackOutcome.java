package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished.Status;
import java.time.Instant;
import java.util.Objects;

/**
 * What the engine did with one breach event: the data of its {@code dev.vigil.rollback.finished}
 * event, field for field as events-v1 names them, and what became of the traffic (not published).
 * Immutable.
 *
 * @param status the outcome; a {@link Status#SKIPPED} one names its reason in {@code detail}
 * @param detail for {@code skipped}, starts with the reason label ({@link SkipReason#label()})
 * @param traffic whether the service's traffic moved to blue for this event
 */
public record RollbackOutcome(String rollbackId, String breachId, String breachEventId, String service, String from,
    String to, Status status, String detail, Instant startedAt, Instant finishedAt, long durationMs,
    Traffic traffic) {

  /** Where the service's traffic is after the rollback, as far as the engine knows. */
  public enum Traffic {
    /** On blue for this event: moved by it, found there already, or moved before a restart. */
    MOVED,
    /** Nothing was written: skipped, no actuator, or the actuator failed. */
    NOT_MOVED,
    /** The execution timeout passed (or the engine failed) while the actuator may still be moving it. */
    UNKNOWN
  }

  public RollbackOutcome {
    Objects.requireNonNull(rollbackId, "rollbackId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(traffic, "traffic");
  }
}

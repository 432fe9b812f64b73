package dev.vigil.rollback;

import dev.vigil.events.RollbackFinished;
import java.util.Objects;

/**
 * What the engine did with one breach event: the data of the {@code dev.vigil.rollback.finished}
 * event it published, and what became of the traffic (not published). Immutable.
 *
 * @param finished the published outcome; a skipped one names its reason in {@code detail} ({@link SkipReason})
 * @param traffic whether the service's traffic moved to blue for this event
 */
public record RollbackOutcome(RollbackFinished finished, Traffic traffic) {

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
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(traffic, "traffic");
  }
}

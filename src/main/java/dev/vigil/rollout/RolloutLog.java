package dev.vigil.rollout;

import dev.vigil.logging.LogFields;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The structured fields of a rollout decision line (started, resumed, an operator's command, a step set or not,
 * finished, the plan stopping): rolloutId (when there is a rollout), service and decision, so that a log store
 * finds every line of one rollout by its id. Thread-safe (stateless).
 */
final class RolloutLog {
  private RolloutLog() {}

  /** {@code line} with the rollout's fields; {@code rolloutId} may be null (no rollout started). */
  static LoggingEventBuilder fields(LoggingEventBuilder line, String rolloutId, String service, String decision) {
    LoggingEventBuilder b = line.addKeyValue(LogFields.SERVICE, service).addKeyValue(LogFields.DECISION, decision);
    return rolloutId == null ? b : b.addKeyValue(LogFields.ROLLOUT_ID, rolloutId);
  }

  /** An operator's command as a decision: pause -> paused, resume -> resumed, promote -> promoted, abort -> aborted. */
  static String done(String verb) {
    return verb.endsWith("e") ? verb + "d" : verb + "ed";
  }
}

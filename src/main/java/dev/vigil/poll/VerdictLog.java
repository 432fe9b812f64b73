package dev.vigil.poll;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.logging.LogFields;
import dev.vigil.score.TargetId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs poll outcomes without letting a hostile or broken target flood the log: one WARN line when
 * a target's verdict family changes (a first verdict that is not {@code compliant} counts as a
 * change), DEBUG for every other poll, never a stack trace. The detail is the verdict's own bounded
 * text, with control characters replaced.
 *
 * <p>Not thread-safe: used from the poller's context.
 */
final class VerdictLog {
  private static final Logger LOG = LoggerFactory.getLogger(VerdictLog.class);
  private static final int MAX_DETAIL = 300;

  private final Map<TargetId, Verdict.Family> last = new HashMap<>();

  /** Logs {@code v} for {@code id} and returns the level it used. */
  Level record(TargetId id, Verification v) {
    Verdict.Family now = v.verdict().family();
    Verdict.Family before = last.put(id, now);
    boolean changed = before == null ? now != Verdict.Family.OK : before != now;
    if (!changed && !LOG.isDebugEnabled()) {
      return Level.DEBUG;
    }
    String line = clean(v.detail());
    if (changed) {
      LOG.atWarn().addKeyValue(LogFields.SERVICE, id.service()).addKeyValue(LogFields.ENVIRONMENT, id.environment())
          .addKeyValue(LogFields.VERDICT, v.verdict().label())
          .log("{}: verdict {} ({} -> {}): {}", id, v.verdict().label(), before == null ? "none" : before, now, line);
      return Level.WARN;
    }
    LOG.debug("{}: verdict {}: {}", id, v.verdict().label(), line);
    return Level.DEBUG;
  }

  /** Forgets targets no longer polled. */
  void retain(Set<TargetId> targets) {
    last.keySet().retainAll(targets);
  }

  static String clean(String detail) {
    return dev.vigil.logging.LogText.bounded(detail, MAX_DETAIL, '?');
  }
}

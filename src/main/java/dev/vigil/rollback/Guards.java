package dev.vigil.rollback;

import dev.vigil.config.RollbackConfig;
import dev.vigil.config.Durations;
import dev.vigil.score.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The decision core: given a breach and the time, act or skip (events-v1 skip reasons). Pure: no
 * I/O, no clock, time is a parameter. Checks, in order: {@code stale_event} (the event is older
 * than {@code maxEventAge}, or dated more than {@code maxClockSkew} ahead), {@code not_rollbackable}
 * (breach not on the {@code from} side, rule or severity not configured to roll back), {@code cooldown} (the
 * service was rolled back less than the cooldown ago), {@code blast_radius} (already {@code max}
 * services rolled back within the window), {@code dry_run}. De-duplication ({@code duplicate}) is
 * the {@link DedupStore}'s; a breach resolved later in the same batch ({@code stale_event}) the
 * engine's, from what {@link BreachRecords} found.
 *
 * <p>A decision to act reserves the rollback at once (cooldown and blast radius count it), so
 * that two breaches decided back to back cannot both pass. Dry-run decisions reserve nothing.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class Guards {
  private final RollbackConfig config;
  private final Map<String, Instant> lastRollback = new HashMap<>();
  private final Deque<Instant> recent = new ArrayDeque<>();

  public Guards(RollbackConfig config) {
    this.config = config;
  }

  /** Decides for {@code e} at {@code now}; an act is recorded as a rollback of its service at {@code now}. */
  public synchronized Decision decide(BreachEvent e, Instant now) {
    if (e.time().isBefore(now.minus(config.maxEventAge()))) {
      return Decision.skip(SkipReason.STALE_EVENT, "the breach event is dated " + e.time() + ", older than maxEventAge ("
          + Durations.format(config.maxEventAge()) + ")");
    }
    if (e.time().isAfter(now.plus(config.maxClockSkew()))) {
      return Decision.skip(SkipReason.STALE_EVENT, "the breach event is dated " + e.time() + ", more than "
          + Durations.format(config.maxClockSkew()) + " in the future");
    }
    if (!e.environment().equals(config.from())) {
      return Decision.skip(SkipReason.NOT_ROLLBACKABLE, "the breach is on " + e.environment()
          + ", not on " + config.from() + ", the side traffic is moved away from");
    }
    if (!config.rules().isEmpty() && !config.rules().contains(e.rule())) {
      return Decision.skip(SkipReason.NOT_ROLLBACKABLE, "rule " + e.rule() + " is not configured to roll back");
    }
    Severity severity;
    try {
      severity = Severity.fromLabel(e.severity());
    } catch (IllegalArgumentException ex) {
      return Decision.skip(SkipReason.NOT_ROLLBACKABLE, "unknown severity " + e.severity());
    }
    if (!config.severities().contains(severity)) {
      return Decision.skip(SkipReason.NOT_ROLLBACKABLE, "severity " + severity.label()
          + " is not configured to roll back");
    }
    Instant last = lastRollback.get(e.service());
    if (last != null && now.isBefore(last.plus(config.cooldown()))) {
      return Decision.skip(SkipReason.COOLDOWN, e.service() + " was rolled back at " + last + ", less than "
          + Durations.format(config.cooldown()) + " ago");
    }
    prune(now);
    if (recent.size() >= config.blastRadiusMax()) {
      return Decision.skip(SkipReason.BLAST_RADIUS, recent.size() + " services already rolled back within "
          + Durations.format(config.blastRadiusWindow()) + " (limit " + config.blastRadiusMax()
          + "); holding instead of rolling back the fleet");
    }
    if (config.dryRun()) {
      return Decision.skip(SkipReason.DRY_RUN, "would move " + e.service() + " from " + config.from() + " to "
          + config.to());
    }
    record(e.service(), now);
    List<String> dependants = config.critical().contains(e.service()) ? config.dependantsOf(e.service()) : List.of();
    return Decision.act("rolling back " + e.service() + " (" + e.rule() + ", " + severity.label() + ")", dependants);
  }

  /** Whether {@code service} is a critical service (its rollback warns about dependants). */
  public boolean critical(String service) {
    return config.critical().contains(service);
  }

  /**
   * Counts a rollback of {@code service} at {@code at} that happened before this instance existed
   * (read back from the de-duplication store after a restart), so cooldown and blast radius hold
   * across restarts.
   */
  public synchronized void record(String service, Instant at) {
    lastRollback.merge(service, at, (a, b) -> a.isAfter(b) ? a : b);
    recent.add(at);
  }

  /**
   * Gives back the reservation of an act decided at {@code at} for {@code service} whose traffic
   * could not be moved: a failed switch should not hold the service in cooldown nor count toward
   * the blast radius.
   */
  public synchronized void release(String service, Instant at) {
    recent.remove(at);
    lastRollback.remove(service, at);
  }

  /** Rollbacks counted in the blast-radius window ending at {@code now}. */
  public synchronized int inWindow(Instant now) {
    prune(now);
    return recent.size();
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(config.blastRadiusWindow());
    for (Iterator<Instant> it = recent.iterator(); it.hasNext(); ) {
      if (!it.next().isAfter(cutoff)) {
        it.remove();
      }
    }
    Duration keep = config.cooldown();
    lastRollback.values().removeIf(t -> t.plus(keep).isBefore(now));
  }
}

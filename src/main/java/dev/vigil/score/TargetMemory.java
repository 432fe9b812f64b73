package dev.vigil.score;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the {@link Scorer} remembers of one target, as a value: its window (the observations
 * younger than the retention, oldest first, each with its {@link Attribution}), the count of
 * consecutive failing evaluations per rule name, and its open breaches. {@link Scorer#memory}
 * takes it, {@link Scorer#restore} puts it back: a scorer restored from it gives the same scores,
 * counts and breaches as the one it was taken from.
 *
 * <p>Observations kept here carry what the rules read ({@code at}, verdict, signed, responded,
 * probe duration, signed SLO); {@code detail} and {@code observedHash} need not survive a round
 * trip through a store. Immutable and thread-safe.
 *
 * @param window oldest first, non-decreasing {@code at}
 * @param consecutiveFailures per rule name, only counts above 0
 * @param openBreaches by rule name, each open ({@code resolvedAt} null)
 */
public record TargetMemory(List<Entry> window, Map<String, Integer> consecutiveFailures, List<Breach> openBreaches) {

  /** Whose failure an observation is, which decides the windows it enters. */
  public enum Attribution {
    /** The target's own evidence: enters every window. */
    TARGET,
    /** The monitor's own overload: stays out of the windows of the kinds a partition suspends. */
    MONITOR,
    /** Made while the monitor judged itself partitioned: stays out of every window, the score's too. */
    PARTITION
  }

  /** One remembered observation. */
  public record Entry(Observation observation, Attribution attribution) {
    public Entry {
      Objects.requireNonNull(observation, "observation");
      Objects.requireNonNull(attribution, "attribution");
    }
  }

  public TargetMemory {
    window = List.copyOf(window);
    consecutiveFailures = java.util.Collections.unmodifiableMap(new TreeMap<>(consecutiveFailures));
    openBreaches = List.copyOf(openBreaches);
    Instant previous = null;
    for (Entry e : window) {
      if (previous != null && e.observation().at().isBefore(previous)) {
        throw new IllegalArgumentException("window out of order at " + e.observation().at());
      }
      previous = e.observation().at();
    }
    for (Map.Entry<String, Integer> c : consecutiveFailures.entrySet()) {
      if (c.getValue() == null || c.getValue() < 1) {
        throw new IllegalArgumentException("consecutive failures of rule '" + c.getKey() + "' must be at least 1");
      }
    }
    for (Breach b : openBreaches) {
      if (!b.open()) {
        throw new IllegalArgumentException("breach " + b.breachId() + " is not open");
      }
    }
  }

  /** Nothing remembered. */
  public static TargetMemory empty() {
    return new TargetMemory(List.of(), Map.of(), List.of());
  }

  /** The newest observation, if any: the last verdict and its time. */
  public Optional<Observation> last() {
    return window.isEmpty() ? Optional.empty() : Optional.of(window.get(window.size() - 1).observation());
  }

  /**
   * The compliance score over the window of length {@code scoringWindow} ending at {@code now}, as
   * {@link Scorer#score} computes it; empty when no observation counts.
   */
  public OptionalDouble score(Instant now, Duration scoringWindow) {
    Instant start = now.minus(scoringWindow);
    List<Observation> in = new ArrayList<>();
    for (Entry e : window) {
      Instant at = e.observation().at();
      if (at.isAfter(start) && !at.isAfter(now) && e.attribution() != Attribution.PARTITION) {
        in.add(e.observation());
      }
    }
    return RuleEvaluator.complianceShare(in);
  }
}

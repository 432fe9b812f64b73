package dev.vigil.http;

import dev.vigil.events.CloudEvent;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.RolloutData;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the monitor knows of the rollback controller's work, folded from its verified events
 * (events-v1: {@code rollback.finished} on the rollbacks topic, {@code rollout.step} and {@code
 * rollout.finished} on the rollouts topic): the traffic weight of each side of each service (set by
 * the latest event that moved traffic, by its time, since the two topics are not ordered with each
 * other), the last {@value #ROLLBACKS_KEPT} rollbacks and {@value #ROLLOUTS_KEPT} rollouts per
 * service. A rollback that {@code succeeded} or failed validation moved all traffic to its {@code
 * to} side; a rollout's events carry the weights; a {@code failed} rollout and a skipped or failed
 * rollback moved nothing known. Bounded: at most {@value #MAX_SERVICES} services.
 *
 * <p>Fed from the monitor's event tail, read by the pages through {@link #snapshot()}.
 * Thread-safe: every method holds this object's lock for microseconds.
 */
public final class TrafficView {
  static final int ROLLBACKS_KEPT = 10;
  static final int ROLLOUTS_KEPT = 5;
  static final int MAX_SERVICES = 4096;

  /** The share of a service's traffic one environment takes, since when, and which event set it. */
  public record Weight(int percent, Instant since, String because) {}

  /**
   * An immutable copy for one rendering.
   *
   * @param source what is read ("constitutional.rollbacks and constitutional.rollouts"), or null when nothing is
   * @param rollouts per service, each rollout's latest event, the most recently started first
   * @param rejected records of those topics that failed verification
   * @param analysisInterval the rollouts' analysis interval of the configuration, for the next analysis' estimate
   */
  public record Snapshot(String source, Map<String, Map<String, Weight>> weights,
      Map<String, List<RollbackFinished>> rollbacks, Map<String, List<RolloutData>> rollouts, long rejected,
      Duration analysisInterval) {
    /** The weight of {@code id}'s side, or null when no event said. */
    public Weight weight(TargetId id) {
      Map<String, Weight> w = weights.get(id.service());
      return w == null ? null : w.get(id.environment());
    }

    /** The rollouts still running (their latest event is a step), by service. */
    public List<RolloutData> inProgress() {
      List<RolloutData> out = new ArrayList<>();
      new TreeMap<>(rollouts).forEach((service, list) -> {
        if (!list.isEmpty() && !list.get(0).finished()) {
          out.add(list.get(0));
        }
      });
      return out;
    }

    /**
     * When the next periodic analysis of a progressing rollout is due, estimated from its last
     * event (events carry no schedule): the first multiple of the analysis interval after it that
     * is not before {@code now}.
     */
    public Instant nextAnalysis(RolloutData r, Instant now) {
      long every = Math.max(1, analysisInterval.toMillis());
      long since = Math.max(0, now.toEpochMilli() - r.at().toEpochMilli());
      return r.at().plusMillis((since / every + 1) * every);
    }
  }

  private final String source;
  private final Duration analysisInterval;
  private final Map<String, Map<String, Weight>> weights = new HashMap<>();
  private final Map<String, List<RollbackFinished>> rollbacks = new HashMap<>();
  private final Map<String, LinkedHashMap<String, RolloutData>> rollouts = new HashMap<>();
  private long rejected;

  /**
   * @param source what the view is fed from, for the pages; null: nothing (no Kafka)
   */
  public TrafficView(String source, Duration analysisInterval) {
    this.source = source;
    this.analysisInterval = analysisInterval;
  }

  /** A view fed by nothing: the monitor does not read the controller's topics. */
  public static TrafficView none() {
    return new TrafficView(null, Duration.ofSeconds(15));
  }

  /** Folds in a verified event; breach events and events of a service beyond the bound are ignored. */
  public synchronized void accept(CloudEvent e) {
    String service = e.service();
    if (!rollbacks.containsKey(service) && !rollouts.containsKey(service) && services() >= MAX_SERVICES) {
      return;
    }
    if (e.data() instanceof RollbackFinished r) {
      rollback(r);
    } else if (e.data() instanceof RolloutData r) {
      rollout(r);
    }
  }

  /** Counts a record that failed verification. */
  public synchronized void rejected() {
    rejected++;
  }

  public synchronized Snapshot snapshot() {
    Map<String, Map<String, Weight>> w = new HashMap<>();
    weights.forEach((s, m) -> w.put(s, Map.copyOf(m)));
    Map<String, List<RollbackFinished>> rb = new HashMap<>();
    rollbacks.forEach((s, l) -> rb.put(s, List.copyOf(l)));
    Map<String, List<RolloutData>> ro = new HashMap<>();
    rollouts.forEach((s, m) -> {
      List<RolloutData> l = new ArrayList<>(m.values());
      java.util.Collections.reverse(l);
      ro.put(s, List.copyOf(l));
    });
    return new Snapshot(source, Map.copyOf(w), Map.copyOf(rb), Map.copyOf(ro), rejected, analysisInterval);
  }

  private int services() {
    java.util.Set<String> all = new java.util.HashSet<>(rollbacks.keySet());
    all.addAll(rollouts.keySet());
    return all.size();
  }

  private void rollback(RollbackFinished r) {
    List<RollbackFinished> list = rollbacks.computeIfAbsent(r.service(), k -> new ArrayList<>());
    list.removeIf(x -> x.rollbackId().equals(r.rollbackId()));
    list.add(r);
    list.sort(Comparator.comparing(RollbackFinished::finishedAt).reversed());
    while (list.size() > ROLLBACKS_KEPT) {
      list.remove(list.size() - 1);
    }
    boolean moved = r.status() == RollbackFinished.Status.SUCCEEDED
        || r.status() == RollbackFinished.Status.VALIDATION_FAILED;
    if (moved && r.from() != null && r.to() != null && !r.from().equals(r.to())) {
      set(r.service(), r.from(), 0, r.to(), 100, r.finishedAt(), "rollback " + r.rollbackId() + " " + r.status().label());
    }
  }

  private void rollout(RolloutData r) {
    LinkedHashMap<String, RolloutData> m = rollouts.computeIfAbsent(r.service(), k -> new LinkedHashMap<>());
    RolloutData old = m.get(r.rolloutId());
    if (old != null && (r.at().isBefore(old.at()) || old.finished() && !r.finished())) {
      return; // an older event delivered again
    }
    if (old == null) {
      m.put(r.rolloutId(), r);
    } else {
      m.replace(r.rolloutId(), r);
    }
    while (m.size() > ROLLOUTS_KEPT) {
      m.remove(m.keySet().iterator().next());
    }
    if (!(r.finished() && "failed".equals(r.stateOrStatus())) && r.from() != null && r.to() != null
        && !r.from().equals(r.to())) {
      String why = "rollout " + r.rolloutId() + (r.finished() ? " " + r.stateOrStatus()
          : " step " + r.step() + " of " + r.steps().size() + " (" + r.stateOrStatus() + ")");
      set(r.service(), r.from(), r.fromWeight(), r.to(), 100 - r.fromWeight(), r.at(), why);
    }
  }

  private void set(String service, String from, int fromPercent, String to, int toPercent, Instant at, String why) {
    Map<String, Weight> w = weights.computeIfAbsent(service, k -> new HashMap<>());
    Weight current = w.get(to) != null ? w.get(to) : w.get(from);
    if (current != null && at.isBefore(current.since())) {
      return; // a later event already set this service's weights
    }
    w.clear();
    w.put(from, new Weight(fromPercent, at, why));
    w.put(to, new Weight(toPercent, at, why));
  }
}

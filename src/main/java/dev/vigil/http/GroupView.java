package dev.vigil.http;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A group member's view of its group, for its HTTP server: the group's name and shard count, the
 * shards this instance owns now, and the whole fleet as the compacted state topic holds it (each
 * target's shard, owner, last verdict, score and open breaches as last saved), with the fleet
 * scores over it. Built by the {@code group} package; rendered by {@link FleetPage} and {@link
 * FleetJson}. Immutable.
 *
 * @param monitorId this instance
 * @param takenAt when the view was built
 * @param caughtUp false while the instance is still reading the state topic for the first time
 * @param fleetScores per environment: the mean of the targets' scores as last saved
 * @param targets every target the state topic holds, sorted by service then environment
 */
public record GroupView(String name, int shards, List<Integer> owned, String monitorId, Instant takenAt,
    boolean caughtUp, Map<String, Double> fleetScores, List<FleetTarget> targets) {

  /** What an owner is called when the state names no monitor, or the target is between owners. */
  public static final String UNKNOWN = "unknown";

  public GroupView {
    Objects.requireNonNull(name, "name");
    owned = List.copyOf(owned);
    fleetScores = java.util.Collections.unmodifiableMap(new TreeMap<>(fleetScores));
    targets = List.copyOf(targets);
  }

  /**
   * One target of the fleet as last saved.
   *
   * @param owner the instance polling it: this one when its shard is ours, else the monitor that last
   *     saved its state; null when unknown (the state names none, or it just left this instance and its
   *     new owner has not saved it yet)
   * @param here true when this instance owns its shard (and polls it)
   * @param verdict the last verdict, null when none was saved
   * @param score the compliance score as of {@code savedAt}, null when none
   */
  public record FleetTarget(TargetId id, int shard, String owner, boolean here, Instant savedAt, Verdict verdict,
      Instant verdictAt, Double score, List<Breach> openBreaches) {
    public FleetTarget {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(savedAt, "savedAt");
      openBreaches = List.copyOf(openBreaches);
    }
  }

  /** Targets per owner ({@link #UNKNOWN} for none), sorted by owner. */
  public Map<String, Integer> owners() {
    Map<String, Integer> out = new TreeMap<>();
    targets.forEach(t -> out.merge(t.owner() == null ? UNKNOWN : t.owner(), 1, Integer::sum));
    return out;
  }

  /** Every open breach of the fleet with its target's owner, oldest first. */
  public List<Map.Entry<Breach, String>> openBreaches() {
    List<Map.Entry<Breach, String>> out = new ArrayList<>();
    for (FleetTarget t : targets) {
      t.openBreaches().forEach(b -> out.add(Map.entry(b, t.owner() == null ? UNKNOWN : t.owner())));
    }
    out.sort(Comparator.comparing(e -> e.getKey().openedAt()));
    return out;
  }
}

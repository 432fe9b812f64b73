package dev.vigil.group;

import dev.vigil.http.GroupView;
import dev.vigil.score.TargetId;
import dev.vigil.state.FleetState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a member's {@link GroupView} from the shards it owns and the fleet state read from the
 * compacted state topic. Who owns a target: this instance when the target's shard is one of its own
 * (it knows); otherwise the monitor that last saved the target's state (owners save every changed
 * target at least every {@code state.flushInterval}), except that a target that was this instance's
 * and is no longer has no known owner until its new owner saves it. Fleet scores: per environment,
 * the mean of the scores as last saved, as one monitor computes them over its own targets. Pure;
 * stateless.
 */
public final class GroupViews {
  private GroupViews() {}

  /** The view of {@code monitorId}, owner of {@code owned} among {@code shards}, over {@code latest} at {@code now}. */
  public static GroupView build(String name, int shards, Set<Integer> owned, String monitorId,
      Map<TargetId, FleetState.Entry> latest, boolean caughtUp, Instant now) {
    List<GroupView.FleetTarget> targets = new ArrayList<>(latest.size());
    Map<String, double[]> sums = new TreeMap<>();
    for (FleetState.Entry e : new TreeMap<>(latest).values()) {
      int shard = Shards.of(e.target(), shards);
      boolean here = owned.contains(shard);
      String owner = here ? monitorId : monitorId.equals(e.savedBy()) ? null : e.savedBy();
      targets.add(new GroupView.FleetTarget(e.target(), shard, owner, here, e.savedAt(), e.verdict(), e.verdictAt(),
          e.score(), e.openBreaches()));
      if (e.score() != null) {
        double[] acc = sums.computeIfAbsent(e.target().environment(), k -> new double[2]);
        acc[0] += e.score();
        acc[1]++;
      }
    }
    Map<String, Double> scores = new TreeMap<>();
    sums.forEach((env, acc) -> scores.put(env, acc[0] / acc[1]));
    return new GroupView(name, shards, List.copyOf(new java.util.TreeSet<>(owned)), monitorId, now, caughtUp, scores,
        targets);
  }
}

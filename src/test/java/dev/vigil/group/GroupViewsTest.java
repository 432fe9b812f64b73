package dev.vigil.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.http.GroupView;
import dev.vigil.score.Breach;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import dev.vigil.state.FleetState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fleet-wide view a member builds from its shards and the state topic: owners, shards, fleet scores. */
class GroupViewsTest {
  static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");
  static final int SHARDS = 4;

  /** Targets of every shard: the first two targets found in each. */
  static List<TargetId> targets() {
    List<TargetId> out = new ArrayList<>();
    int[] per = new int[SHARDS];
    for (int i = 0; out.size() < SHARDS * 2; i++) {
      TargetId id = new TargetId("svc-" + i, i % 2 == 0 ? "green" : "blue");
      if (per[Shards.of(id, SHARDS)]++ < 2) {
        out.add(id);
      }
    }
    return out;
  }

  static FleetState.Entry entry(TargetId id, String savedBy, Double score, List<Breach> open) {
    return new FleetState.Entry(id, NOW.minusSeconds(3), savedBy, Verdict.COMPLIANT, NOW.minusSeconds(4), score, open);
  }

  @Nested
  class Owners {
    @Test
    void ourShardsAreOursWhoeverSavedThemAndOthersAreTheirLastSaver() {
      Map<TargetId, FleetState.Entry> latest = new TreeMap<>();
      for (TargetId id : targets()) {
        latest.put(id, entry(id, Shards.of(id, SHARDS) < 2 ? "m0" : "m2", 1.0, List.of()));
      }
      // shards 0 and 1 moved from m0 to m1 a moment ago: m1 owns them but m0's saves are the latest
      GroupView v = GroupViews.build("g", SHARDS, Set.of(0, 1), "m1", latest, true, NOW);
      assertThat(v.owned()).containsExactly(0, 1);
      assertThat(v.targets()).hasSize(SHARDS * 2).allSatisfy(t -> {
        assertThat(t.shard()).isEqualTo(Shards.of(t.id(), SHARDS));
        assertThat(t.here()).isEqualTo(t.shard() < 2);
        assertThat(t.owner()).isEqualTo(t.shard() < 2 ? "m1" : "m2");
      });
      assertThat(v.owners()).containsExactly(Map.entry("m1", 4), Map.entry("m2", 4));
    }

    @Test
    void aTargetThatLeftThisInstanceHasNoKnownOwnerUntilItsNewOwnerSavesIt() {
      Map<TargetId, FleetState.Entry> latest = new TreeMap<>();
      for (TargetId id : targets()) {
        latest.put(id, entry(id, Shards.of(id, SHARDS) == 3 ? "m1" : "m0", null, List.of()));
      }
      latest.put(targets().get(0), entry(targets().get(0), null, null, List.of()));
      GroupView v = GroupViews.build("g", SHARDS, Set.of(), "m0", latest, false, NOW);
      assertThat(v.targets()).allSatisfy(t -> {
        assertThat(t.here()).isFalse();
        assertThat(t.owner()).isEqualTo(t.shard() == 3 && !t.id().equals(targets().get(0)) ? "m1" : null);
      });
      assertThat(v.owners()).containsEntry(GroupView.UNKNOWN, SHARDS * 2 - 2).containsEntry("m1", 2);
      assertThat(v.caughtUp()).isFalse();
    }
  }

  @Nested
  class Scores {
    @Test
    void perEnvironmentTheMeanOfTheSavedScoresSkippingTargetsWithout() {
      List<TargetId> ids = targets();
      Map<TargetId, FleetState.Entry> latest = new TreeMap<>();
      double[] green = {0, 0};
      for (int i = 0; i < ids.size(); i++) {
        Double score = i == 0 ? null : i / 10.0;
        latest.put(ids.get(i), entry(ids.get(i), "m0", score, List.of()));
        if (score != null && ids.get(i).environment().equals("green")) {
          green[0] += score;
          green[1]++;
        }
      }
      GroupView v = GroupViews.build("g", SHARDS, Set.of(0, 1, 2, 3), "m0", latest, true, NOW);
      assertThat(v.fleetScores()).containsOnlyKeys(ids.stream().map(TargetId::environment).distinct().toArray(String[]::new));
      assertThat(v.fleetScores().get("green")).isCloseTo(green[0] / green[1], org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void openBreachesOfTheWholeFleetWithTheirOwnersOldestFirst() {
      List<TargetId> ids = targets();
      Breach newer = new Breach("b-new", ids.get(1), "hash_mismatch", Severity.CRITICAL, Verdict.HASH_MISMATCH, "x", "y",
          0, 60, 1, NOW.minusSeconds(10), null);
      Breach older = new Breach("b-old", ids.get(2), "integrity", Severity.CRITICAL, Verdict.SIGNATURE_INVALID, "x", "y",
          0, 60, 1, NOW.minusSeconds(100), null);
      Map<TargetId, FleetState.Entry> latest = new TreeMap<>();
      latest.put(ids.get(1), entry(ids.get(1), "m7", 0.0, List.of(newer)));
      latest.put(ids.get(2), entry(ids.get(2), "m8", 0.0, List.of(older)));
      GroupView v = GroupViews.build("g", SHARDS, Set.of(), "m0", latest, true, NOW);
      assertThat(v.openBreaches()).extracting(e -> e.getKey().breachId() + "@" + e.getValue())
          .containsExactly("b-old@m8", "b-new@m7");
    }
  }
}

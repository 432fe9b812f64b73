package dev.vigil.http;

import static dev.vigil.http.PageFixtures.NOW;
import static dev.vigil.http.PageFixtures.polls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.score.TargetId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-target rings: bounded, oldest first, details only within the strip. */
class PollHistoryTest {
  private static final TargetId ID = new TargetId("auth-service", "green");

  @Test
  void holdsAtMostItsCapacityWhateverThePollRate() {
    PollHistory h = new PollHistory();
    polls(h, ID, 10_000, Verdict.COMPLIANT, "ok", List.of());
    TargetHistory t = h.of(ID);
    assertThat(t.polls()).isEqualTo(10_000);
    List<TargetHistory.Sample> all = t.since(NOW.minusSeconds(100_000));
    assertThat(all).hasSize(PollHistory.CAPACITY);
    assertThat(all.get(all.size() - 1).at()).isEqualTo(NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(all.get(0).at()).isEqualTo(NOW.minusSeconds(PollHistory.CAPACITY - 1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(all.get(0).detail()).as("older than the strip").isNull();
    assertThat(t.last(PollHistory.STRIP)).hasSize(PollHistory.STRIP).allSatisfy(s -> assertThat(s.detail()).isEqualTo("ok"));
  }

  @Test
  void keepsScoreLatencyAndSigner() {
    PollHistory h = new PollHistory();
    polls(h, ID, 1, Verdict.COMPLIANT, "ok", List.of("k1"));
    TargetHistory.Sample s = h.of(ID).last(1).get(0);
    assertThat(s.score()).isEqualTo(0.9);
    assertThat(s.latencyMillis()).isEqualTo(12.0);
    assertThat(h.of(ID).signers()).containsExactly("k1");
    polls(h, ID, 1, Verdict.UNREACHABLE, "refused", List.of());
    assertThat(h.of(ID).signers()).as("the last signed envelope's").containsExactly("k1");
  }

  @Test
  void aReloadDropsRemovedTargets() {
    PollHistory h = new PollHistory();
    polls(h, ID, 1, Verdict.COMPLIANT, "ok", List.of());
    h.retain(Map.of());
    assertThat(h.of(ID)).isNull();
  }
}

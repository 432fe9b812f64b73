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

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"1s, 240", "15s, 240", "30s, 120", "45s, 80", "59s, 62", "60s, 60",
      "300s, 60", "1h, 60", "0.5s, 240"})
  void holdsAnHourAtTheTargetsIntervalWithinItsBounds(String interval, int polls) {
    java.time.Duration d = interval.endsWith("h") ? java.time.Duration.ofHours(1)
        : java.time.Duration.ofMillis((long) (Double.parseDouble(interval.replace("s", "")) * 1000));
    assertThat(PollHistory.capacity(d)).isEqualTo(polls);
  }

  @Test
  void aConfiguredTargetsRingIsSizedByItsInterval() {
    PollHistory h = new PollHistory();
    dev.vigil.config.TargetConfig c = new dev.vigil.config.TargetConfig(ID.service(), ID.environment(),
        java.net.URI.create("http://127.0.0.1:8000"), "/attestation", dev.vigil.config.TargetConfig.Mode.ATTESTATION,
        java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(5), 0, List.of(), 1, null);
    h.retain(Map.of(ID, dev.vigil.poll.PollTarget.of(c, new dev.vigil.config.PolicyConfig(
        dev.vigil.attest.Expectation.DEFAULT_HASH, null, true, java.time.Duration.ofSeconds(60)), 65_536,
        java.time.Duration.ofMillis(10))));
    polls(h, ID, 500, Verdict.COMPLIANT, "ok", List.of());
    assertThat(h.of(ID).capacity()).isEqualTo(120);
    assertThat(h.of(ID).since(NOW.minusSeconds(100_000))).hasSize(120);
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

package dev.vigil.score;

import static dev.vigil.score.ScoreFixtures.HASH;
import static dev.vigil.score.ScoreFixtures.INTEGRITY_GREEN;
import static dev.vigil.score.ScoreFixtures.obs;
import static dev.vigil.score.ScoreFixtures.scorer;
import static dev.vigil.score.ScoreFixtures.t;
import static dev.vigil.score.ScoreFixtures.withHash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the scorer keeps per target: one instance per distinct string, no state for idle rules. */
class ScorerFootprintTest {
  static Observation detailed(int n, String detail, String hash) {
    Observation o = obs(INTEGRITY_GREEN, t(n), Verdict.COMPLIANT);
    return new Observation(o.target(), o.at(), o.verdict(), detail, o.signed(), o.responded(), o.probeDuration(),
        o.slo(), hash);
  }

  @Nested
  class SharedStrings {
    @Test
    void equalDetailsAndHashesOfAWindowAreOneInstance() {
      Scorer s = scorer(Rule.defaults(), INTEGRITY_GREEN);
      for (int n = 0; n < 4; n++) {
        // new String: every poll parses its own copy
        s.observe(detailed(n, new String("signed by 1 trusted key, hash " + HASH), new String(HASH)), HASH);
      }
      List<TargetMemory.Entry> window = s.memory(INTEGRITY_GREEN).orElseThrow().window();
      assertThat(window).hasSize(4);
      for (TargetMemory.Entry e : window) {
        assertThat(e.observation().detail()).isSameAs(window.get(0).observation().detail());
        assertThat(e.observation().observedHash()).as("the expected hash's own instance").isSameAs(HASH);
      }
    }

    @Test
    void aDifferentValueIsKeptAsItIs() {
      Observation first = detailed(0, "a", "deadbeefdeadbeef");
      Observation second = detailed(1, "b", new String("deadbeefdeadbeef"));
      Observation shared = second.sharingStrings(first, HASH);
      assertThat(shared).isEqualTo(second);
      assertThat(shared.detail()).isEqualTo("b");
      assertThat(shared.observedHash()).isSameAs(first.observedHash());
      Observation none = detailed(2, "c", null).sharingStrings(null, HASH);
      assertThat(none.observedHash()).isNull();
      assertThat(none.detail()).isEqualTo("c");
    }
  }

  @Nested
  class IdleRules {
    @Test
    void healthyPollsKeepNoRuleStateAndAFailureKeepsOnlyItsRule() {
      Scorer s = scorer(Rule.defaults(), INTEGRITY_GREEN);
      for (int n = 0; n < 3; n++) {
        s.observe(obs(INTEGRITY_GREEN, t(n), Verdict.COMPLIANT), HASH);
      }
      assertThat(s.memory(INTEGRITY_GREEN).orElseThrow().consecutiveFailures()).isEmpty();
      assertThat(s.ruleStatesHeld(INTEGRITY_GREEN)).isZero();

      List<BreachTransition> opened = s.observe(withHash(obs(INTEGRITY_GREEN, t(3), Verdict.HASH_MISMATCH),
          "deadbeefdeadbeef"), HASH);
      assertThat(opened).isNotEmpty();
      assertThat(s.ruleStatesHeld(INTEGRITY_GREEN)).isPositive();

      List<BreachTransition> resolved = List.of();
      for (int n = 4; resolved.isEmpty() && n < 40; n++) {
        resolved = s.observe(obs(INTEGRITY_GREEN, t(n), Verdict.COMPLIANT), HASH);
      }
      assertThat(resolved).isNotEmpty();
      for (int n = 40; n < 60; n++) {
        s.observe(obs(INTEGRITY_GREEN, t(n), Verdict.COMPLIANT), HASH);
      }
      assertThat(s.openBreaches(INTEGRITY_GREEN)).isEmpty();
      assertThat(s.ruleStatesHeld(INTEGRITY_GREEN)).as("back to nothing once every rule holds").isZero();
    }
  }
}

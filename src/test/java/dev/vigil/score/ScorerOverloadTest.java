package dev.vigil.score;

import static dev.vigil.attest.Verdict.COMPLIANT;
import static dev.vigil.attest.Verdict.SIGNATURE_INVALID;
import static dev.vigil.attest.Verdict.TIMEOUT;
import static dev.vigil.attest.Verdict.UNREACHABLE;
import static dev.vigil.score.BreachTransition.Kind.OPENED;
import static dev.vigil.score.ScoreFixtures.HASH;
import static dev.vigil.score.ScoreFixtures.green;
import static dev.vigil.score.ScoreFixtures.obs;
import static dev.vigil.score.ScoreFixtures.rule;
import static dev.vigil.score.ScoreFixtures.rules;
import static dev.vigil.score.ScoreFixtures.scorer;
import static dev.vigil.score.ScoreFixtures.t;
import static dev.vigil.score.ScoreFixtures.withProbe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The monitor's own overload never opens availability or latency breaches, during it or after. */
class ScorerOverloadTest {
  private static final TargetId ID = green("auth-service");

  /** One target (so reachability rules open after one failing poll), availability, latency, integrity. */
  private static Scorer scorer1() {
    return scorer(List.of(rule("availability"), rule("latency_p95"), rule("integrity")), ID);
  }

  private static Observation poll(int n, Verdict v, Duration probe) {
    return withProbe(obs(ID, t(n), v), probe);
  }

  @Nested
  class WhileOverloaded {
    @Test
    void timeoutsOpenNoReachabilityBreachButIntegrityStillOpens() {
      Scorer s = scorer1();
      List<BreachTransition> all = new ArrayList<>(s.observe(poll(0, COMPLIANT, Duration.ofMillis(20)), HASH));
      s.setOverloaded(true, t(1));
      all.addAll(s.observe(poll(1, TIMEOUT, Duration.ofSeconds(5)), HASH));
      all.addAll(s.observe(poll(2, TIMEOUT, Duration.ofSeconds(5)), HASH));
      assertThat(all).as("reachability held while overloaded").isEmpty();
      assertThat(rules(s.observe(poll(3, SIGNATURE_INVALID, Duration.ofMillis(20)), HASH), OPENED))
          .containsExactly("integrity");
    }

    @Test
    void itsTimeoutsStayOutOfTheWindowsOnceItEnds() {
      Scorer s = scorer1();
      s.observe(poll(0, COMPLIANT, Duration.ofMillis(20)), HASH);
      s.setOverloaded(true, t(1));
      s.observe(poll(1, TIMEOUT, Duration.ofSeconds(5)), HASH);
      s.observe(poll(2, TIMEOUT, Duration.ofSeconds(5)), HASH);
      s.setOverloaded(false, t(3));
      List<BreachTransition> after = new ArrayList<>(s.observe(poll(3, COMPLIANT, Duration.ofMillis(20)), HASH));
      after.addAll(s.observe(poll(4, COMPLIANT, Duration.ofMillis(20)), HASH));
      assertThat(after).isEmpty();
      assertThat(s.openBreaches()).isEmpty();
    }

    @Test
    void aRealOutageAfterTheOverloadStillOpensAvailability() {
      Scorer s = scorer1();
      s.observe(poll(0, COMPLIANT, Duration.ofMillis(20)), HASH);
      s.setOverloaded(true, t(1));
      s.observe(poll(1, TIMEOUT, Duration.ofSeconds(5)), HASH);
      s.setOverloaded(false, t(2));
      assertThat(rules(s.observe(poll(2, UNREACHABLE, Duration.ofMillis(1)), HASH), OPENED)).containsExactly("availability");
    }

    @Test
    void theFlagAndItsStartAreReported() {
      Scorer s = scorer1();
      assertThat(s.overloaded()).isFalse();
      assertThat(s.overloadedSince()).isEmpty();
      s.setOverloaded(true, t(1));
      s.setOverloaded(true, t(2));
      assertThat(s.overloaded()).isTrue();
      assertThat(s.overloadedSince()).as("the start of the overload, not of a repeat").contains(t(1));
      s.setOverloaded(false, t(3));
      assertThat(s.overloaded()).isFalse();
      assertThat(s.overloadedSince()).isEmpty();
    }
  }

  @Nested
  class MonitorFault {
    @Test
    void aTimeoutMarkedAsTheMonitorsFaultOpensNothingWhereAnUnmarkedOneOpensAvailability() {
      Scorer marked = scorer1();
      marked.observe(poll(0, COMPLIANT, Duration.ofMillis(20)), HASH);
      List<BreachTransition> all = new ArrayList<>(marked.observe(poll(1, TIMEOUT, Duration.ofSeconds(5)), HASH, true));
      all.addAll(marked.observe(poll(2, COMPLIANT, Duration.ofMillis(20)), HASH));
      assertThat(all).as("the monitor's fault, not the target's").isEmpty();

      Scorer unmarked = scorer1();
      unmarked.observe(poll(0, COMPLIANT, Duration.ofMillis(20)), HASH);
      assertThat(rules(unmarked.observe(poll(1, TIMEOUT, Duration.ofSeconds(5)), HASH, false), OPENED))
          .as("control: the same poll not marked").containsExactly("availability");
    }

    @Test
    void slowAnswersMarkedAsTheMonitorsFaultOpenNoLatencyBreach() {
      Scorer marked = scorer1();
      List<BreachTransition> all = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        all.addAll(marked.observe(poll(n, COMPLIANT, Duration.ofSeconds(9)), HASH, true));
      }
      for (int n = 4; n < 6; n++) {
        all.addAll(marked.observe(poll(n, COMPLIANT, Duration.ofMillis(20)), HASH));
      }
      assertThat(all).isEmpty();

      Scorer unmarked = scorer1();
      List<BreachTransition> control = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        control.addAll(unmarked.observe(poll(n, COMPLIANT, Duration.ofSeconds(9)), HASH, false));
      }
      assertThat(rules(control, OPENED)).as("control").containsExactly("latency_p95");
    }

    @Test
    void aMarkedIntegrityFailureStillOpensIntegrity() {
      Scorer s = scorer1();
      assertThat(rules(s.observe(poll(0, SIGNATURE_INVALID, Duration.ofMillis(20)), HASH, true), OPENED))
          .containsExactly("integrity");
    }
  }
}

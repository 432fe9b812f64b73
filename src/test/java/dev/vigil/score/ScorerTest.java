package dev.vigil.score;

import static dev.vigil.attest.Verdict.COMPLIANCE_INACTIVE;
import static dev.vigil.attest.Verdict.COMPLIANT;
import static dev.vigil.attest.Verdict.HASH_MISMATCH;
import static dev.vigil.attest.Verdict.HTTP_ERROR;
import static dev.vigil.attest.Verdict.MALFORMED_ENVELOPE;
import static dev.vigil.attest.Verdict.SIGNATURE_INVALID;
import static dev.vigil.attest.Verdict.STALE;
import static dev.vigil.attest.Verdict.UNREACHABLE;
import static dev.vigil.score.BreachTransition.Kind.OPENED;
import static dev.vigil.score.BreachTransition.Kind.RESOLVED;
import static dev.vigil.score.ScoreFixtures.BAD_HASH;
import static dev.vigil.score.ScoreFixtures.HASH;
import static dev.vigil.score.ScoreFixtures.INTEGRITY_GREEN;
import static dev.vigil.score.ScoreFixtures.disabled;
import static dev.vigil.score.ScoreFixtures.green;
import static dev.vigil.score.ScoreFixtures.obs;
import static dev.vigil.score.ScoreFixtures.rule;
import static dev.vigil.score.ScoreFixtures.rules;
import static dev.vigil.score.ScoreFixtures.run;
import static dev.vigil.score.ScoreFixtures.scorer;
import static dev.vigil.score.ScoreFixtures.t;
import static dev.vigil.score.ScoreFixtures.times;
import static dev.vigil.score.ScoreFixtures.withConsecutive;
import static dev.vigil.score.ScoreFixtures.withHash;
import static dev.vigil.score.ScoreFixtures.withProbe;
import static dev.vigil.score.ScoreFixtures.withSlo;
import static dev.vigil.score.ScoreFixtures.withWindow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScorerTest {

  @Nested
  class HashMismatchRule {
    @Test
    void opensOnTheFirstMismatchWithTheFieldsOfTheEventsV1Example() {
      Scorer s = scorer(Rule.defaults(), INTEGRITY_GREEN);
      assertThat(run(s, INTEGRITY_GREEN, 0, times(5, COMPLIANT))).isEmpty();

      List<BreachTransition> ts = s.observe(obs(INTEGRITY_GREEN, t(5), HASH_MISMATCH), HASH);

      Breach expected = new Breach("b-integrity-service-green-hash_mismatch-20261126T180031Z", INTEGRITY_GREEN,
          "hash_mismatch", Severity.CRITICAL, HASH_MISMATCH, BAD_HASH, HASH, 5.0 / 6, 180, 1, t(5), null);
      assertThat(ts).containsExactly(new BreachTransition(OPENED, expected));
      assertThat(s.openBreaches()).containsExactly(expected);
      assertThat(RuleEvaluator.format(expected.complianceScore())).isEqualTo("0.833");
    }

    @Test
    void isOpenedOnceAndResolvedOnceWhenTheHashIsVerifiedAgain() {
      Scorer s = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      List<BreachTransition> opened = run(s, INTEGRITY_GREEN, 0, COMPLIANT, HASH_MISMATCH, HASH_MISMATCH, HASH_MISMATCH);
      assertThat(opened).extracting(BreachTransition::kind).containsExactly(OPENED);
      String id = opened.get(0).breach().breachId();

      List<BreachTransition> resolved = run(s, INTEGRITY_GREEN, 4, COMPLIANT, COMPLIANT);

      assertThat(resolved).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(RESOLVED);
        assertThat(tr.breach().breachId()).isEqualTo(id);
        assertThat(tr.breach().openedAt()).isEqualTo(t(1));
        assertThat(tr.breach().resolvedAt()).isEqualTo(t(4));
        assertThat(tr.breach().verdict()).isEqualTo(COMPLIANT);
      });
      assertThat(s.openBreaches()).isEmpty();
    }

    @Test
    void complianceInactiveVerifiedTheHashSoItResolves() {
      Scorer s = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 0, HASH_MISMATCH);
      assertThat(rules(run(s, INTEGRITY_GREEN, 1, COMPLIANCE_INACTIVE), RESOLVED)).containsExactly("hash_mismatch");
    }

    @ParameterizedTest
    @EnumSource(value = Verdict.class, names = {"UNREACHABLE", "TIMEOUT", "TLS_ERROR", "HTTP_ERROR",
        "RESPONSE_TOO_LARGE", "MALFORMED_ENVELOPE", "SIGNATURE_INVALID", "UNKNOWN_KEY", "STALE", "UNSIGNED"})
    void verdictsThatNeverReadTheHashAreNoEvidence(Verdict v) {
      Scorer s = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 0, HASH_MISMATCH);
      assertThat(run(s, INTEGRITY_GREEN, 1, v, v, v)).isEmpty();
      assertThat(s.openBreaches(INTEGRITY_GREEN)).extracting(Breach::rule).containsExactly("hash_mismatch");
    }

    @Test
    void unknownHashesAreReportedAsUnknown() {
      Scorer s = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      Breach b = s.observe(withHash(obs(INTEGRITY_GREEN, t(0), HASH_MISMATCH), null), null).get(0).breach();
      assertThat(b.observed()).isEqualTo("unknown");
      assertThat(b.expected()).isEqualTo("unknown");
    }
  }

  @Nested
  class IntegrityRule {
    @ParameterizedTest
    @EnumSource(value = Verdict.class, names = {"UNKNOWN_KEY", "KEY_NOT_VALID", "SIGNATURE_INVALID",
        "SUBJECT_MISMATCH", "NONCE_MISMATCH", "STALE", "UNSIGNED"})
    void everyIntegrityVerdictButHashMismatchOpensIt(Verdict v) {
      Scorer s = scorer(List.of(rule("hash_mismatch"), rule("integrity")), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 0, COMPLIANT);

      List<BreachTransition> ts = s.observe(obs(INTEGRITY_GREEN, t(1), v), HASH);

      assertThat(ts).singleElement().satisfies(tr -> {
        Breach b = tr.breach();
        assertThat(tr.kind()).isEqualTo(OPENED);
        assertThat(b.rule()).isEqualTo("integrity");
        assertThat(b.breachId()).isEqualTo("b-integrity-service-green-integrity-20261126T175831Z");
        assertThat(b.verdict()).isEqualTo(v);
        assertThat(b.observed()).isEqualTo(v.label());
        assertThat(b.expected()).isEqualTo("compliant");
        assertThat(b.windowSeconds()).isEqualTo(180);
        assertThat(b.consecutiveFailures()).isEqualTo(1);
        assertThat(b.complianceScore()).isEqualTo(0.5);
      });
    }

    @Test
    void hashMismatchIsNotAnIntegrityFailureButShowsTheEnvelopeVerified() {
      Scorer s = scorer(List.of(rule("hash_mismatch"), rule("integrity")), INTEGRITY_GREEN);
      assertThat(rules(run(s, INTEGRITY_GREEN, 0, STALE), OPENED)).containsExactly("integrity");

      List<BreachTransition> ts = run(s, INTEGRITY_GREEN, 1, HASH_MISMATCH);

      assertThat(ts).extracting(BreachTransition::kind, tr -> tr.breach().rule())
          .containsExactly(tuple(OPENED, "hash_mismatch"),
              tuple(RESOLVED, "integrity"));
    }

    @ParameterizedTest
    @EnumSource(value = Verdict.class, names = {"UNREACHABLE", "TIMEOUT", "TLS_ERROR", "HTTP_ERROR",
        "RESPONSE_TOO_LARGE", "MALFORMED_ENVELOPE", "MALFORMED_STATEMENT"})
    void transportAndContentFailuresAreNeverIntegrityEvidence(Verdict v) {
      Scorer s = scorer(List.of(rule("hash_mismatch"), rule("integrity")), INTEGRITY_GREEN);
      assertThat(run(s, INTEGRITY_GREEN, 0, times(10, v))).isEmpty();

      run(s, INTEGRITY_GREEN, 10, SIGNATURE_INVALID);
      assertThat(run(s, INTEGRITY_GREEN, 11, times(5, v))).as("an open integrity breach stays open").isEmpty();
      assertThat(rules(run(s, INTEGRITY_GREEN, 16, COMPLIANT), RESOLVED)).containsExactly("integrity");
    }
  }

  @Nested
  class ComplianceScoreRule {
    @Test
    void oneFailureIn180sOpensOnTheThirdEvaluationAndResolvesWhenItLeavesTheWindow() {
      Scorer s = scorer(List.of(rule("compliance_score")), INTEGRITY_GREEN);
      assertThat(run(s, INTEGRITY_GREEN, 0, times(6, COMPLIANT))).isEmpty();

      assertThat(run(s, INTEGRITY_GREEN, 6, COMPLIANCE_INACTIVE, COMPLIANT)).isEmpty();
      assertThat(s.score(INTEGRITY_GREEN, t(7)).getAsDouble()).isCloseTo(5.0 / 6, within(1e-12));
      List<BreachTransition> third = run(s, INTEGRITY_GREEN, 8, COMPLIANT);

      assertThat(third).singleElement().satisfies(tr -> {
        Breach b = tr.breach();
        assertThat(tr.kind()).isEqualTo(OPENED);
        assertThat(b.rule()).isEqualTo("compliance_score");
        assertThat(b.observed()).isEqualTo("0.833");
        assertThat(b.expected()).isEqualTo("0.95");
        assertThat(b.consecutiveFailures()).isEqualTo(3);
        assertThat(b.windowSeconds()).isEqualTo(180);
        assertThat(b.verdict()).isEqualTo(COMPLIANT);
        assertThat(b.openedAt()).isEqualTo(t(8));
      });
      assertThat(run(s, INTEGRITY_GREEN, 9, COMPLIANT, COMPLIANT, COMPLIANT)).as("still 5/6, already open").isEmpty();

      List<BreachTransition> out = run(s, INTEGRITY_GREEN, 12, COMPLIANT);
      assertThat(out).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(RESOLVED);
        assertThat(tr.breach().resolvedAt()).isEqualTo(t(12));
        assertThat(tr.breach().complianceScore()).isEqualTo(1.0);
      });
    }
  }

  @Nested
  class AvailabilityRule {
    @Test
    void anUnreachableTargetOpensAvailabilityButNeverIntegrityOrHash() {
      Scorer s = scorer(Rule.defaults(), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 0, COMPLIANT);

      List<BreachTransition> down = run(s, INTEGRITY_GREEN, 1, times(10, UNREACHABLE));

      assertThat(rules(down, OPENED)).containsExactly("availability", "compliance_score");
      assertThat(rules(down, RESOLVED)).isEmpty();
      Breach availability = down.get(0).breach();
      assertThat(availability.verdict()).isEqualTo(UNREACHABLE);
      assertThat(availability.observed()).isEqualTo("0.5");
      assertThat(availability.expected()).isEqualTo("0.999");
      assertThat(availability.windowSeconds()).isEqualTo(60);
      assertThat(availability.openedAt()).isEqualTo(t(1));

      assertThat(run(s, INTEGRITY_GREEN, 11, COMPLIANT)).as("1 of 2 polls in 60 s responded").isEmpty();
      assertThat(rules(run(s, INTEGRITY_GREEN, 12, COMPLIANT), RESOLVED)).containsExactly("availability");
    }

    @Test
    void anHttpErrorIsAResponse() {
      Scorer s = scorer(List.of(rule("availability"), rule("integrity"), rule("hash_mismatch")), INTEGRITY_GREEN);
      assertThat(run(s, INTEGRITY_GREEN, 0, COMPLIANT, HTTP_ERROR, HTTP_ERROR, HTTP_ERROR)).isEmpty();
    }
  }

  @Nested
  class LatencyRule {
    private final Scorer s = scorer(List.of(rule("latency_p95")), INTEGRITY_GREEN);

    private List<BreachTransition> poll(int n, Duration probe) {
      return s.observe(withProbe(obs(INTEGRITY_GREEN, t(n), COMPLIANT), probe), HASH);
    }

    @Test
    void aSlowProbeOpensOnTheSecondEvaluationAndResolvesWhenItLeavesThe120sWindow() {
      for (int n = 0; n < 4; n++) {
        assertThat(poll(n, Duration.ofMillis(100))).isEmpty();
      }
      assertThat(poll(4, Duration.ofSeconds(3))).isEmpty();
      List<BreachTransition> second = poll(5, Duration.ofMillis(100));
      assertThat(second).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(OPENED);
        assertThat(tr.breach().severity()).isEqualTo(Severity.HIGH);
        assertThat(tr.breach().observed()).isEqualTo("3");
        assertThat(tr.breach().expected()).isEqualTo("2");
        assertThat(tr.breach().windowSeconds()).isEqualTo(120);
        assertThat(tr.breach().consecutiveFailures()).isEqualTo(2);
      });
      assertThat(poll(6, Duration.ofMillis(100))).isEmpty();
      assertThat(poll(7, Duration.ofMillis(100))).isEmpty();
      assertThat(poll(8, Duration.ofMillis(100))).extracting(BreachTransition::kind).containsExactly(RESOLVED);
    }

    @Test
    void theSignedP95CountsWhenItIsWorseThanTheProbe() {
      s.observe(withSlo(obs(INTEGRITY_GREEN, t(0), COMPLIANT), 2500.0, null, null), HASH);
      List<BreachTransition> ts = s.observe(obs(INTEGRITY_GREEN, t(1), COMPLIANT), HASH);
      assertThat(ts).singleElement().satisfies(tr -> assertThat(tr.breach().observed()).isEqualTo("2.5"));
    }

    @Test
    void p95IsTheNearestRank() {
      assertThat(RuleEvaluator.value(RuleKind.LATENCY_P95, probes(20)).getAsDouble()).isEqualTo(19.0);
      assertThat(RuleEvaluator.value(RuleKind.LATENCY_P95, probes(21)).getAsDouble()).isEqualTo(20.0);
      assertThat(RuleEvaluator.value(RuleKind.LATENCY_P95, probes(100)).getAsDouble()).isEqualTo(95.0);
      assertThat(RuleEvaluator.value(RuleKind.LATENCY_P95, probes(1)).getAsDouble()).isEqualTo(1.0);
    }

    /** n observations with probe times n, n-1, ..., 1 seconds (unsorted on purpose). */
    private List<Observation> probes(int n) {
      return IntStream.range(0, n)
          .mapToObj(i -> withProbe(obs(INTEGRITY_GREEN, t(i), COMPLIANT), Duration.ofSeconds(n - i)))
          .toList();
    }
  }

  @Nested
  class SloRules {
    @Test
    void errorRateOpensOnTheThirdEvaluationAndNoSloIsNoEvidence() {
      Scorer s = scorer(List.of(rule("error_rate")), INTEGRITY_GREEN);
      assertThat(run(s, INTEGRITY_GREEN, 0, times(5, COMPLIANT))).as("no slo: no evidence").isEmpty();
      s.observe(withSlo(obs(INTEGRITY_GREEN, t(5), COMPLIANT), null, 500.0, null), HASH);
      assertThat(s.openBreaches()).as("an slo without errorRate is no evidence either").isEmpty();

      assertThat(s.observe(withSlo(obs(INTEGRITY_GREEN, t(6), COMPLIANT), null, null, 0.05), HASH)).isEmpty();
      assertThat(s.observe(withSlo(obs(INTEGRITY_GREEN, t(7), COMPLIANT), null, null, 0.05), HASH)).isEmpty();
      List<BreachTransition> ts = s.observe(withSlo(obs(INTEGRITY_GREEN, t(8), COMPLIANT), null, null, 0.02), HASH);

      assertThat(ts).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(OPENED);
        assertThat(tr.breach().observed()).isEqualTo("0.04");
        assertThat(tr.breach().expected()).isEqualTo("0.01");
        assertThat(tr.breach().windowSeconds()).isEqualTo(180);
        assertThat(tr.breach().severity()).isEqualTo(Severity.HIGH);
      });
    }

    @Test
    void throughputOpensBelowTheFloorAndResolvesAboveIt() {
      Scorer s = scorer(List.of(rule("throughput")), INTEGRITY_GREEN);
      for (int n = 0; n < 2; n++) {
        assertThat(s.observe(withSlo(obs(INTEGRITY_GREEN, t(n), COMPLIANT), null, 50.0, null), HASH)).isEmpty();
      }
      List<BreachTransition> ts = s.observe(withSlo(obs(INTEGRITY_GREEN, t(2), COMPLIANT), null, 50.0, null), HASH);
      assertThat(ts).singleElement().satisfies(tr -> {
        assertThat(tr.breach().observed()).isEqualTo("50");
        assertThat(tr.breach().expected()).isEqualTo("100");
        assertThat(tr.breach().windowSeconds()).isEqualTo(300);
        assertThat(tr.breach().severity()).isEqualTo(Severity.WARNING);
      });
      List<BreachTransition> back = s.observe(withSlo(obs(INTEGRITY_GREEN, t(3), COMPLIANT), null, 1000.0, null), HASH);
      assertThat(back).extracting(BreachTransition::kind).containsExactly(RESOLVED);
    }
  }

  @Nested
  class ConsecutiveCounting {
    private final Scorer s = scorer(List.of(withConsecutive(rule("hash_mismatch"), 3)), INTEGRITY_GREEN);

    @Test
    void noEvidenceDoesNotResetTheCount() {
      assertThat(run(s, INTEGRITY_GREEN, 0, HASH_MISMATCH, HASH_MISMATCH, UNREACHABLE, MALFORMED_ENVELOPE)).isEmpty();
      List<BreachTransition> ts = run(s, INTEGRITY_GREEN, 4, HASH_MISMATCH);
      assertThat(ts).singleElement().satisfies(tr -> {
        assertThat(tr.kind()).isEqualTo(OPENED);
        assertThat(tr.breach().consecutiveFailures()).isEqualTo(3);
        assertThat(tr.breach().openedAt()).isEqualTo(t(4));
      });
    }

    @Test
    void holdingResetsTheCount() {
      assertThat(run(s, INTEGRITY_GREEN, 0, HASH_MISMATCH, HASH_MISMATCH, COMPLIANT, HASH_MISMATCH, HASH_MISMATCH))
          .isEmpty();
      assertThat(rules(run(s, INTEGRITY_GREEN, 5, HASH_MISMATCH), OPENED)).containsExactly("hash_mismatch");
    }

    @Test
    void disabledRulesAreNeverEvaluated() {
      Scorer off = scorer(List.of(disabled(rule("hash_mismatch")), disabled(rule("availability"))), INTEGRITY_GREEN);
      assertThat(run(off, INTEGRITY_GREEN, 0, HASH_MISMATCH, UNREACHABLE, HASH_MISMATCH)).isEmpty();
      assertThat(off.openBreaches()).isEmpty();
    }
  }

  @Nested
  class Windows {
    @Test
    void oldFailuresFallOutAndTheScoreRecovers() {
      Scorer s = scorer(List.of(), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 0, HASH_MISMATCH, HASH_MISMATCH, HASH_MISMATCH);
      assertThat(s.score(INTEGRITY_GREEN, t(2)).getAsDouble()).isEqualTo(0.0);
      run(s, INTEGRITY_GREEN, 3, times(3, COMPLIANT));
      assertThat(s.score(INTEGRITY_GREEN, t(5)).getAsDouble()).isEqualTo(0.5);
      run(s, INTEGRITY_GREEN, 6, times(3, COMPLIANT));
      assertThat(s.score(INTEGRITY_GREEN, t(8)).getAsDouble()).isEqualTo(1.0);
      assertThat(s.score(INTEGRITY_GREEN, t(8).plusSeconds(180))).as("nothing younger than 180 s").isEmpty();
    }

    @Test
    void anObservationExactlyAWindowOldHasLeftIt() {
      Scorer s = scorer(List.of(), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 0, HASH_MISMATCH);
      run(s, INTEGRITY_GREEN, 1, times(5, COMPLIANT));
      assertThat(s.score(INTEGRITY_GREEN, t(6).minusMillis(1)).getAsDouble()).isCloseTo(5.0 / 6, within(1e-12));
      assertThat(s.score(INTEGRITY_GREEN, t(6)).getAsDouble()).as("180 s old: out").isEqualTo(1.0);
    }

    @Test
    void retentionIsTheLongestWindowNotJustTheScoringWindow() {
      Scorer s = scorer(List.of(withConsecutive(rule("throughput"), 1)), INTEGRITY_GREEN);
      assertThat(s.observe(withSlo(obs(INTEGRITY_GREEN, t(0), COMPLIANT), null, 10.0, null), HASH))
          .extracting(BreachTransition::kind).containsExactly(OPENED);
      assertThat(s.observe(withSlo(obs(INTEGRITY_GREEN, t(9), COMPLIANT), null, 150.0, null), HASH))
          .as("270 s later the 300 s window still holds the 10 rps poll: mean 80").isEmpty();
      assertThat(s.observe(withSlo(obs(INTEGRITY_GREEN, t(10), COMPLIANT), null, 150.0, null), HASH))
          .extracting(BreachTransition::kind).containsExactly(RESOLVED);
    }

    @Test
    void anObservationOlderThanTheNewestIsIgnored() {
      Scorer s = scorer(List.of(rule("hash_mismatch")), INTEGRITY_GREEN);
      run(s, INTEGRITY_GREEN, 5, COMPLIANT);
      assertThat(run(s, INTEGRITY_GREEN, 4, HASH_MISMATCH)).isEmpty();
      assertThat(s.last(INTEGRITY_GREEN)).hasValueSatisfying(o -> assertThat(o.at()).isEqualTo(t(5)));
      assertThat(rules(run(s, INTEGRITY_GREEN, 5, HASH_MISMATCH), OPENED)).as("the same instant is recorded")
          .containsExactly("hash_mismatch");
    }
  }

  @Nested
  class Targets {
    private final TargetId a = green("a");
    private final TargetId b = green("b");

    @Test
    void observationsOfUnknownTargetsAreIgnored() {
      Scorer s = scorer(Rule.defaults(), a);
      assertThat(run(s, b, 0, HASH_MISMATCH, UNREACHABLE, STALE)).isEmpty();
      assertThat(s.last(b)).isEmpty();
      assertThat(s.score(b, t(2))).isEmpty();
      assertThat(s.openBreaches()).isEmpty();
      assertThat(s.openBreaches(b)).isEmpty();
    }

    @Test
    void removingATargetResolvesItsOpenBreachesAndDropsItsState() {
      Scorer s = scorer(List.of(rule("hash_mismatch"), rule("integrity")), a, b);
      run(s, a, 0, COMPLIANT, HASH_MISMATCH, STALE);
      run(s, b, 0, SIGNATURE_INVALID);
      assertThat(s.openBreaches(a)).extracting(Breach::rule).containsExactly("hash_mismatch", "integrity");

      List<BreachTransition> ts = s.setTargets(List.of(b), t(3));

      assertThat(ts).extracting(BreachTransition::kind).containsOnly(RESOLVED);
      assertThat(ts).extracting(tr -> tr.breach().rule()).containsExactly("hash_mismatch", "integrity");
      assertThat(ts).allSatisfy(tr -> {
        assertThat(tr.breach().target()).isEqualTo(a);
        assertThat(tr.breach().resolvedAt()).isEqualTo(t(3));
        assertThat(tr.breach().verdict()).isEqualTo(STALE);
        assertThat(tr.breach().complianceScore()).isCloseTo(1.0 / 3, within(1e-12));
      });
      assertThat(s.openBreaches()).extracting(Breach::target).containsExactly(b);
      assertThat(s.last(a)).isEmpty();

      assertThat(s.setTargets(List.of(a, b), t(4))).as("b kept, a back with no state").isEmpty();
      assertThat(s.last(a)).isEmpty();
      assertThat(s.openBreaches()).extracting(Breach::target).containsExactly(b);
    }

    @Test
    void openBreachesAreSortedByTargetThenRule() {
      Scorer s = scorer(List.of(rule("integrity"), rule("hash_mismatch")), b, a);
      run(s, b, 0, HASH_MISMATCH, STALE);
      run(s, a, 0, STALE, HASH_MISMATCH);
      run(s, a, 2, SIGNATURE_INVALID);
      assertThat(s.openBreaches()).extracting(x -> x.target().service() + ":" + x.rule())
          .containsExactly("a:hash_mismatch", "a:integrity", "b:hash_mismatch", "b:integrity");
    }
  }

  @Nested
  class Construction {
    @Test
    void rejectsInconsistentSettings() {
      Duration w = Duration.ofSeconds(180);
      assertThatThrownBy(() -> new Scorer(List.of(rule("integrity"), rule("integrity")), w, 0.8, 3))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate rule name 'integrity'");
      assertThatThrownBy(() -> new Scorer(List.of(withWindow(rule("availability"), Duration.ZERO)), w, 0.8, 3))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'availability': window");
      assertThatThrownBy(() -> new Scorer(List.of(), Duration.ZERO, 0.8, 3))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scoringWindow");
      assertThatThrownBy(() -> new Scorer(List.of(), w, 0, 3))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitionThreshold");
      assertThatThrownBy(() -> new Scorer(List.of(), w, Double.NaN, 3))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitionThreshold");
      assertThatThrownBy(() -> new Scorer(List.of(), w, 0.8, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitionMinTargets");
    }

    @Test
    void verdictRulesNeedNoWindow() {
      assertThat(new Scorer(List.of(rule("hash_mismatch"), rule("integrity")), Duration.ofSeconds(180), 1, 1)
          .openBreaches()).isEmpty();
    }

    @Test
    void valuesAreFormattedWithAtMostThreeDecimalsWhateverTheLocale() {
      Locale before = Locale.getDefault();
      try {
        Locale.setDefault(Locale.GERMANY);
        assertThat(RuleEvaluator.format(5.0 / 6)).isEqualTo("0.833");
        assertThat(RuleEvaluator.format(0.95)).isEqualTo("0.95");
        assertThat(RuleEvaluator.format(0.9995)).isEqualTo("1");
        assertThat(RuleEvaluator.format(100)).isEqualTo("100");
        assertThat(RuleEvaluator.format(0)).isEqualTo("0");
        assertThat(RuleEvaluator.format(2.0005)).isEqualTo("2.001");
      } finally {
        Locale.setDefault(before);
      }
    }
  }
}

package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.RollbackConfig;
import dev.vigil.events.RollbackFinished;
import dev.vigil.score.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure decision core: every skip reason, in its order, with time passed in. */
class GuardsTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");

  static RollbackConfig config(Set<String> rules, Set<Severity> severities, Duration cooldown, int blastMax,
      Duration blastWindow, boolean dryRun, Map<String, List<String>> dependants) {
    RollbackConfig d = RollbackConfig.defaults();
    return new RollbackConfig(rules, severities, cooldown, blastMax, blastWindow, dryRun, 2, d.validationTimeout(),
        d.validationInterval(), d.executionTimeout(), Path.of("unused"), d.dedupRetention(), "green", "blue",
        d.critical(), dependants, null, Map.of(), d.maxEventAge(), d.maxClockSkew());
  }

  static RollbackConfig defaults() {
    return config(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 3, Duration.ofMinutes(10), false, Map.of());
  }

  static BreachEvent event(String service, String env, String rule, String severity, int n) {
    return new BreachEvent("e-" + service + "-" + n, "b-" + service + "-" + env + "-" + rule + "-" + n, service, env,
        rule, severity, T0);
  }

  static BreachEvent critical(String service, int n) {
    return event(service, "green", "hash_mismatch", "critical", n);
  }

  @Test
  void criticalGreenBreachActs() {
    Decision d = new Guards(defaults()).decide(critical("formal-verification-service", 1), T0);
    assertThat(d.acts()).isTrue();
    assertThat(d.skip()).isNull();
    assertThat(d.dependants()).isEmpty();
  }

  @Test
  void notRollbackable() {
    Guards g = new Guards(config(Set.of("hash_mismatch"), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 3,
        Duration.ofMinutes(10), false, Map.of()));
    Decision blue = g.decide(event("auth-service", "blue", "hash_mismatch", "critical", 1), T0);
    assertThat(blue.skip()).isEqualTo(SkipReason.NOT_ROLLBACKABLE);
    assertThat(blue.detail()).startsWith("not_rollbackable: the breach is on blue");
    Decision rule = g.decide(event("auth-service", "green", "latency_p95", "critical", 2), T0);
    assertThat(rule.detail()).isEqualTo("not_rollbackable: rule latency_p95 is not configured to roll back");
    Decision severity = g.decide(event("auth-service", "green", "hash_mismatch", "high", 3), T0);
    assertThat(severity.detail()).isEqualTo("not_rollbackable: severity high is not configured to roll back");
    Decision unknown = g.decide(event("auth-service", "green", "hash_mismatch", "fatal", 4), T0);
    assertThat(unknown.skip()).isEqualTo(SkipReason.NOT_ROLLBACKABLE);
    // none of them counted as a rollback
    assertThat(g.inWindow(T0)).isZero();
    assertThat(g.decide(critical("auth-service", 5), T0).acts()).isTrue();
  }

  @Test
  void severitiesAreConfigurable() {
    Guards g = new Guards(config(Set.of(), Set.of(Severity.CRITICAL, Severity.HIGH), Duration.ofMinutes(10), 3,
        Duration.ofMinutes(10), false, Map.of()));
    assertThat(g.decide(event("a", "green", "latency_p95", "high", 1), T0).acts()).isTrue();
    assertThat(g.decide(event("b", "green", "throughput", "warning", 1), T0).skip()).isEqualTo(SkipReason.NOT_ROLLBACKABLE);
  }

  @Test
  void cooldownPerService() {
    Guards g = new Guards(defaults());
    assertThat(g.decide(critical("auth-service", 1), T0).acts()).isTrue();
    Decision again = g.decide(critical("auth-service", 2), T0.plus(Duration.ofMinutes(9)));
    assertThat(again.skip()).isEqualTo(SkipReason.COOLDOWN);
    assertThat(again.detail()).startsWith("cooldown: auth-service was rolled back at 2026-11-26T18:00:00Z, less than 10m ago");
    assertThat(g.decide(critical("integrity-service", 1), T0.plus(Duration.ofMinutes(9))).acts()).isTrue();
    assertThat(g.decide(critical("auth-service", 3), T0.plus(Duration.ofMinutes(10))).acts()).isTrue();
  }

  @Test
  void blastRadiusHoldsBeyondK() {
    Guards g = new Guards(config(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(1), 2, Duration.ofMinutes(5),
        false, Map.of()));
    assertThat(g.decide(critical("s1", 1), T0).acts()).isTrue();
    assertThat(g.decide(critical("s2", 1), T0.plusSeconds(10)).acts()).isTrue();
    Decision third = g.decide(critical("s3", 1), T0.plusSeconds(20));
    assertThat(third.skip()).isEqualTo(SkipReason.BLAST_RADIUS);
    assertThat(third.detail()).startsWith("blast_radius: 2 services already rolled back within 5m (limit 2)");
    // held, not counted: once the window slides past the first, one more may go
    assertThat(g.decide(critical("s3", 2), T0.plus(Duration.ofMinutes(5))).acts()).isTrue();
    assertThat(g.decide(critical("s4", 1), T0.plus(Duration.ofMinutes(5))).skip()).isEqualTo(SkipReason.BLAST_RADIUS);
  }

  @Test
  void dryRunDecidesButReservesNothing() {
    Guards g = new Guards(config(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 1,
        Duration.ofMinutes(10), true, Map.of()));
    Decision d = g.decide(critical("auth-service", 1), T0);
    assertThat(d.skip()).isEqualTo(SkipReason.DRY_RUN);
    assertThat(d.detail()).isEqualTo("dry_run: would move auth-service from green to blue");
    assertThat(g.decide(critical("auth-service", 2), T0).skip()).isEqualTo(SkipReason.DRY_RUN);
    assertThat(g.inWindow(T0)).isZero();
  }

  @Test
  void criticalServiceNamesItsDependants() {
    Guards g = new Guards(config(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 3,
        Duration.ofMinutes(10), false, Map.of("auth-service", List.of("policy-governance-service", "executive-council-service"),
            "formal-verification-service", List.of("x"))));
    assertThat(g.decide(critical("auth-service", 1), T0).dependants())
        .containsExactly("policy-governance-service", "executive-council-service");
    assertThat(g.critical("auth-service")).isTrue();
    // not a critical service: no warning even with dependants configured
    assertThat(g.decide(critical("formal-verification-service", 1), T0).dependants()).isEmpty();
  }

  @Test
  void aReleasedReservationHoldsNothing() {
    Guards g = new Guards(config(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 1,
        Duration.ofMinutes(10), false, Map.of()));
    assertThat(g.decide(critical("auth-service", 1), T0).acts()).isTrue();
    g.release("auth-service", T0);
    assertThat(g.inWindow(T0)).isZero();
    assertThat(g.decide(critical("auth-service", 2), T0.plusSeconds(1)).acts()).isTrue();
  }

  @Test
  void staleEventsAreSkippedBeforeAnyOtherCheck() {
    Guards g = new Guards(defaults());
    BreachEvent replayed = new BreachEvent("e-old", "b-old", "auth-service", "green", "hash_mismatch", "critical",
        T0.minus(Duration.ofMinutes(10)).minusMillis(1));
    Decision old = g.decide(replayed, T0);
    assertThat(old.skip()).isEqualTo(SkipReason.STALE_EVENT);
    assertThat(old.detail()).isEqualTo("stale_event: the breach event is dated 2026-11-26T17:49:59.999Z, older than"
        + " maxEventAge (10m)");
    Decision y2001 = g.decide(new BreachEvent("e-2001", "b-2001", "auth-service", "blue", "latency_p95", "warning",
        Instant.parse("2001-01-01T00:00:00Z")), T0);
    assertThat(y2001.skip()).as("stale comes before not_rollbackable").isEqualTo(SkipReason.STALE_EVENT);
    Decision y2099 = g.decide(new BreachEvent("e-2099", "b-2099", "auth-service", "green", "hash_mismatch", "critical",
        Instant.parse("2099-01-01T00:00:00Z")), T0);
    assertThat(y2099.detail()).isEqualTo("stale_event: the breach event is dated 2099-01-01T00:00:00Z, more than 1m"
        + " in the future");
    assertThat(g.inWindow(T0)).as("stale events reserve nothing").isZero();
    // within the age and the skew: acts
    assertThat(g.decide(new BreachEvent("e-edge", "b-edge", "auth-service", "green", "hash_mismatch", "critical",
        T0.minus(Duration.ofMinutes(10))), T0).acts()).isTrue();
    assertThat(g.decide(new BreachEvent("e-ahead", "b-ahead", "integrity-service", "green", "hash_mismatch",
        "critical", T0.plus(Duration.ofMinutes(1))), T0).acts()).isTrue();
  }

  @Test
  void everySkipDetailCarriesItsPrefixExactlyOnce() {
    for (SkipReason r : SkipReason.values()) {
      String once = r.label() + ": why";
      assertThat(Decision.skip(r, "why").detail()).isEqualTo(once);
      assertThat(Decision.skip(r, once).detail()).as("an already prefixed reason").isEqualTo(once);
    }
  }

  @Test
  void restoredRollbacksCountAfterRestart() {
    Guards g = new Guards(defaults());
    g.record("auth-service", T0);
    assertThat(g.decide(critical("auth-service", 1), T0.plusSeconds(60)).skip()).isEqualTo(SkipReason.COOLDOWN);
  }

  @Test
  void theEventsListOfSkipReasonsIsTheGuardsList() {
    assertThat(RollbackFinished.SKIP_REASONS)
        .containsExactlyElementsOf(Arrays.stream(SkipReason.values()).map(SkipReason::label).toList());
  }
}

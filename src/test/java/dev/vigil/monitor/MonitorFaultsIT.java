package dev.vigil.monitor;

import static dev.vigil.monitor.FleetHarness.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.score.BreachTransition.Kind;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end on loopback, simulator and monitor both real: each injected fault gives its verdict,
 * the metrics show it for that target only, the matching rule opens exactly one breach, and it
 * resolves once after the fault clears.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorFaultsIT {
  private static final List<String> SERVICES = List.of("auth-service", "integrity-service", "policy-governance-service");
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");
  private static final TargetId BYSTANDER = new TargetId("auth-service", "green");

  private Path dir;
  private FleetHarness h;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("vigil-faults-it");
    h = FleetHarness.start(SERVICES, List.of("green"), dir);
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void healthy() throws Exception {
    h.sim.clearAll().toCompletionStage().toCompletableFuture().get();
    await().atMost(FleetHarness.deadline()).until(() -> "compliant".equals(h.verdict(VICTIM))
        && h.events.stream().noneMatch(e -> e.breach().target().equals(VICTIM)
            && h.count(VICTIM, e.breach().rule(), Kind.OPENED) > h.count(VICTIM, e.breach().rule(), Kind.RESOLVED)));
  }

  /**
   * One end-to-end case per rule kind and per verdict family (integrity, content, compliance,
   * availability, and compliant with a signed SLO report out of bounds). Every fault's verdict is
   * pinned without a monitor in {@code FleetSimulatorTest}, every rule's arithmetic in
   * {@code ScorerTest}.
   */
  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(Fault.TAMPERED_HASH, "hash_mismatch", "hash_mismatch"),
        Arguments.of(Fault.BAD_SIGNATURE, "signature_invalid", "integrity"),
        Arguments.of(Fault.COMPLIANCE_INACTIVE, "compliance_inactive", "compliance_score"),
        Arguments.of(Fault.GARBAGE, "malformed_envelope", "compliance_score"),
        Arguments.of(Fault.CONNECTION_REFUSED, "unreachable", "availability"),
        Arguments.of(Fault.HIGH_LATENCY_REPORT, "compliant", "latency_p95"),
        Arguments.of(Fault.HIGH_ERROR_RATE, "compliant", "error_rate"),
        Arguments.of(Fault.LOW_THROUGHPUT, "compliant", "throughput"));
  }

  @ParameterizedTest(name = "{0} -> {1} -> {2}")
  @MethodSource("faults")
  void faultGivesItsVerdictMetricAndExactlyOneBreach(Fault fault, String verdict, String rule) throws Exception {
    long openedBefore = h.count(VICTIM, rule, Kind.OPENED);
    long resolvedBefore = h.count(VICTIM, rule, Kind.RESOLVED);
    // A bystander's very first poll on a cold JVM can time out at start-up; what matters is that the victim's
    // fault opens nothing on it.
    long bystanderBefore = h.count(BYSTANDER, rule, Kind.OPENED);
    h.sim.setFault(VICTIM, fault).toCompletionStage().toCompletableFuture().get();

    await().atMost(FleetHarness.deadline()).untilAsserted(() -> {
      assertThat(h.verdict(VICTIM)).isEqualTo(verdict);
      assertThat(h.count(VICTIM, rule, Kind.OPENED)).isEqualTo(openedBefore + 1);
    });
    double expectedValid = verdict.equals("compliant") ? 1.0 : 0.0;
    assertThat(h.metric(series("constitutional_hash_valid", VICTIM))).isEqualTo(expectedValid);
    assertThat(h.metric(series("constitutional_hash_valid", BYSTANDER))).isEqualTo(1.0);
    assertThat(h.target(VICTIM).get("openBreaches").toString()).contains("\"rule\":\"" + rule + "\"");
    if (fault == Fault.CONNECTION_REFUSED) {
      assertThat(h.count(VICTIM, "integrity", Kind.OPENED) + h.count(VICTIM, "hash_mismatch", Kind.OPENED))
          .as("an unreachable service is never reported as tampered: %s", h.events).isEqualTo(
              h.count(VICTIM, "integrity", Kind.RESOLVED) + h.count(VICTIM, "hash_mismatch", Kind.RESOLVED));
      assertThat(h.metric(series("constitutional_target_up", VICTIM))).isEqualTo(0.0);
    }

    h.sim.clearFault(VICTIM).toCompletionStage().toCompletableFuture().get();
    await().atMost(FleetHarness.deadline()).untilAsserted(() -> {
      assertThat(h.count(VICTIM, rule, Kind.RESOLVED)).isEqualTo(resolvedBefore + 1);
      assertThat(h.verdict(VICTIM)).isEqualTo("compliant");
    });
    assertThat(h.count(VICTIM, rule, Kind.OPENED)).as("never re-opened while open").isEqualTo(openedBefore + 1);
    assertThat(h.count(BYSTANDER, rule, Kind.OPENED)).isEqualTo(bystanderBefore);
  }
}

package dev.vigil.report;

import static dev.vigil.report.EvidenceFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.evidence.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure core on the reference evidence (EvidenceFixture.reference(), written to a real log and
 * read back through its signed checkpoint). Every figure is computed by hand in the comments.
 */
class ReportBuilderTest {
  static final Instant FROM = at("2026-11-26T00:00:00Z");
  static final Instant TO = at("2026-11-26T10:00:00Z");
  static final Instant NOW = at("2026-12-01T00:00:00Z");
  static final long HOUR = 3_600_000;

  @TempDir Path dir;
  EvidenceSource.Loaded loaded;

  @BeforeEach
  void writeReferenceLog() throws Exception {
    byte[] note = EvidenceFixture.reference().write(dir);
    loaded = EvidenceSource.fromDir(dir, note, EvidenceFixture.MONITOR_KEY.publicKey());
  }

  Report report(Instant from, Instant to, String service, Instant asOf) {
    return ReportBuilder.build(loaded.entries(), loaded.checkpoint(), from, to, service, Duration.ofHours(2), asOf);
  }

  Report reference() {
    return report(FROM, TO, null, NOW);
  }

  static Report.ServiceReport target(Report r, String service) {
    return r.services().stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  @Nested
  class TimeWeighted {
    // svc-a: compliant 23:30 (in force to 01:00), compliant 01:00-02:00, hash_mismatch 02:00-03:00,
    // compliant 03:00-05:00, compliant 05:00-07:00 (staleAfter 2 h; next verdict only at 09:00: 07-09 uncovered),
    // unreachable 09:00-10:00. Covered 8 h, compliant 6 h, available 7 h.
    @Test
    void complianceAndAvailabilityOfATargetWithAGapAndAnOutage() {
      Report.ServiceReport a = target(reference(), "svc-a");
      assertThat(a.environment()).isEqualTo("green");
      assertThat(a.coveredMillis()).isEqualTo(8 * HOUR);
      assertThat(a.compliantMillis()).isEqualTo(6 * HOUR);
      assertThat(a.availableMillis()).isEqualTo(7 * HOUR);
      assertThat(a.compliancePct()).isEqualTo(75.0);
      assertThat(a.availabilityPct()).isEqualTo(87.5);
      assertThat(a.coveragePct()).isEqualTo(80.0);
      assertThat(a.verdictMillis()).containsEntry("compliant", 6 * HOUR).containsEntry("hash_mismatch", HOUR)
          .containsEntry("unreachable", HOUR).hasSize(3);
    }

    @Test
    void timelineMergesRunsAndLeavesTheGapOut() {
      assertThat(target(reference(), "svc-a").timeline()).containsExactly(
          new Report.Run(at("2026-11-26T00:00:00Z"), at("2026-11-26T02:00:00Z"), "compliant"),
          new Report.Run(at("2026-11-26T02:00:00Z"), at("2026-11-26T03:00:00Z"), "hash_mismatch"),
          new Report.Run(at("2026-11-26T03:00:00Z"), at("2026-11-26T07:00:00Z"), "compliant"),
          new Report.Run(at("2026-11-26T09:00:00Z"), at("2026-11-26T10:00:00Z"), "unreachable"));
    }

    @Test
    void aTargetSampledEveryTwoHoursIsFullyCovered() {
      Report.ServiceReport b = target(reference(), "svc-b");
      assertThat(b.coveredMillis()).isEqualTo(10 * HOUR);
      assertThat(b.compliancePct()).isEqualTo(100.0);
      assertThat(b.availabilityPct()).isEqualTo(100.0);
      assertThat(b.notes()).isEmpty();
    }

    @Test
    void aShorterStaleAfterCoversLess() {
      Report r = ReportBuilder.build(loaded.entries(), loaded.checkpoint(), FROM, TO, "svc-b", Duration.ofHours(1), NOW);
      // samples at 00, 02, 04, 06, 08 each vouch for 1 h: 5 h of 10
      assertThat(target(r, "svc-b").coveredMillis()).isEqualTo(5 * HOUR);
    }
  }

  @Nested
  class BreachesRollbacksHashesSlo {
    @Test
    void breachWithRuleFromItsIdAndDuration() {
      Report.ServiceReport a = target(reference(), "svc-a");
      assertThat(a.breaches()).containsExactly(new Report.BreachRecord("b-svc-a-green-hash_integrity-20261126T020000Z",
          "hash_integrity", "hash_mismatch", at("2026-11-26T02:00:00Z"), at("2026-11-26T03:00:00Z"), HOUR, false));
      assertThat(a.breachMillis()).isEqualTo(HOUR);
      assertThat(target(reference(), "svc-b").breachMillis()).isZero();
    }

    @Test
    void aBreachStillOpenAtTheEndOfThePeriod() {
      Report r = report(FROM, at("2026-11-26T02:30:00Z"), "svc-a", NOW);
      Report.BreachRecord b = target(r, "svc-a").breaches().get(0);
      assertThat(b.openAtEnd()).isTrue();
      assertThat(target(r, "svc-a").breachMillis()).isEqualTo(HOUR / 2);
    }

    @Test
    void rollbackWithOutcome() {
      assertThat(target(reference(), "svc-a").rollbacks()).containsExactly(new Report.RollbackRecord(
          at("2026-11-26T02:30:00Z"), "succeeded", "b-svc-a-green-hash_integrity-20261126T020000Z", "rolled back to v1"));
    }

    @Test
    void hashesObservedInThePeriodOnly() {
      // in period with envelopes: 01:00, 03:00, 05:00 good hash; 02:00 deadbeef (23:30 is before the period)
      assertThat(target(reference(), "svc-a").hashes()).containsExactly(
          new Report.HashSeen("cdd01ef066bc6cf2", 3, at("2026-11-26T01:00:00Z"), at("2026-11-26T05:00:00Z")),
          new Report.HashSeen("deadbeefdeadbeef", 1, at("2026-11-26T02:00:00Z"), at("2026-11-26T02:00:00Z")));
    }

    @Test
    void sloFiguresMinMedianMax() {
      Report.Slo slo = target(reference(), "svc-a").slo();
      // p95 [120, 150, 200, 300], rps [500, 650, 700, 800], error rate [0, 0.002, 0.004, 0.01]
      assertThat(slo.p95LatencyMs()).isEqualTo(new Report.Stats(4, 120.0, 175.0, 300.0));
      assertThat(slo.requestsPerSecond()).isEqualTo(new Report.Stats(4, 500.0, 675.0, 800.0));
      assertThat(slo.errorRate().median()).isCloseTo(0.003, within(1e-12));
      assertThat(slo.errorRate().min()).isEqualTo(0.0);
      assertThat(slo.errorRate().max()).isEqualTo(0.01);
    }

    @Test
    void evidenceCounts() {
      Report.Counts c = target(reference(), "svc-a").counts();
      assertThat(c.byKind()).containsEntry("verdict", 5L).containsEntry("breach.opened", 1L)
          .containsEntry("breach.resolved", 1L).containsEntry("rollback.finished", 1L);
      assertThat(c.withEnvelope()).isEqualTo(4);
      assertThat(c.unreadableEnvelopes()).isZero();
      Report r = reference();
      assertThat(r.log().entries()).isEqualTo(14);
      assertThat(r.log().entriesInPeriod()).isEqualTo(13);
    }
  }

  @Nested
  class FleetAndObjectives {
    // fleet: 2 targets x 10 h = 20 h; covered 8 + 10 = 18 h; compliant 6 + 10 = 16 h; available 7 + 10 = 17 h
    @Test
    void fleetFiguresAreTargetTimeWeighted() {
      Report.Fleet f = reference().fleet();
      assertThat(f.targetMillis()).isEqualTo(20 * HOUR);
      assertThat(f.coveredMillis()).isEqualTo(18 * HOUR);
      assertThat(f.compliancePct()).isCloseTo(100.0 * 16 / 18, within(1e-9));
      assertThat(f.availabilityPct()).isCloseTo(100.0 * 17 / 18, within(1e-9));
      assertThat(f.worstP95Ms()).isEqualTo(1000.0);
      assertThat(f.rpsSum()).isEqualTo(675.0 + 500.0);
      assertThat(f.breachMillis()).isEqualTo(HOUR);
    }

    @Test
    void objectivesOnAPartlyCoveredFleet() {
      List<Report.Objective> o = reference().objectives();
      // compliance: upper bound (16 + 2) / 20 = 90 % <= 95 %: not met, whatever the uncovered 2 h were
      assertThat(o.get(0).status()).isEqualTo(Report.Status.NOT_MET);
      assertThat(o.get(0).figure()).isCloseTo(88.888888, within(1e-5));
      // availability: upper bound (17 + 2) / 20 = 95 % < 99.9 %
      assertThat(o.get(1).status()).isEqualTo(Report.Status.NOT_MET);
      // p95 1000 ms <= 2 s and RPS 1175 >= 1000 on the covered time, but 2 h are not covered
      assertThat(o.get(2).figure()).isEqualTo(1000.0);
      assertThat(o.get(2).status()).isEqualTo(Report.Status.UNDETERMINED);
      assertThat(o.get(3).figure()).isEqualTo(1175.0);
      assertThat(o.get(3).status()).isEqualTo(Report.Status.UNDETERMINED);
    }

    @Test
    void objectivesOnAFullyCoveredService() {
      List<Report.Objective> o = report(FROM, TO, "svc-b", NOW).objectives();
      assertThat(o).extracting(Report.Objective::status).containsExactly(Report.Status.MET, Report.Status.MET,
          Report.Status.MET, Report.Status.NOT_MET);
      assertThat(o.get(0).figure()).isEqualTo(100.0);
      assertThat(o.get(3).figure()).isEqualTo(500.0);
    }
  }

  @Nested
  class PartialAndEmpty {
    @Test
    void logStartingAfterThePeriodStartSaysSo() {
      Report r = report(at("2026-11-25T20:00:00Z"), TO, null, NOW);
      assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("the log starts at 2026-11-25T23:30:00Z"));
      assertThat(target(r, "svc-b").notes()).anySatisfy(n -> assertThat(n).contains("start of the period is not covered"));
      assertThat(r.objectives().get(0).status()).isNotEqualTo(Report.Status.MET);
    }

    @Test
    void aPeriodWithNoEvidenceIsNotOneHundredPercent() {
      Report r = report(at("2026-11-20T00:00:00Z"), at("2026-11-21T00:00:00Z"), null, NOW);
      assertThat(r.services()).isEmpty();
      assertThat(r.fleet().compliancePct()).isNull();
      assertThat(r.objectives()).extracting(Report.Objective::status).containsOnly(Report.Status.NO_EVIDENCE);
      assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("no target has evidence in the period"));
    }

    @Test
    void anUnknownServiceSaysSo() {
      Report r = report(FROM, TO, "nope", NOW);
      assertThat(r.services()).isEmpty();
      assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("no evidence for service nope"));
    }

    @Test
    void thePeriodAfterTheReportTimeIsNotCovered() {
      Report r = report(FROM, TO, "svc-b", at("2026-11-26T05:00:00Z"));
      assertThat(target(r, "svc-b").coveredMillis()).isEqualTo(5 * HOUR);
      assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("after the report's time"));
      assertThat(r.objectives().get(0).status()).isEqualTo(Report.Status.UNDETERMINED);
    }

    @Test
    void anEmptyLog(@TempDir Path empty) throws Exception {
      byte[] note = new EvidenceFixture().write(empty);
      EvidenceSource.Loaded none = EvidenceSource.fromDir(empty, note, null);
      Report r = ReportBuilder.build(none.entries(), none.checkpoint(), FROM, TO, null, Duration.ofHours(2), NOW);
      assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("no evidence at all"));
      assertThat(r.objectives()).extracting(Report.Objective::status).containsOnly(Report.Status.NO_EVIDENCE);
    }

    @Test
    void badArguments() {
      assertThatThrownBy(() -> report(TO, FROM, null, NOW)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not before");
      assertThatThrownBy(() -> ReportBuilder.build(List.<Entry>of(), loaded.checkpoint(), FROM, TO, null, Duration.ZERO,
          NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staleAfter");
    }
  }

  @Test
  void anEnvelopeThatIsNotAStatementIsCountedUnreadable(@TempDir Path other) throws IOException, Exception {
    EvidenceFixture f = new EvidenceFixture();
    f.entries.add(new Entry(0, FROM.plusSeconds(60), EvidenceFixture.MONITOR, "svc-c", "green", Entry.Kind.VERDICT,
        "malformed_envelope", "not json", null, "{not json".getBytes(), null));
    EvidenceSource.Loaded l = EvidenceSource.fromDir(other, f.write(other), null);
    Report r = ReportBuilder.build(l.entries(), l.checkpoint(), FROM, TO, null, Duration.ofHours(2), NOW);
    assertThat(target(r, "svc-c").counts().unreadableEnvelopes()).isEqualTo(1);
    assertThat(target(r, "svc-c").slo().p95LatencyMs().n()).isZero();
  }
}

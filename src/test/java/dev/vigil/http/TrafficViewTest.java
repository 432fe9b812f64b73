package dev.vigil.http;

import static dev.vigil.http.PageFixtures.NOW;
import static dev.vigil.http.PageFixtures.snapshot;
import static dev.vigil.http.PageFixtures.target;
import static dev.vigil.http.TrafficFixtures.finished;
import static dev.vigil.http.TrafficFixtures.rollback;
import static dev.vigil.http.TrafficFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.events.RollbackFinished.Status;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The controller's events folded into weights, rollbacks and rollouts, and how the pages show them. */
class TrafficViewTest {
  private static final TargetId GREEN = new TargetId("integrity-service", "green");
  private static final TargetId BLUE = new TargetId("integrity-service", "blue");
  private static final TargetId AUTH_GREEN = new TargetId("auth-service", "green");

  private static TrafficView view() {
    return new TrafficView("constitutional.rollbacks and constitutional.rollouts", Duration.ofSeconds(15));
  }

  @Nested
  class Weights {
    @Test
    void aSucceededRollbackPutsAllTrafficOnItsToSide() {
      TrafficView v = view();
      v.accept(rollback("integrity-service", "r-1", Status.SUCCEEDED, NOW.minusSeconds(30)));
      TrafficView.Snapshot s = v.snapshot();
      assertThat(s.weight(BLUE).percent()).isEqualTo(100);
      assertThat(s.weight(GREEN).percent()).isZero();
      assertThat(s.weight(GREEN).because()).isEqualTo("rollback r-1 succeeded");
      assertThat(s.weight(AUTH_GREEN)).isNull();
    }

    @Test
    void skippedAndFailedRollbacksMoveNothing() {
      TrafficView v = view();
      v.accept(rollback("integrity-service", "r-1", Status.SKIPPED, NOW));
      v.accept(rollback("integrity-service", "r-2", Status.FAILED, NOW));
      assertThat(v.snapshot().weight(GREEN)).isNull();
      assertThat(v.snapshot().rollbacks().get("integrity-service")).hasSize(2);
    }

    @Test
    void rolloutStepsCarryTheirWeightsAndTheLatestEventWinsAcrossTopics() {
      TrafficView v = view();
      v.accept(step("auth-service", "m-1", 2, "progressing", NOW.minusSeconds(10)));
      assertThat(v.snapshot().weight(AUTH_GREEN).percent()).isEqualTo(50);
      // a rollback that finished before the step, delivered after it (another topic): the step stands
      v.accept(rollback("auth-service", "r-1", Status.SUCCEEDED, NOW.minusSeconds(20)));
      assertThat(v.snapshot().weight(AUTH_GREEN).percent()).isEqualTo(50);
      v.accept(finished("auth-service", "m-1", "promoted", NOW.minusSeconds(100), NOW));
      assertThat(v.snapshot().weight(AUTH_GREEN).percent()).isEqualTo(100);
      assertThat(v.snapshot().weight(new TargetId("auth-service", "blue")).percent()).isZero();
    }

    @Test
    void aFailedRolloutLeavesTheWeightsAsTheyWere() {
      TrafficView v = view();
      v.accept(step("auth-service", "m-1", 1, "progressing", NOW.minusSeconds(10)));
      v.accept(finished("auth-service", "m-1", "failed", NOW.minusSeconds(100), NOW));
      assertThat(v.snapshot().weight(AUTH_GREEN).percent()).isEqualTo(10);
    }
  }

  @Nested
  class Rollouts {
    @Test
    void aRolloutIsInProgressUntilItsFinishedEvent() {
      TrafficView v = view();
      v.accept(step("auth-service", "m-1", 1, "progressing", NOW.minusSeconds(20)));
      v.accept(step("auth-service", "m-1", 2, "progressing", NOW.minusSeconds(5)));
      assertThat(v.snapshot().inProgress()).singleElement().satisfies(r -> assertThat(r.step()).isEqualTo(2));
      v.accept(step("auth-service", "m-1", 1, "progressing", NOW.minusSeconds(20))); // delivered again: ignored
      assertThat(v.snapshot().inProgress().get(0).step()).isEqualTo(2);
      v.accept(finished("auth-service", "m-1", "aborted", NOW.minusSeconds(30), NOW));
      assertThat(v.snapshot().inProgress()).isEmpty();
      assertThat(v.snapshot().rollouts().get("auth-service")).singleElement()
          .satisfies(r -> assertThat(r.stateOrStatus()).isEqualTo("aborted"));
    }

    @Test
    void theNextAnalysisIsTheNextMultipleOfTheIntervalAfterTheLastEvent() {
      TrafficView v = view();
      v.accept(step("auth-service", "m-1", 1, "progressing", NOW.minusSeconds(20)));
      TrafficView.Snapshot s = v.snapshot();
      assertThat(s.nextAnalysis(s.inProgress().get(0), NOW)).isEqualTo(s.inProgress().get(0).at().plusSeconds(30));
    }

    @Test
    void historyIsBounded() {
      TrafficView v = view();
      for (int i = 0; i < 30; i++) {
        v.accept(rollback("integrity-service", "r-" + i, Status.SKIPPED, NOW.plusSeconds(i)));
        v.accept(finished("integrity-service", "m-" + i, "promoted", NOW, NOW.plusSeconds(i)));
        v.accept(rollback("integrity-service", "r-" + i, Status.SKIPPED, NOW.plusSeconds(i))); // again: replaced
      }
      assertThat(v.snapshot().rollbacks().get("integrity-service")).hasSize(TrafficView.ROLLBACKS_KEPT)
          .first().satisfies(r -> assertThat(r.rollbackId()).isEqualTo("r-29"));
      assertThat(v.snapshot().rollouts().get("integrity-service")).hasSize(TrafficView.ROLLOUTS_KEPT)
          .first().satisfies(r -> assertThat(r.rolloutId()).isEqualTo("m-29"));
      for (int i = 0; i < TrafficView.MAX_SERVICES + 10; i++) {
        v.accept(rollback("svc-" + i, "r", Status.SKIPPED, NOW));
      }
      assertThat(v.snapshot().rollbacks()).hasSize(TrafficView.MAX_SERVICES);
    }
  }

  @Nested
  class Pages {
    private final MonitorSnapshot fleet = snapshot("monitor-0", List.of(target(GREEN, Verdict.COMPLIANT, "ok", 1.0, List.of()),
        target(BLUE, Verdict.COMPLIANT, "ok", 1.0, List.of()), target(AUTH_GREEN, Verdict.COMPLIANT, "ok", 1.0, List.of())),
        List.of(), List.of(), false, List.of());

    @Test
    void rolloutsInProgressAreAtTheTopAndCellsShowTheirWeight() {
      TrafficView v = view();
      v.accept(rollback("integrity-service", "r-1", Status.SUCCEEDED, NOW.minusSeconds(42)));
      v.accept(step("auth-service", "m-auth", 2, "progressing", NOW.minusSeconds(20)));
      String html = StatusPage.render(fleet, new PollHistory(), v.snapshot(), 5);
      String top = html.substring(html.indexOf("id=\"attention\""), html.indexOf("class=\"grid\""));
      assertThat(top).contains("1 rollout in progress").contains("data-rollout-id=\"m-auth\"")
          .contains("<a href=\"/targets/auth-service/green\">auth-service</a>").contains("2 of 4")
          .contains("blue 50 % · green 50 %").contains("progressing").contains("✓ attestations 6 within 3")
          .contains("next analysis").contains("≈ 2026-12-01 02:49:39Z").contains("(every 15 s)");
      String cell = html.substring(html.indexOf("data-target=\"integrity-service/blue\""));
      assertThat(cell.substring(0, cell.indexOf("</td>"))).contains("weight <span class=\"weight\" title=\"rollback r-1 succeeded")
          .contains(">100 %</span>");
      String auth = html.substring(html.indexOf("data-target=\"auth-service/green\""));
      assertThat(auth.substring(0, auth.indexOf("</td>"))).contains(">50 %</span>");
    }

    @Test
    void withoutEventsTheWeightIsUnknownAndSaysWhy() {
      String none = StatusPage.render(fleet, new PollHistory(), TrafficView.none().snapshot(), 5);
      assertThat(none).contains("weight <span title=\"the monitor reads the rollback controller&#39;s events only when Kafka"
          + " is configured\">unknown</span>").doesNotContain("in progress");
      String unseen = StatusPage.render(fleet, new PollHistory(), view().snapshot(), 5);
      assertThat(unseen).contains("no rollback or rollout of this service seen on constitutional.rollbacks and");
    }

    @Test
    void theTargetPageListsItsServicesRollbacksAndRollouts() {
      TrafficView v = view();
      v.accept(rollback("integrity-service", "r-1", Status.SUCCEEDED, NOW.minusSeconds(42)));
      v.accept(rollback("integrity-service", "r-2", Status.SKIPPED, NOW.minusSeconds(10)));
      v.accept(finished("integrity-service", "m-int", "promoted", NOW.minusSeconds(600), NOW.minusSeconds(300)));
      v.accept(rollback("auth-service", "r-auth", Status.SUCCEEDED, NOW));
      String html = TargetPage.render(fleet, new PollHistory(), v.snapshot(), GREEN, 5);
      assertThat(html).contains("Rollouts of integrity-service (1)").contains("data-rollout-id=\"m-int\"").contains("✓ promoted")
          .contains("Rollbacks of integrity-service (2)").contains("data-rollback-id=\"r-1\"").contains("✓ succeeded")
          .contains("– skipped").contains("green → blue").contains("2.5 s").contains("42 s ago")
          .doesNotContain("r-auth");
      assertThat(html.indexOf("data-rollback-id=\"r-2\"")).as("newest first").isLessThan(html.indexOf("data-rollback-id=\"r-1\""));
      assertThat(html).contains("<th scope=\"row\">traffic weight</th><td><b class=\"weight\">0 %</b> <small>since");
    }

    @Test
    void rejectedEventsRaiseABanner() {
      TrafficView v = view();
      v.rejected();
      v.rejected();
      String html = StatusPage.render(fleet, new PollHistory(), v.snapshot(), 5);
      assertThat(html).contains("2 events on constitutional.rollbacks and constitutional.rollouts failed verification");
    }
  }

  @Test
  void theNextAnalysisIsNeverInThePast() {
    TrafficView v = view();
    Instant at = NOW.minusSeconds(47);
    v.accept(step("auth-service", "m-1", 1, "progressing", at));
    TrafficView.Snapshot s = v.snapshot();
    assertThat(s.nextAnalysis(s.inProgress().get(0), NOW)).isAfter(NOW).isBeforeOrEqualTo(NOW.plusSeconds(15));
  }
}

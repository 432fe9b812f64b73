package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.poll.TestVertx;
import dev.vigil.rollback.ServiceLocks;
import dev.vigil.score.Rule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollouts' smaller parts: events to the byte, the store, the lock, the analyses' arithmetic. */
class RolloutPartsTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:10:00Z");
  final StepMachine m = new StepMachine(new StepPolicy(List.of(10, 50, 90, 100), java.time.Duration.ofSeconds(60),
      java.time.Duration.ofSeconds(15), 2, 1, Set.of()));

  Rollout atStep2() {
    Rollout r = m.start("m-auth-service-20261126T180000Z", "auth-service", "blue", "green", List.of(),
        Instant.parse("2026-11-26T18:00:00Z"));
    List<Check> checks = List.of(Check.count("attestations", 6, 3, true), Check.of("latency_p95", 0.41, 2.0, true));
    for (int i = 0; i < 2; i++) {
      r = m.applied(m.analysed(r, checks, r.dwellUntil()), r.dwellUntil());
    }
    return r;
  }

  @Nested
  class Events {
    @Test
    void aStepIsTheSpecsExampleToTheByte() {
      Rollout r = atStep2();
      CloudEvent e = new CloudEvent("0193f1d2-7c1e-7a4b-9c55-3f1e2d4c5b6a", "vigil://rollback-controller/monitor-0",
          CloudEvent.ROLLOUT_STEP, r.service(), T0, KafkaRolloutSink.data(r, T0));
      String json = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
      assertThat(json).endsWith("\"data\":{\"rolloutId\":\"m-auth-service-20261126T180000Z\",\"service\":\"auth-service\","
          + "\"from\":\"blue\",\"to\":\"green\",\"step\":2,\"steps\":[10,50,90,100],\"weights\":{\"blue\":50,\"green\":50},"
          + "\"state\":\"progressing\",\"analysis\":[{\"check\":\"attestations\",\"value\":6,\"threshold\":3,\"passed\":true},"
          + "{\"check\":\"latency_p95\",\"value\":0.41,\"threshold\":2.0,\"passed\":true}],"
          + "\"detail\":\"step 2 of 4: green 50 %\",\"at\":\"2026-11-26T18:10:00.000Z\"}}");
    }

    @Test
    void aFinishedRolloutCarriesStatusTimesAndDurationAndParsesBack() throws Exception {
      Instant later = T0.plusSeconds(120);
      Rollout step3 = m.applied(m.analysed(atStep2(), List.of(), T0), T0);
      Rollout step4 = m.applied(m.analysed(step3, List.of(), later), later);
      Rollout promoted = m.promotion(step4, true, "ok", later);
      assertThat(promoted.state()).isEqualTo(RolloutState.PROMOTED);
      CloudEvent e = new KafkaRolloutSink(null, null, "vigil://rollback-controller/x", "t").event(promoted, T0);
      String json = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
      assertThat(json).contains("\"type\":\"dev.vigil.rollout.finished\"").contains("\"status\":\"promoted\"")
          .contains("\"startedAt\":\"2026-11-26T18:00:00.000Z\"").contains("\"durationMs\":").doesNotContain("\"step\":")
          .doesNotContain("\"analysis\"");
      CloudEvent back = EventCodec.parse(EventCodec.toJson(e));
      assertThat(back).isEqualTo(e);
      assertThat(new KafkaRolloutSink(null, null, "s", "t").event(promoted, T0).id())
          .as("the same event again has the same id").isEqualTo(e.id());
      assertThat(new KafkaRolloutSink(null, null, "s", "t").event(promoted.published(), T0).id()).isNotEqualTo(e.id());
    }
  }

  @Nested
  class Store {
    @TempDir Path dir;

    @Test
    void theLastRecordOfEachServiceSurvivesAReopenAndATornTail() throws Exception {
      Rollout a = atStep2();
      try (RolloutStore s = RolloutStore.open(dir)) {
        s.record(m.start("m-x", "integrity-service", "blue", "green", List.of(), T0));
        s.record(a);
        s.record(m.pause(a, T0).rollout());
      }
      Files.write(dir.resolve(RolloutStore.FILE), new byte[] {0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
      try (RolloutStore s = RolloutStore.open(dir)) {
        assertThat(s.latest()).extracting(Rollout::service).containsExactly("integrity-service", "auth-service");
        assertThat(s.latest().get(1).state()).isEqualTo(RolloutState.PAUSED);
        assertThat(s.latest().get(1).step()).isEqualTo(2);
      }
    }
  }

  @Nested
  class Locks {
    @Test
    void workOnOneServiceRunsInOrderOtherServicesDoNotWait() throws Exception {
      ServiceLocks locks = new ServiceLocks();
      List<String> order = new ArrayList<>();
      Promise<Void> first = Promise.promise();
      Future<Void> a = locks.run("s", () -> {
        order.add("a");
        return first.future();
      });
      Future<Void> b = locks.run("s", () -> {
        order.add("b");
        return Future.succeededFuture();
      });
      Future<Void> other = locks.run("t", () -> {
        order.add("other");
        return Future.succeededFuture();
      });
      assertThat(order).containsExactly("a", "other");
      assertThat(b.isComplete()).isFalse();
      first.fail("actuator down");
      List<String> after = TestVertx.await(b.map(v -> order));
      assertThat(after).containsExactly("a", "other", "b");
      assertThat(a.failed()).isTrue();
      assertThat(other.succeeded()).isTrue();
    }
  }

  @Nested
  class Analyses {
    @Test
    void sloChecksHoldTheSignedReportAgainstTheFleetRules() {
      AttestationAnalysis a = new AttestationAnalysis(s -> Future.succeededFuture(null), 3, true, Rule.defaults());
      Statement st = statement(new Statement.Slo(2500.0, 50.0, 0.001));
      assertThat(a.slo(st)).containsExactly(Check.of("latency_p95", 2.5, 2.0, false),
          Check.of("error_rate", 0.001, 0.01, true), Check.of("throughput", 50.0, 100.0, false));
      assertThat(a.slo(null)).allMatch(Check::inconclusive).hasSize(3);
    }

    @Test
    void attestationsCountCompliantPollsInARowAndStopAtTheFirstThatIsNot() throws Exception {
      List<Verdict> verdicts = new ArrayList<>(List.of(Verdict.COMPLIANT, Verdict.HASH_MISMATCH, Verdict.COMPLIANT));
      int[] polls = {0};
      AttestationAnalysis a = new AttestationAnalysis(s -> {
        polls[0]++;
        Verdict v = verdicts.remove(0);
        return Future.succeededFuture(new Verification(v, "x", true, List.of("k"), statement(null)));
      }, 3, false, Rule.defaults());
      assertThat(TestVertx.await(a.run("auth-service", "green")))
          .containsExactly(Check.count("attestations", 1, 3, false));
      assertThat(polls[0]).isEqualTo(2);
    }

    @Test
    void promqlAnswersVectorScalarEmptyAndErrors() {
      assertThat(PrometheusAnalysis.first(new JsonObject("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
          + "\"result\":[{\"metric\":{},\"value\":[1700000000.1,\"5\"]}]}}"))).isEqualTo(5.0);
      assertThat(PrometheusAnalysis.first(new JsonObject("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
          + "\"result\":[1700000000.1,\"0.25\"]}}"))).isEqualTo(0.25);
      assertThat(PrometheusAnalysis.first(new JsonObject("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
          + "\"result\":[]}}"))).isNull();
      assertThatThrownBy(() -> PrometheusAnalysis.first(new JsonObject("{\"status\":\"error\",\"error\":\"parse\"}")))
          .hasMessageContaining("parse");
      assertThatThrownBy(() -> PrometheusAnalysis.first(new JsonObject("{\"status\":\"success\",\"data\":"
          + "{\"resultType\":\"matrix\",\"result\":[]}}"))).hasMessageContaining("matrix");
    }

    Statement statement(Statement.Slo slo) {
      return new Statement("s", "d", "auth-service", "green", "h", Statement.ACTIVE, "n", T0, "1", 1L, slo);
    }
  }
}

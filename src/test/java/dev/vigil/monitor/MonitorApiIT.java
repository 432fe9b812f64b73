package dev.vigil.monitor;

import static dev.vigil.monitor.FleetHarness.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.score.BreachTransition.Kind;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor's HTTP surface, partition handling and reload, against a real simulator. */
class MonitorApiIT {
  private static final List<String> SERVICES = List.of("auth-service", "constitutional-ai-service", "integrity-service",
      "formal-verification-service", "governance-synthesis-service", "policy-governance-service", "executive-council-service");
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");

  @TempDir Path dir;
  private FleetHarness h;

  @BeforeEach
  void start() throws Exception {
    h = FleetHarness.start(SERVICES, List.of("green"), dir);
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  @Nested
  class Surface {
    @Test
    void healthApiAndStatusPageReflectABreach() throws Exception {
      assertThat(h.get("/health/live").statusCode()).isEqualTo(200);
      h.sim.setFault(VICTIM, Fault.TAMPERED_HASH).toCompletionStage().toCompletableFuture().get();
      await().atMost(FleetHarness.deadline()).until(() -> h.count(VICTIM, "hash_mismatch", Kind.OPENED) == 1);

      JsonNode breaches = FleetHarness.JSON.readTree(h.get("/api/v1/breaches").body());
      JsonNode open = breaches.get("open").get(0);
      assertThat(open.get("rule").asText()).isEqualTo("hash_mismatch");
      assertThat(open.get("observed").asText()).isEqualTo("deadbeefdeadbeef");
      assertThat(open.get("expected").asText()).isEqualTo("cdd01ef066bc6cf2");
      assertThat(open.get("breachId").asText()).startsWith("b-integrity-service-green-hash_mismatch-");

      HttpResponse<String> page = h.get("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      assertThat(page.body()).contains("integrity-service").contains("hash_mismatch").contains(open.get("breachId").asText())
          .contains("http-equiv=\"refresh\"").doesNotContain("<script src").doesNotContain("src=\"http");
      assertThat(h.get("/no/such/thing").statusCode()).isEqualTo(404);
      // metrics-v1: the fleet score is the mean of the per-service scores, as exported
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
        String metrics = h.get("/metrics").body();
        double[] sum = new double[2];
        metrics.lines().filter(l -> l.startsWith("constitutional_compliance_score{")).forEach(l -> {
          sum[0] += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
          sum[1]++;
        });
        String fleet = metrics.lines().filter(l -> l.startsWith("constitutional_fleet_compliance_score{environment=\"green\"}"))
            .findFirst().orElseThrow();
        assertThat(sum[1]).isEqualTo(SERVICES.size());
        assertThat(sum[0] / sum[1]).isLessThan(1.0)
            .isCloseTo(Double.parseDouble(fleet.substring(fleet.lastIndexOf(' ') + 1)), within(1e-9));
      });
    }

    @Test
    void liveMetricsPassPromtool() throws Exception {
      Assumptions.assumeTrue(Promtool.path().isPresent(), "promtool not on PATH (Debian package prometheus)");
      HttpResponse<String> m = h.get("/metrics");
      assertThat(m.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(Promtool.checkMetrics(m.body())).isEmpty();
    }
  }

  @Nested
  class Partition {
    @Test
    void mostTargetsUnreachableAtOnceOpensNoAvailabilityBreach() throws Exception {
      List<TargetId> cut = h.sim.targets().subList(0, 6);
      for (TargetId t : cut) {
        h.sim.setFault(t, Fault.CONNECTION_REFUSED).toCompletionStage().toCompletableFuture().get();
      }
      await().atMost(FleetHarness.deadline()).until(() -> h.metric("constitutional_monitor_partitioned") == 1.0);
      for (TargetId t : cut) {
        await().atMost(FleetHarness.deadline()).until(() -> "unreachable".equals(h.verdict(t)));
      }
      assertThat(h.events).noneMatch(e -> e.breach().rule().equals("availability"));
      assertThat(h.events).noneMatch(e -> e.breach().rule().equals("integrity") || e.breach().rule().equals("hash_mismatch"));
      h.sim.clearAll().toCompletionStage().toCompletableFuture().get();
      await().atMost(FleetHarness.deadline()).until(() -> h.metric("constitutional_monitor_partitioned") == 0.0);
      assertThat(h.events).noneMatch(e -> e.breach().rule().equals("availability"));
    }

    @Test
    void integrityStillOpensWhilePartitioned() throws Exception {
      for (TargetId t : h.sim.targets().subList(0, 6)) {
        if (!t.equals(VICTIM)) {
          h.sim.setFault(t, Fault.CONNECTION_REFUSED).toCompletionStage().toCompletableFuture().get();
        }
      }
      TargetId last = h.sim.targets().get(6);
      h.sim.setFault(last, Fault.CONNECTION_REFUSED).toCompletionStage().toCompletableFuture().get();
      await().atMost(FleetHarness.deadline()).until(() -> h.metric("constitutional_monitor_partitioned") == 1.0);
      h.sim.setFault(VICTIM, Fault.BAD_SIGNATURE).toCompletionStage().toCompletableFuture().get();
      await().atMost(FleetHarness.deadline()).until(() -> h.count(VICTIM, "integrity", Kind.OPENED) == 1);
    }
  }

  @Nested
  class Reload {
    @Test
    void withoutOrWithAWrongTokenIs401() throws Exception {
      assertThat(h.reload(null).statusCode()).isEqualTo(401);
      HttpResponse<String> wrong = h.reload("not-the-token-at-all");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("www-authenticate")).isPresent();
    }

    @Test
    void aGoodConfigurationIsApplied() throws Exception {
      List<TargetId> fewer = h.sim.targets().subList(0, 4);
      Files.writeString(h.configFile, FleetHarness.yaml(h.sim, fewer, ""));
      HttpResponse<String> r = h.reload(FleetHarness.TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(FleetHarness.JSON.readTree(r.body()).get("targets").asInt()).isEqualTo(4);
      assertThat(h.metric("constitutional_monitor_targets")).isEqualTo(4.0);
      assertThat(h.metric("constitutional_monitor_config_last_reload_successful")).isEqualTo(1.0);
      assertThat(FleetHarness.JSON.readTree(h.get("/api/v1/targets").body()).get("targets")).hasSize(4);
    }

    @Test
    void aLegacyTargetWhereSignaturesAreRequiredIsUnsignedAnIntegrityBreach() throws Exception {
      List<TargetId> others = h.sim.targets().stream().filter(t -> !t.equals(VICTIM)).toList();
      String legacy = "  - {service: integrity-service, environment: green, url: \"" + h.sim.baseUrl(VICTIM)
          + "\", mode: legacy-health}\n";
      Files.writeString(h.configFile, FleetHarness.yaml(h.sim, others, legacy));
      HttpResponse<String> r = h.reload(FleetHarness.TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      await().atMost(FleetHarness.deadline()).until(() -> "unsigned".equals(h.verdict(VICTIM)));
      await().atMost(FleetHarness.deadline()).until(() -> h.count(VICTIM, "integrity", Kind.OPENED) == 1);
      assertThat(h.target(VICTIM).get("signed").asBoolean()).isFalse();
      assertThat(h.target(VICTIM).get("mode").asText()).isEqualTo("legacy-health");
    }

    @Test
    void aBadConfigurationIsRefusedAndTheOldOneKeepsRunning() throws Exception {
      Files.writeString(h.configFile, FleetHarness.yaml(h.sim, h.sim.targets(), "").replace("interval: 500ms", "interval: soon")
          .replace("monitorId:", "monitorIdd:"));
      HttpResponse<String> r = h.reload(FleetHarness.TOKEN);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("polling.interval").contains("monitorIdd");
      assertThat(h.metric("constitutional_monitor_config_last_reload_successful")).isEqualTo(0.0);
      assertThat(h.metric("constitutional_monitor_targets")).isEqualTo(7.0);
      long polls = h.target(VICTIM).get("polls").asLong();
      await().atMost(FleetHarness.deadline()).until(() -> h.target(VICTIM).get("polls").asLong() > polls + 2);
      assertThat(h.metric(series("constitutional_hash_valid", VICTIM))).isEqualTo(1.0);
    }
  }
}

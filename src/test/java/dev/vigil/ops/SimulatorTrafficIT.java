package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real Prometheus scrapes the simulator's {@code /metrics}; the PromQL a rollout analysis
 * runs (p95, requests per second, error rate per service and environment) sees the router's
 * weights and the faults. The tests run in order on one simulator: each moves the traffic further.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatorTrafficIT {
  private static final String SERVICE = "auth-service";
  private static final TargetId GREEN = new TargetId(SERVICE, "green");
  private static final TargetId BLUE = new TargetId(SERVICE, "blue");
  private static final Duration SETTLE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private Vertx vertx;
  private FleetSimulator sim;
  private RealPrometheus prometheus;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(RealPrometheus.executable().isPresent(),
        "prometheus not installed (Debian package prometheus): the simulator's traffic is not scraped here");
    vertx = Vertx.vertx();
    sim = get(FleetSimulator.start(vertx, SimulatorOptions.defaults().withBasePort(0).withAdminPort(0)));
    prometheus = RealPrometheus.start(dir, sim.adminUrl().getAuthority(), null, null);
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (sim != null) {
      get(sim.stop());
    }
    if (vertx != null) {
      get(vertx.close());
    }
  }

  static String p95(String environment) {
    return "histogram_quantile(0.95, sum by (le) (rate(vigil_sim_request_duration_seconds_bucket{service=\"" + SERVICE
        + "\",environment=\"" + environment + "\"}[5s])))";
  }

  static String rps(String service, String environment) {
    return "sum(rate(vigil_sim_requests_total{service=\"" + service + "\",environment=\"" + environment + "\"}[5s]))";
  }

  static String errorRate(String environment) {
    return "sum(rate(vigil_sim_requests_total{service=\"" + SERVICE + "\",environment=\"" + environment
        + "\",status_class=\"5xx\"}[5s])) / " + rps(SERVICE, environment);
  }

  private double value(String promql) throws Exception {
    JsonNode result = prometheus.result(promql);
    return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asText());
  }

  private void awaitBetween(String promql, double min, double max) {
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(
        () -> assertThat(value(promql)).as(promql).isBetween(min, max));
  }

  @Test
  @Order(1)
  void allTrafficOnGreenAtTwelveHundredRpsWithinTheSlo() {
    awaitBetween(rps(SERVICE, "green"), 1100, 1300);
    awaitBetween(p95("green"), 0.1, 0.25);
    awaitBetween(errorRate("green"), 0, 0.01);
    awaitBetween(rps(SERVICE, "blue"), 0, 0);
  }

  @Test
  @Order(2)
  void theRoutersWeightsSplitTheLoad() {
    sim.traffic().set(SERVICE, new TrafficRouter.Split(50, 50));
    awaitBetween(rps(SERVICE, "blue"), 550, 650);
    awaitBetween(rps(SERVICE, "green"), 550, 650);
  }

  @Test
  @Order(3)
  void slowTrafficPutsTheMeasuredP95AboveTwoSeconds() throws Exception {
    get(sim.setFault(GREEN, Fault.SLOW_TRAFFIC));
    awaitBetween(p95("green"), 2.5, 5);
    awaitBetween(p95("blue"), 0.1, 0.25);
  }

  @Test
  @Order(4)
  void highErrorRateShowsAsFiveHundreds() throws Exception {
    get(sim.setFault(BLUE, Fault.HIGH_ERROR_RATE));
    awaitBetween(errorRate("blue"), 0.18, 0.22);
  }

  @Test
  @Order(5)
  void lowThroughputAndHighLatencyReportMoveTheTrafficToo() throws Exception {
    get(sim.setFault(new TargetId("integrity-service", "green"), Fault.LOW_THROUGHPUT));
    get(sim.setFault(GREEN, Fault.HIGH_LATENCY_REPORT));
    awaitBetween(rps("integrity-service", "green"), 9, 11);
    awaitBetween(p95("green"), 4, 5.5);
  }

  @Test
  @Order(6)
  void clearedFaultsBringTheTrafficBack() throws Exception {
    get(sim.clearAll());
    awaitBetween(p95("green"), 0.1, 0.25);
    awaitBetween(errorRate("blue"), 0, 0.01);
    awaitBetween(rps("integrity-service", "green"), 1100, 1300);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

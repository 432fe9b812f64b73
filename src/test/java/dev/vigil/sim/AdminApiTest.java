package dev.vigil.sim;

import static dev.vigil.sim.FleetSimulatorTest.INTEGRITY_BLUE;
import static dev.vigil.sim.FleetSimulatorTest.INTEGRITY_GREEN;
import static dev.vigil.sim.SimHarness.await;
import static dev.vigil.sim.SimHarness.get;
import static dev.vigil.sim.SimHarness.poll;
import static dev.vigil.sim.SimHarness.send;
import static dev.vigil.sim.SimHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Verdict;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON admin API, over real HTTP. */
class AdminApiTest extends SimulatorTestBase {

  private URI admin(String path) {
    return URI.create(sim.adminUrl() + path);
  }

  private HttpResponse<byte[]> put(String path, String body) throws Exception {
    return send("PUT", admin(path), body);
  }

  private JsonArray faults() throws Exception {
    HttpResponse<byte[]> r = get(admin("/faults"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(SimHarness.contentType(r)).isEqualTo("application/json");
    return new JsonObject(text(r)).getJsonArray("faults");
  }

  private static String error(HttpResponse<byte[]> r) {
    assertThat(SimHarness.contentType(r)).isEqualTo("application/json");
    return new JsonObject(text(r)).getString("error");
  }

  @Nested
  class SetListClear {
    @Test
    void startsWithNoFaults() throws Exception {
      assertThat(faults()).isEmpty();
      assertThat(sim.adminUrl().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void setsAFaultThatTheMonitorThenSees() throws Exception {
      assertThat(put("/faults/integrity-service/green", "{\"fault\":\"tampered_hash\"}").statusCode()).isEqualTo(204);
      assertThat(sim.fault(INTEGRITY_GREEN)).isEqualTo(Fault.TAMPERED_HASH);
      assertThat(faults()).containsExactly(new JsonObject()
          .put("service", "integrity-service").put("environment", "green").put("fault", "tampered_hash"));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(poll(sim, INTEGRITY_BLUE).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void slowTakesItsDelayOrTheDefault() throws Exception {
      assertThat(put("/faults/integrity-service/green", "{\"fault\":\"slow\",\"delayMs\":1500}").statusCode()).isEqualTo(204);
      assertThat(put("/faults/integrity-service/blue", "{\"fault\":\"slow\"}").statusCode()).isEqualTo(204);
      assertThat(faults()).containsExactlyInAnyOrder(
          new JsonObject().put("service", "integrity-service").put("environment", "green").put("fault", "slow").put("delayMs", 1500),
          new JsonObject().put("service", "integrity-service").put("environment", "blue").put("fault", "slow").put("delayMs", 3000));
    }

    @Test
    void deletesOneOrAll() throws Exception {
      put("/faults/integrity-service/green", "{\"fault\":\"stale\"}");
      put("/faults/integrity-service/blue", "{\"fault\":\"garbage\"}");
      put("/faults/auth-service/green", "{\"fault\":\"http_500\"}");
      assertThat(send("DELETE", admin("/faults/integrity-service/green"), null).statusCode()).isEqualTo(204);
      assertThat(sim.fault(INTEGRITY_GREEN)).isEqualTo(Fault.NONE);
      assertThat(faults()).hasSize(2);
      assertThat(send("DELETE", admin("/faults"), null).statusCode()).isEqualTo(204);
      assertThat(faults()).isEmpty();
      assertThat(poll(sim, INTEGRITY_BLUE).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void noneClearsToo() throws Exception {
      put("/faults/integrity-service/green", "{\"fault\":\"stale\"}");
      assertThat(put("/faults/integrity-service/green", "{\"fault\":\"none\"}").statusCode()).isEqualTo(204);
      assertThat(faults()).isEmpty();
    }

    @Test
    void connectionRefusedAnswersOnceThePortIsClosedAndDeleteReopensIt() throws Exception {
      assertThat(put("/faults/integrity-service/green", "{\"fault\":\"connection_refused\"}").statusCode()).isEqualTo(204);
      assertThatThrownBy(() -> get(SimHarness.client(), sim.attestationUrl(INTEGRITY_GREEN)))
          .isInstanceOf(ConnectException.class);
      assertThat(send("DELETE", admin("/faults/integrity-service/green"), null).statusCode()).isEqualTo(204);
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void listsTargetsWithUrlsKeysFaultsAndCounters() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.STALE));
      poll(sim, INTEGRITY_GREEN);
      HttpResponse<byte[]> r = get(admin("/targets"));
      assertThat(r.statusCode()).isEqualTo(200);
      JsonArray targets = new JsonObject(text(r)).getJsonArray("targets");
      assertThat(targets).hasSize(14);
      JsonObject integrity = targets.stream().map(JsonObject.class::cast)
          .filter(t -> t.getString("service").equals("integrity-service") && t.getString("environment").equals("green"))
          .findFirst().orElseThrow();
      assertThat(integrity.getString("url")).isEqualTo(sim.baseUrl(INTEGRITY_GREEN).toString());
      assertThat(integrity.getString("keyid")).isEqualTo(sim.publicKey(INTEGRITY_GREEN).keyId());
      assertThat(integrity.getString("fault")).isEqualTo("stale");
      assertThat(integrity.getLong("requests")).isEqualTo(1L);
    }
  }

  @Nested
  class Errors {
    @Test
    void unknownServiceIs404NamingIt() throws Exception {
      HttpResponse<byte[]> r = put("/faults/billing-service/green", "{\"fault\":\"stale\"}");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(error(r)).contains("unknown service 'billing-service'").contains("integrity-service");
    }

    @Test
    void unknownEnvironmentIs404NamingIt() throws Exception {
      HttpResponse<byte[]> r = put("/faults/integrity-service/purple", "{\"fault\":\"stale\"}");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(error(r)).contains("unknown environment 'purple'").contains("green, blue");
      assertThat(send("DELETE", admin("/faults/integrity-service/purple"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownFaultIs400ListingTheAcceptedNames() throws Exception {
      HttpResponse<byte[]> r = put("/faults/integrity-service/green", "{\"fault\":\"on_fire\"}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(error(r)).contains("unknown fault 'on_fire'");
      for (String name : Fault.wireNames()) {
        assertThat(error(r)).contains(name);
      }
      assertThat(sim.fault(INTEGRITY_GREEN)).isEqualTo(Fault.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"fault\":", "not json", "{\"fault\":\"stale\"} trailing", "{\"fault\":\"stale\",\"fault\":\"none\"}"})
    void badJsonIs400(String body) throws Exception {
      HttpResponse<byte[]> r = put("/faults/integrity-service/green", body);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(error(r)).contains("not valid JSON");
    }

    @Test
    void bodiesOfTheWrongShapeAre400() throws Exception {
      assertThat(error(put("/faults/integrity-service/green", "[1]"))).contains("must be a JSON object");
      assertThat(error(put("/faults/integrity-service/green", ""))).contains("must be a JSON object");
      assertThat(error(put("/faults/integrity-service/green", "{}"))).contains("'fault' (a string) is required");
      assertThat(error(put("/faults/integrity-service/green", "{\"fault\":7}"))).contains("'fault' (a string) is required");
      assertThat(error(put("/faults/integrity-service/green", "{\"fault\":\"slow\",\"delay\":5}")))
          .contains("unknown field 'delay'");
      assertThat(error(put("/faults/integrity-service/green", "{\"fault\":\"stale\",\"delayMs\":5}")))
          .contains("only to the faults slow and slow_traffic");
      assertThat(error(put("/faults/integrity-service/green", "{\"fault\":\"slow\",\"delayMs\":-5}")))
          .contains("between 0 and 600000 ms");
      assertThat(error(put("/faults/integrity-service/green", "{\"fault\":\"slow\",\"delayMs\":1.5}")))
          .contains("integer");
      assertThat(faults()).isEmpty();
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() throws Exception {
      HttpResponse<byte[]> missing = get(admin("/nothing"));
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(error(missing)).contains("/nothing");
      HttpResponse<byte[]> post = send("POST", admin("/faults"), "{}");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(error(post)).contains("POST");
    }
  }

  @Nested
  class Metrics {
    private String scrape() throws Exception {
      return scrape(sim);
    }

    private String scrape(FleetSimulator of) throws Exception {
      HttpResponse<byte[]> r = get(URI.create(of.adminUrl() + "/metrics"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(SimHarness.contentType(r)).startsWith("text/plain");
      return text(r);
    }

    private double served(String scrape, String environment) {
      return TrafficMetricsTest.sample(scrape, "vigil_sim_requests_total",
          "environment=\"" + environment + "\",service=\"integrity-service\",status_class=\"2xx\"");
    }

    @Test
    void servesEachInstancesTrafficInPrometheusTextFormat() throws Exception {
      assertThat(sim.load()).isEqualTo(1200);
      String first = scrape();
      assertThat(first).contains("# TYPE vigil_sim_requests_total counter")
          .contains("# TYPE vigil_sim_request_duration_seconds histogram");
      assertThat(served(first, "green")).as("the simulator's clock is fixed here: no time, no traffic").isZero();
    }

    @Test
    void trafficGrowsWithTheClockAndFollowsTheRouter() throws Exception {
      FleetSimulator live = await(FleetSimulator.start(vertx, SimHarness.options().withClock(java.time.Clock.systemUTC())));
      try {
        String first = scrape(live);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .until(() -> served(scrape(live), "green") > served(first, "green"));
        // the router starts at green 100 / blue 0: blue serves nothing
        assertThat(served(scrape(live), "blue")).isZero();
      } finally {
        await(live.stop());
      }
    }

    @Test
    void slowTrafficTakesADelayAndLeavesTheAttestationCompliant() throws Exception {
      assertThat(put("/faults/integrity-service/green", "{\"fault\":\"slow_traffic\",\"delayMs\":2500}").statusCode())
          .isEqualTo(204);
      assertThat(faults()).containsExactly(new JsonObject().put("service", "integrity-service")
          .put("environment", "green").put("fault", "slow_traffic").put("delayMs", 2500));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }
  }
}

package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.monitor.FleetHarness;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The status page's routes on a real monitor over the simulator: pages, JSON parts, badges and their headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusRoutesIT {
  private static final TargetId AUTH = new TargetId("auth-service", "green");
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");
  @TempDir static Path dir;
  private FleetHarness h;

  @BeforeAll
  void start() throws Exception {
    TestVertx.warmUpHttp();
    h = FleetHarness.start(List.of("auth-service", "integrity-service", "policy-governance-service"), List.of("green"), dir);
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
  }

  @Test
  void badgesAreSvgThatCachesRevalidate() throws Exception {
    for (String path : List.of("/api/v1/badges/auth-service/green.svg", "/api/v1/badges/auth-service/green/score.svg")) {
      HttpResponse<String> r = h.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue(Badge.CONTENT_TYPE);
      assertThat(r.headers().firstValue("cache-control")).hasValue(Badge.CACHE_CONTROL);
      assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      Svg.parse(r.body());
    }
    await().atMost(FleetHarness.deadline()).untilAsserted(() ->
        assertThat(h.get("/api/v1/badges/auth-service/green.svg").body()).contains(">compliant<"));
    HttpResponse<String> first = h.get("/api/v1/badges/auth-service/green.svg");
    String etag = first.headers().firstValue("etag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]{24}\"");
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(h.baseUrl() + "/api/v1/badges/auth-service/green.svg")).header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as("revalidated while unchanged").isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("etag")).hasValue(etag);
    HttpResponse<String> stale = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(h.baseUrl() + "/api/v1/badges/auth-service/green.svg")).header("If-None-Match", "\"stale\"").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo(first.body());
    HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(h.baseUrl() + "/api/v1/badges/auth-service/green.svg")).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void anUnknownTargetsBadgeIsA404Svg() throws Exception {
    HttpResponse<String> r = h.get("/api/v1/badges/no-such-service/green.svg");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).hasValue(Badge.CONTENT_TYPE);
    assertThat(Svg.parse(r.body()).getDocumentElement().getTextContent()).contains("unknown target");
  }

  @Test
  void aTamperedTargetsBadgeAndPageShowTheBreach() throws Exception {
    TestVertx.await(h.sim.setFault(VICTIM, Fault.TAMPERED_HASH));
    try {
      await().atMost(FleetHarness.deadline()).untilAsserted(() ->
          assertThat(h.get("/api/v1/badges/integrity-service/green.svg").body()).contains(">hash_mismatch, breach open<"));
      HttpResponse<String> page = h.get("/targets/integrity-service/green");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-security-policy")).hasValue(PageAssets.CSP);
      assertThat(page.body()).contains("hash_mismatch").contains("<td data-label=\"rule\">hash_mismatch</td>").contains("<svg class=\"chart\"");
      JsonNode parts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.get(StatusPage.PARTS_PATH).body());
      assertThat(parts.get("attention").asText()).contains("integrity-service").contains("hash_mismatch");
      JsonNode targetParts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.get(TargetPage.partsPath(VICTIM)).body());
      assertThat(targetParts.get("main").asText()).contains("hash_mismatch");
    } finally {
      TestVertx.await(h.sim.clearFault(VICTIM));
    }
  }

  @Test
  void anUnknownTargetHasNoPage() throws Exception {
    assertThat(h.get("/targets/no-such-service/green").statusCode()).isEqualTo(404);
    assertThat(h.get(TargetPage.partsPath(new TargetId("x", "y"))).statusCode()).isEqualTo(404);
    assertThat(h.get("/targets/" + AUTH.service() + "/" + AUTH.environment()).statusCode()).isEqualTo(200);
  }
}

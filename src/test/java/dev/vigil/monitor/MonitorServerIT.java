package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The monitor server's HTTP details (issue 9): bearer scheme case, HEAD, shared scrapes; on a real simulator. */
class MonitorServerIT {
  @TempDir Path dir;
  private FleetHarness h;

  @BeforeEach
  void start() throws Exception {
    h = FleetHarness.start(List.of("auth-service", "integrity-service", "policy-governance-service"), List.of("green"), dir);
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  private HttpResponse<String> reload(String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.baseUrl() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return h.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Nested
  class BearerToken {
    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "bEaReR   "})
    void theSchemeIsCaseInsensitive(String scheme) throws Exception {
      HttpResponse<String> r = reload(scheme + FleetHarness.TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(FleetHarness.JSON.readTree(r.body()).get("targets").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer wrong-token-0123456789", "Basic " + FleetHarness.TOKEN, "bearer", "Bearer",
        "bearer" + FleetHarness.TOKEN, "token " + FleetHarness.TOKEN})
    void anythingElseIs401(String authorization) throws Exception {
      HttpResponse<String> r = reload(authorization);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"vigil\"");
    }
  }

  @Nested
  class Head {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/health/live", "/health/ready", "/metrics", "/api/v1/targets", "/api/v1/breaches"})
    void answers200WithNoBody(String path) throws Exception {
      HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertThat(r.headers().firstValue("content-type")).isPresent();
    }

    @Test
    void anUnknownPathIsStill404() throws Exception {
      HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/nope"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
    }
  }

  @Nested
  class SharedScrapes {
    @Test
    void concurrentScrapesGetOneRendering() throws Exception {
      List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        scrapes.add(h.http.sendAsync(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<String> bodies = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : scrapes) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(200);
        bodies.add(r.body());
      }
      assertThat(bodies.get(0)).contains("constitutional_monitor_overloaded 0.0");
      assertThat(bodies.stream().distinct().count()).as("distinct bodies among 50 concurrent scrapes")
          .isLessThanOrEqualTo(3);
    }

    @Test
    void theTargetsApiShowsTheOverloadState() throws Exception {
      var root = FleetHarness.JSON.readTree(h.get("/api/v1/targets").body());
      assertThat(root.get("overloaded").asBoolean()).isFalse();
      assertThat(root.has("eventLoopDelaySeconds")).isTrue();
      assertThat(root.get("targets")).hasSize(3);
    }
  }
}

package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.RolloutConfig;
import dev.vigil.poll.TestVertx;
import dev.vigil.rollback.BlueValidation;
import dev.vigil.rollback.RollbackMetrics;
import dev.vigil.rollback.ServiceLocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API's answers to bad requests, on a real HTTP server on loopback with real {@link
 * Rollouts} (store on disk; the analysis never passes, so nothing moves, and events go nowhere: the
 * broker path is {@code RolloutControllerIT}'s).
 */
class RolloutApiTest {
  static final String TOKEN = "s3cret-admin-token-0123456789";
  @TempDir Path dir;
  Vertx vertx;
  RolloutStore store;
  HttpServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    store = RolloutStore.open(dir);
    Rollouts rollouts = new Rollouts(vertx, vertx.getOrCreateContext(), RolloutConfig.defaults(), store,
        (r, at) -> Future.succeededFuture(), new RolloutMetrics(new RollbackMetrics(new SimpleMeterRegistry())),
        Clock.systemUTC(), s -> s.equals("auth-service") ? null : "unknown service " + s);
    Analysis never = (s, e) -> Future.succeededFuture(List.of(Check.count("attestations", 0, 3, false)));
    TestVertx.await(rollouts.start(s -> null, new ServiceLocks(), never, never,
        new BlueValidation(vertx, s -> Future.failedFuture("no probe"), 1, Duration.ofMillis(10), Duration.ofMillis(5),
            Clock.systemUTC())));
    Router router = Router.router(vertx);
    new RolloutApi(() -> rollouts, TOKEN).install(router);
    server = TestVertx.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(vertx.close());
    store.close();
  }

  HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
        + "/api/v1/rollouts" + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutTheTokenNothingIsAnswered() throws Exception {
    assertThat(call("GET", "", null, null).statusCode()).isEqualTo(401);
    assertThat(call("POST", "", "{\"service\":\"auth-service\"}", "wrong-token-0123456789").statusCode()).isEqualTo(401);
  }

  @Test
  void badRequestsGetAClear4xx() throws Exception {
    HttpResponse<String> notJson = call("POST", "", "{nope", TOKEN);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not JSON");
    assertThat(call("POST", "", "{}", TOKEN).body()).contains("give {\\\"service\\\": NAME} or {\\\"plan\\\": true}");
    assertThat(call("POST", "", "{\"service\":\"a b\"}", TOKEN).statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = call("POST", "", "{\"service\":\"billing\"}", TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("unknown service billing");
    HttpResponse<String> verb = call("POST", "/auth-service/explode", "", TOKEN);
    assertThat(verb.statusCode()).isEqualTo(404);
    assertThat(verb.body()).contains("unknown command 'explode'");
    HttpResponse<String> none = call("POST", "/auth-service/pause", "", TOKEN);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("no rollout of auth-service is running");
  }

  @Test
  void startThenAlreadyRollingOutThenPromoteWithNoGate() throws Exception {
    HttpResponse<String> started = call("POST", "", "{\"service\":\"auth-service\"}", TOKEN);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    assertThat(started.body()).contains("\"service\":\"auth-service\"").contains("\"state\":\"progressing\"");
    HttpResponse<String> twice = call("POST", "", "{\"service\":\"auth-service\"}", TOKEN);
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(twice.body()).contains("already rolling out");
    HttpResponse<String> plan = call("POST", "", "{\"plan\":true}", TOKEN);
    assertThat(plan.statusCode()).isEqualTo(409);
    assertThat(plan.body()).contains("auth-service is already rolling out");
    HttpResponse<String> promote = call("POST", "/auth-service/promote", "", TOKEN);
    assertThat(promote.statusCode()).isEqualTo(409);
    assertThat(promote.body()).contains("no manual gate is waiting");
    HttpResponse<String> list = call("GET", "", null, TOKEN);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).startsWith("{\"rollouts\":[{\"rolloutId\":\"m-auth-service-");
  }
  /**
   * Each rollout decision is one line carrying rolloutId, service and decision as fields (issue 15), so a log
   * store finds one rollout's lines by its id: here the start, an operator's abort, the driver's failed step back
   * to blue (no actuator is configured) and the rollout's end.
   */
  @Nested
  class DecisionLines {
    @Test
    void everyLineOfARolloutCarriesItsIdServiceAndDecision() throws Exception {
      try (dev.vigil.testing.LogCapture logs = dev.vigil.testing.LogCapture.begin()) {
        HttpResponse<String> started = call("POST", "", "{\"service\":\"auth-service\"}", TOKEN);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = started.body().replaceFirst("(?s).*?\"rolloutId\":\"([^\"]+)\".*", "$1");
        assertThat(id).as("the rollout id in %s", started.body()).startsWith("m-auth-service-");
        HttpResponse<String> abort = call("POST", "/auth-service/abort", "", TOKEN);
        assertThat(abort.statusCode()).as(abort.body()).isEqualTo(200);
        org.awaitility.Awaitility.await("the rollout's end line").atMost(Duration.ofSeconds(10))
            .until(() -> !logs.withField("decision", "failed").isEmpty());

        List<dev.vigil.testing.LogCapture.Line> lines = logs.lines("dev.vigil.rollout.Rollout", l -> true);
        assertThat(lines).as("the rollout lines").extracting(l -> l.fields().get("decision"))
            .contains("started", "aborted", "weight_not_set", "failed");
        for (dev.vigil.testing.LogCapture.Line line : lines) {
          assertThat(line.fields()).as("fields of the %s line '%s'", line.level(), line.message())
              .containsEntry("rolloutId", id).containsEntry("service", "auth-service").containsKey("decision");
        }
        assertThat(logs.withField("decision", "started")).singleElement()
            .satisfies(l -> assertThat(l.level()).as("level of the start").isEqualTo("INFO"));
        assertThat(logs.withField("decision", "aborted")).singleElement()
            .satisfies(l -> assertThat(l.level()).as("level of the operator's abort").isEqualTo("INFO"));
        assertThat(logs.withField("decision", "weight_not_set")).first()
            .satisfies(l -> assertThat(l.level()).as("level of the step not set").isEqualTo("WARN"))
            .satisfies(l -> assertThat(l.message()).contains("no actuator configured for auth-service"));
        assertThat(logs.withField("decision", "failed")).singleElement()
            .satisfies(l -> assertThat(l.level()).as("level of the failed end").isEqualTo("WARN"));
      }
    }
  }
}

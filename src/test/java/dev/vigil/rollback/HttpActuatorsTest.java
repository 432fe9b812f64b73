package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.poll.TestVertx;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook actuator against a real JDK HttpServer on 127.0.0.1:0, and the simulator's traffic
 * router (admin API) and its actuator against a real FleetSimulator on ports 0.
 */
class HttpActuatorsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  Vertx vertx;
  HttpClientAgent http;

  @BeforeEach
  void setUp() {
    vertx = TestVertx.create();
    http = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(vertx.close());
  }

  @Test
  void webhookPostsTheSwitchAndTakes2xxAsMoved() throws Exception {
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    AtomicInteger status = new AtomicInteger(202);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/rollback", ex -> {
      bodies.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
          + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] out = "{\"error\":\"no capacity\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), status.get() == 202 ? -1 : out.length);
      if (status.get() != 202) {
        ex.getResponseBody().write(out);
      }
      ex.close();
    });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/rollback");
      WebhookActuator a = new WebhookActuator(http, url, "green", "blue", Duration.ofSeconds(5));
      assertThat(TestVertx.await(a.weights("auth-service"))).isEqualTo(Weights.ALL_GREEN);
      ActuationResult r = TestVertx.await(a.moveToBlue("auth-service", "b-auth-1"));
      assertThat(r.changed()).isTrue();
      assertThat(r.detail()).isEqualTo("webhook " + url + " answered HTTP 202");
      String request = bodies.poll(5, TimeUnit.SECONDS);
      assertThat(request).startsWith("POST application/json ");
      JsonNode body = JSON.readTree(request.substring("POST application/json ".length()));
      assertThat(body).isEqualTo(JSON.readTree(
          "{\"service\":\"auth-service\",\"from\":\"green\",\"to\":\"blue\",\"breachId\":\"b-auth-1\"}"));
      assertThat(TestVertx.await(a.weights("auth-service"))).isEqualTo(Weights.ALL_BLUE);

      status.set(503);
      assertThatThrownBy(() -> TestVertx.await(a.moveToBlue("integrity-service", "b-2")))
          .hasMessageContaining("webhook " + url + " answered HTTP 503: {\"error\":\"no capacity\"}");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void webhookThatIsDownFailsWithinItsTimeout() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = server.getAddress().getPort();
    server.stop(0);
    WebhookActuator a = new WebhookActuator(http, URI.create("http://127.0.0.1:" + port + "/x"), "green", "blue",
        Duration.ofSeconds(2));
    assertThatThrownBy(() -> TestVertx.await(a.moveToBlue("auth-service", "b-1")))
        .hasMessageContaining("POST http://127.0.0.1:" + port + "/x");
  }

  @Test
  void simulatorTrafficRouterAndItsActuator() throws Exception {
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of("auth-service", "integrity-service")).withEnvironments(List.of("green", "blue"))
        .withBasePort(0).withAdminPort(0)));
    try {
      HttpClient jdk = HttpClient.newHttpClient();
      URI admin = sim.adminUrl();
      HttpResponse<String> all = jdk.send(HttpRequest.newBuilder(admin.resolve("/traffic")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(all.body())).isEqualTo(JSON.readTree(
          "{\"traffic\":{\"auth-service\":{\"green\":100,\"blue\":0},\"integrity-service\":{\"green\":100,\"blue\":0}}}"));

      SimulatorActuator a = new SimulatorActuator(http, admin, Duration.ofSeconds(15));
      ActuationResult r = TestVertx.await(a.moveToBlue("integrity-service", "b-1"));
      assertThat(r.changed()).isTrue();
      assertThat(r.detail()).isEqualTo("simulator router integrity-service green 100/blue 0 -> blue 100");
      assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
      assertThat(sim.traffic().split("auth-service")).isEqualTo(new TrafficRouter.Split(100, 0));
      assertThat(TestVertx.await(a.moveToBlue("integrity-service", "b-1")).changed()).isFalse();

      HttpResponse<String> bad = jdk.send(HttpRequest.newBuilder(admin.resolve("/traffic/auth-service"))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"blue\":60,\"green\":60}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("add up to 100");
      HttpResponse<String> unknown = jdk.send(HttpRequest.newBuilder(admin.resolve("/traffic/nope"))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"blue\":100,\"green\":0}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(404);
      HttpResponse<String> set = jdk.send(HttpRequest.newBuilder(admin.resolve("/traffic/auth-service"))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"blue\":30,\"green\":70}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(set.body())).isEqualTo(JSON.readTree(
          "{\"green\":70,\"blue\":30,\"previous\":{\"green\":100,\"blue\":0}}"));
      assertThat(TestVertx.await(a.weights("auth-service"))).isEqualTo(new Weights(70, 30));
      assertThatThrownBy(() -> TestVertx.await(a.moveToBlue("unknown-service", "b-9")))
          .hasMessageContaining("HTTP 404");
    } finally {
      TestVertx.await(sim.stop());
    }
  }
}

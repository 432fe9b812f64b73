package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.http.ServerLimits;
import dev.vigil.poll.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The controller's endpoints stay answerable when clients hold connections with half-sent requests. */
class ControllerHttpTest {
  private static final int CAP = 40;
  private Vertx vertx;
  private HttpServer server;
  private final List<Socket> held = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    server = TestVertx.await(ControllerHttp.start(vertx, "127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Optional::empty, new ServerLimits(CAP, Duration.ofSeconds(5), Duration.ofSeconds(1))));
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : held) {
      s.close();
    }
    TestVertx.await(vertx.close());
  }

  private int live() throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/health/live"))
        .timeout(Duration.ofSeconds(2)).build();
    return c.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Nested
  class HalfSentRequests {
    @Test
    void areClosedAndHealthAnswersAgain() throws Exception {
      for (int i = 0; i < 2 * CAP; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.actualPort());
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        held.add(s);
      }
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> live() == 200);
      assertThat(held).as("the half-sent connections beyond the cap or past the request timeout were closed")
          .allSatisfy(s -> assertThat(s.getInputStream().read()).isEqualTo(-1));
    }
  }
}

package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ControllerConfig;
import dev.vigil.config.WebConfig;
import dev.vigil.http.TestPki;
import dev.vigil.poll.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback controller's endpoints with {@code controller.tls}, {@code controller.auth} and {@code
 * controller.metricsPort}, over real HTTPS on 127.0.0.1 port 0 ({@link ControllerHttp}, {@link TestPki}).
 */
class ControllerHttpSecurityTest {
  static final String ADMIN = "admin-token-0123456789";
  static final String READ = "read-token-0123456789";
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;
  final Vertx vertx = TestVertx.create();
  TestPki pki;
  TestPki.Issued cert;
  ControllerHttp.Listening http;

  @BeforeEach
  void pki() throws Exception {
    pki = TestPki.create(dir, "controller-ca");
    cert = pki.issue("controller-1");
  }

  @AfterEach
  void stop() throws Exception {
    if (http != null) {
      TestVertx.await(http.close());
    }
    TestVertx.await(vertx.close());
  }

  void start(WebConfig web) throws Exception {
    ControllerConfig c = new ControllerConfig(List.of(), "g", "127.0.0.1", 0, 3, Duration.ofMinutes(5), web);
    http = TestVertx.await(ControllerHttp.start(vertx, c, ADMIN, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Optional::empty, router -> router.get("/api/v1/rollouts").handler(rc -> rc.response().end("[]")),
        Clock.systemUTC()));
  }

  WebConfig.Tls tls(WebConfig.ClientAuth mode) {
    return new WebConfig.Tls(cert.certFile(), cert.keyFile(), pki.ca().certFile(), mode, Duration.ofMillis(200));
  }

  static int get(SSLContext ssl, String url, String authorization) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE);
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return b.build().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  String main(String path) {
    return "https://127.0.0.1:" + http.main().actualPort() + path;
  }

  @Nested
  class ClientCertificatesAndAuth {
    @Test
    void theApiNeedsACertificateAndCredentialsWhileProbesStayOpen() throws Exception {
      start(new WebConfig(tls(WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), new WebConfig.Auth(READ, Map.of(), false),
          null));
      SSLContext anonymous = pki.context(null);
      SSLContext client = pki.context(pki.issue("operator"));
      assertThat(get(anonymous, main("/health/ready"), null)).isEqualTo(200);
      assertThat(get(anonymous, main("/api/v1/rollouts"), "Bearer " + READ)).isEqualTo(401);
      assertThat(get(client, main("/api/v1/rollouts"), null)).isEqualTo(401);
      assertThat(get(client, main("/api/v1/rollouts"), "Bearer wrong-token-000000000")).isEqualTo(401);
      assertThat(get(client, main("/api/v1/rollouts"), "Bearer " + READ)).isEqualTo(200);
      assertThat(get(client, main("/api/v1/rollouts"), "Bearer " + ADMIN)).isEqualTo(200);
      assertThat(get(client, main("/metrics"), null)).isEqualTo(200);
      assertThat(http.security().rejected()).isEqualTo(3);
    }

    @Test
    void anExpiredClientCertificateFailsTheHandshake() throws Exception {
      start(new WebConfig(tls(WebConfig.ClientAuth.REQUIRE), null, null));
      Instant now = Instant.now();
      TestPki.Issued expired = pki.issue("expired", now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(2)));
      assertThatThrownBy(() -> get(pki.context(expired), main("/health/live"), null)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> get(pki.context(null), main("/health/live"), null)).isInstanceOf(IOException.class);
      assertThat(get(pki.context(pki.issue("ok")), main("/health/live"), null)).isEqualTo(200);
    }
  }

  @Nested
  class MetricsPortAndReload {
    @Test
    void metricsHaveTheirOwnPortAndTheCertificateReloads() throws Exception {
      start(new WebConfig(new WebConfig.Tls(cert.certFile(), cert.keyFile(), null,
          WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH, Duration.ofMillis(200)), null, 0));
      SSLContext ssl = pki.context(null);
      String metrics = "https://127.0.0.1:" + http.metrics().actualPort() + "/metrics";
      assertThat(get(ssl, metrics, null)).isEqualTo(200);
      assertThat(get(ssl, main("/metrics"), null)).isEqualTo(404);
      assertThat(get(ssl, main("/api/v1/rollouts"), null)).isEqualTo(200);

      TestPki.Issued next = pki.issue("controller-2");
      Files.copy(next.keyFile(), cert.keyFile(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(next.certFile(), cert.certFile(), StandardCopyOption.REPLACE_EXISTING);
      await().atMost(DEADLINE).untilAsserted(() -> {
        assertThat(pki.serverSubject(http.main().actualPort())).isEqualTo("CN=controller-2");
        assertThat(pki.serverSubject(http.metrics().actualPort())).isEqualTo("CN=controller-2");
      });
    }

    @Test
    void anExpiredServerCertificateStopsTheStartNamingTheKey() throws Exception {
      Instant now = Instant.now();
      TestPki.Issued expired = pki.issue("expired", now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(2)));
      assertThatThrownBy(() -> start(new WebConfig(new WebConfig.Tls(expired.certFile(), expired.keyFile(), null,
          WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH, Duration.ofSeconds(1)), null, null)))
          .hasMessageContaining("controller.tls.certFile").hasMessageContaining("expired at");
    }
  }
}

package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ServerConfig;
import dev.vigil.config.WebConfig;
import dev.vigil.poll.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's own endpoints secured like exporter-toolkit's web config ({@link WebSecurity}), on a real
 * {@link MonitorServer} over real HTTPS on 127.0.0.1 port 0, with certificates made in code ({@link TestPki}).
 */
class WebSecurityTest {
  static final String ADMIN = "admin-token-0123456789";
  static final String READ = "read-token-0123456789";
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;
  final Vertx vertx = TestVertx.create();
  TestPki pki;
  TestPki.Issued server;
  MonitorServer monitor;
  int port;

  @BeforeEach
  void pki() throws Exception {
    pki = TestPki.create(dir, "vigil-test-ca");
    server = pki.issue("monitor-1");
  }

  @AfterEach
  void stop() throws Exception {
    if (monitor != null) {
      TestVertx.await(monitor.stop());
    }
    TestVertx.await(vertx.close());
  }

  static final class View implements MonitorView {
    @Override
    public Future<MonitorSnapshot> snapshot() {
      return Future.succeededFuture(PageFixtures.snapshot("m-1", List.of(), List.of(), List.of(), false, List.of()));
    }

    @Override
    public long version() {
      return 1;
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public int targetCount() {
      return 0;
    }

    @Override
    public Future<List<String>> reload() {
      return Future.succeededFuture(List.of());
    }
  }

  void start(WebConfig web) throws Exception {
    ServerConfig c = new ServerConfig("127.0.0.1", 0, ADMIN, 64, Duration.ofSeconds(30), Duration.ofSeconds(10), web);
    monitor = new MonitorServer(vertx, new View(), new MetricsRegistry(), c, Clock.systemUTC());
    port = TestVertx.await(monitor.start());
  }

  WebConfig.Tls tls(TestPki.Issued cert, boolean clientCa, WebConfig.ClientAuth mode) {
    return new WebConfig.Tls(cert.certFile(), cert.keyFile(), clientCa ? pki.ca().certFile() : null, mode,
        Duration.ofMillis(200));
  }

  static HttpResponse<String> get(SSLContext ssl, String url, String authorization) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE);
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return b.build().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(SSLContext ssl, String url, String authorization) throws Exception {
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE).POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return c.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String bcrypt(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4);
  }

  String url(String path) {
    return "https://127.0.0.1:" + port + path;
  }

  @Nested
  class Tls {
    @Test
    void servesHttpsWithTheConfiguredCertificate() throws Exception {
      start(new WebConfig(tls(server, false, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, null));
      HttpResponse<String> r = get(pki.context(null), url("/api/v1/targets"), null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(pki.serverSubject(port)).isEqualTo("CN=monitor-1");
      assertThat(monitor.security().scheme()).isEqualTo("https");
    }

    @Test
    void plainHttpToTheTlsPortGetsNoPage() throws Exception {
      start(new WebConfig(tls(server, false, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, null));
      assertThatThrownBy(() -> get(null, "http://127.0.0.1:" + port + "/api/v1/targets", null))
          .isInstanceOf(IOException.class);
    }

    @Test
    void anExpiredServerCertificateIsRefusedAtStartNamingTheKey() throws Exception {
      Instant now = Instant.now();
      TestPki.Issued expired = pki.issue("old", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
      assertThatThrownBy(() -> start(new WebConfig(tls(expired, false, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH),
          null, null))).hasMessageContaining("server.tls.certFile").hasMessageContaining("expired at");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws Exception {
      TestPki.Issued other = pki.issue("other");
      WebConfig.Tls mixed = new WebConfig.Tls(server.certFile(), other.keyFile(), null,
          WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH, Duration.ofSeconds(1));
      assertThatThrownBy(() -> start(new WebConfig(mixed, null, null)))
          .hasMessageContaining("server.tls.keyFile").hasMessageContaining("does not belong to the certificate");
    }
  }

  @Nested
  class ClientCertificates {
    @Test
    void requireExceptHealthAnswers401WithoutACertificateButKeepsProbesOpen() throws Exception {
      start(new WebConfig(tls(server, true, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, null));
      SSLContext anonymous = pki.context(null);
      assertThat(get(anonymous, url("/api/v1/targets"), null).statusCode()).isEqualTo(401);
      assertThat(get(anonymous, url("/metrics"), null).statusCode()).isEqualTo(401);
      assertThat(get(anonymous, url("/health/live"), null).statusCode()).isEqualTo(200);
      assertThat(get(anonymous, url("/health/ready"), null).statusCode()).isEqualTo(200);
      assertThat(get(pki.context(pki.issue("prometheus")), url("/api/v1/targets"), null).statusCode()).isEqualTo(200);
      assertThat(monitor.security().rejected()).isEqualTo(2);
    }

    @Test
    void requireFailsTheHandshakeWithoutACertificate() throws Exception {
      start(new WebConfig(tls(server, true, WebConfig.ClientAuth.REQUIRE), null, null));
      assertThatThrownBy(() -> get(pki.context(null), url("/health/live"), null)).isInstanceOf(IOException.class);
      assertThat(get(pki.context(pki.issue("client")), url("/health/live"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredClientCertificateFailsTheHandshake() throws Exception {
      start(new WebConfig(tls(server, true, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, null));
      Instant now = Instant.now();
      TestPki.Issued expired = pki.issue("expired-client", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
      assertThatThrownBy(() -> get(pki.context(expired), url("/api/v1/targets"), null)).isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
      start(new WebConfig(tls(server, true, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, null));
      TestPki other = TestPki.create(Files.createDirectory(dir.resolve("other")), "other-ca");
      TestPki.Issued stranger = other.issue("stranger");
      SSLContext ctx = pki.context(other, stranger);
      assertThatThrownBy(() -> get(ctx, url("/api/v1/targets"), null)).isInstanceOf(IOException.class);
    }
  }

  @Nested
  class Auth {
    final String hash = bcrypt("s3cret-password");

    void startWith(boolean metrics) throws Exception {
      start(new WebConfig(tls(server, false, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH),
          new WebConfig.Auth(READ, Map.of("alice", hash), metrics), null));
    }

    @Test
    void theApiAndPagesNeedCredentials() throws Exception {
      startWith(false);
      SSLContext ssl = pki.context(null);
      HttpResponse<String> none = get(ssl, url("/api/v1/targets"), null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
      assertThat(none.body()).contains("server.auth").doesNotContain(READ);
      assertThat(get(ssl, url("/"), null).statusCode()).isEqualTo(401);
      assertThat(get(ssl, url("/api/v1/breaches"), "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
      assertThat(get(ssl, url("/api/v1/targets"), basic("alice", "wrong")).statusCode()).isEqualTo(401);
      assertThat(get(ssl, url("/api/v1/targets"), basic("mallory", "s3cret-password")).statusCode()).isEqualTo(401);
      assertThat(get(ssl, url("/api/v1/targets"), "Bearer " + READ).statusCode()).isEqualTo(200);
      assertThat(get(ssl, url("/api/v1/targets"), "bearer " + ADMIN).statusCode()).isEqualTo(200);
      assertThat(get(ssl, url("/api/v1/targets"), basic("alice", "s3cret-password")).statusCode()).isEqualTo(200);
      assertThat(get(ssl, url("/"), basic("alice", "s3cret-password")).statusCode()).isEqualTo(200);
      assertThat(monitor.security().rejected()).isEqualTo(5);
    }

    @Test
    void probesAndMetricsStayOpenByDefault() throws Exception {
      startWith(false);
      SSLContext ssl = pki.context(null);
      assertThat(get(ssl, url("/health/live"), null).statusCode()).isEqualTo(200);
      assertThat(get(ssl, url("/metrics"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNeedCredentialsWhenAsked() throws Exception {
      startWith(true);
      SSLContext ssl = pki.context(null);
      assertThat(get(ssl, url("/metrics"), null).statusCode()).isEqualTo(401);
      assertThat(get(ssl, url("/metrics"), "Bearer " + READ).statusCode()).isEqualTo(200);
    }

    @Test
    void reloadKeepsItsAdminTokenAndTheReadTokenIsNotEnough() throws Exception {
      startWith(false);
      SSLContext ssl = pki.context(null);
      assertThat(post(ssl, url("/-/reload"), "Bearer " + READ).statusCode()).isEqualTo(401);
      assertThat(post(ssl, url("/-/reload"), basic("alice", "s3cret-password")).statusCode()).isEqualTo(401);
      assertThat(post(ssl, url("/-/reload"), "Bearer " + ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void worksWithoutTlsToo() throws Exception {
      start(new WebConfig(null, new WebConfig.Auth(READ, Map.of(), false), null));
      assertThat(get(null, "http://127.0.0.1:" + port + "/api/v1/targets", null).statusCode()).isEqualTo(401);
      assertThat(get(null, "http://127.0.0.1:" + port + "/api/v1/targets", "Bearer " + READ).statusCode())
          .isEqualTo(200);
    }
  }

  @Nested
  class MetricsPort {
    @Test
    void metricsMoveToTheirOwnPort() throws Exception {
      start(new WebConfig(null, null, 0));
      int metrics = monitor.metricsPort();
      assertThat(metrics).isPositive().isNotEqualTo(port);
      HttpResponse<String> scrape = get(null, "http://127.0.0.1:" + metrics + "/metrics", null);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("content-type")).hasValue(MonitorServer.PROMETHEUS_TEXT);
      assertThat(get(null, "http://127.0.0.1:" + metrics + "/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(get(null, "http://127.0.0.1:" + metrics + "/api/v1/targets", null).statusCode()).isEqualTo(404);
      assertThat(get(null, "http://127.0.0.1:" + port + "/metrics", null).statusCode()).isEqualTo(404);
      assertThat(get(null, "http://127.0.0.1:" + port + "/api/v1/targets", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theMetricsPortHasTheSameTlsAndClientCertificates() throws Exception {
      start(new WebConfig(tls(server, true, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, 0));
      String metrics = "https://127.0.0.1:" + monitor.metricsPort() + "/metrics";
      assertThat(get(pki.context(null), metrics, null).statusCode()).isEqualTo(401);
      assertThat(get(pki.context(pki.issue("prometheus")), metrics, null).statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class Reload {
    @Test
    void aChangedCertificateIsServedWithoutARestart() throws Exception {
      start(new WebConfig(tls(server, false, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, 0));
      assertThat(pki.serverSubject(port)).isEqualTo("CN=monitor-1");
      TestPki.Issued next = pki.issue("monitor-2");
      replace(next.keyFile(), server.keyFile());
      replace(next.certFile(), server.certFile());
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(pki.serverSubject(port)).isEqualTo("CN=monitor-2"));
      assertThat(pki.serverSubject(monitor.metricsPort())).isEqualTo("CN=monitor-2");
      assertThat(monitor.security().reloads()).isEqualTo(1);
      assertThat(get(pki.context(null), url("/health/live"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBrokenOrExpiredChangeIsRefusedAndThePreviousCertificateKept() throws Exception {
      start(new WebConfig(tls(server, false, WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH), null, null));
      Instant now = Instant.now();
      TestPki.Issued expired = pki.issue("expired", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)));
      replace(expired.keyFile(), server.keyFile());
      replace(expired.certFile(), server.certFile());
      TestPki.Issued good = pki.issue("monitor-3");
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(monitor.security().lastRefusal())
          .contains("server.tls.certFile").contains("expired at"));
      assertThat(pki.serverSubject(port)).isEqualTo("CN=monitor-1");
      assertThat(monitor.security().reloads()).isZero();
      replace(good.keyFile(), server.keyFile());
      replace(good.certFile(), server.certFile());
      await().atMost(DEADLINE).untilAsserted(() -> assertThat(pki.serverSubject(port)).isEqualTo("CN=monitor-3"));
    }

    void replace(Path from, Path to) throws IOException {
      Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
      Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}

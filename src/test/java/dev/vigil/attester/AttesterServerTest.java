package dev.vigil.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.poll.TestVertx;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attester's statement: digest of the file as it is now, default hash, nonce, sequence, compliance from the health URL. */
class AttesterServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SigningKey KEY = Keys.generate(Scheme.ED25519, new SecureRandom());
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private Vertx vertx;
  private HttpServer health;
  private volatile String healthBody = "{\"constitutional_compliance\":\"active\"}";

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    health.createContext("/health/constitutional", ex -> {
      byte[] b = healthBody.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    health.start();
  }

  @AfterEach
  void stop() throws Exception {
    health.stop(0);
    TestVertx.await(vertx.close());
  }

  private AttesterServer attester(Path constitution, String hash, URI healthUrl) throws Exception {
    return TestVertx.await(AttesterServer.start(vertx, new AttesterServer.Options(constitution, KEY, "integrity-service",
        "green", hash, healthUrl, "2.0.0", "127.0.0.1", 0), Clock.systemUTC()));
  }

  /** The statement the attester signs for {@code nonce}, within the monitor's default poll timeout (5 s). */
  private JsonNode statement(AttesterServer a, String nonce) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/attestation?nonce=" + nonce))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/vnd.dsse.envelope.v1+json");
    JsonNode env = JSON.readTree(r.body());
    assertThat(env.get("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
    assertThat(env.at("/signatures/0/keyid").asText()).isEqualTo(KEY.keyId());
    return JSON.readTree(Base64.getDecoder().decode(env.get("payload").asText()));
  }

  @Test
  void theDigestFollowsTheFileAndTheHashDefaultsToItsFirst16HexDigits() throws Exception {
    Path file = dir.resolve("constitution.md");
    Files.writeString(file, "Article 1. Be transparent.\n");
    AttesterServer a = attester(file, null, null);
    JsonNode s1 = statement(a, "n0nce-1");
    String d1 = AttesterServer.sha256Hex(file);
    assertThat(s1.at("/subject/0/digest/sha256").asText()).isEqualTo(d1);
    assertThat(s1.at("/predicate/constitutionalHash").asText()).isEqualTo(d1.substring(0, 16));
    assertThat(s1.at("/predicate/nonce").asText()).isEqualTo("n0nce-1");
    assertThat(s1.at("/predicate/complianceStatus").asText()).isEqualTo("active");
    assertThat(s1.at("/predicate/version").asText()).isEqualTo("2.0.0");

    Files.writeString(file, "Article 1. Be opaque.\n");
    String d2 = AttesterServer.sha256Hex(file);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(statement(a, "n0nce-2").at("/subject/0/digest/sha256").asText()).isEqualTo(d2).isNotEqualTo(d1));
    JsonNode s2 = statement(a, "n0nce-2");
    assertThat(s2.at("/predicate/sequence").asLong()).isGreaterThan(s1.at("/predicate/sequence").asLong());
    assertThat(status(a, "/health/ready")).isEqualTo(200);
    Files.delete(file);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(a, "/health/ready")).isEqualTo(503));
    assertThat(status(a, "/attestation?nonce=x")).isEqualTo(503);
    assertThat(status(a, "/health/live")).isEqualTo(200);
  }

  private int status(AttesterServer a, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void complianceStatusComesFromTheHealthUrlAndAnExplicitHashIsKept() throws Exception {
    Path file = dir.resolve("constitution.md");
    Files.writeString(file, "text\n");
    URI url = URI.create("http://127.0.0.1:" + health.getAddress().getPort() + "/health/constitutional");
    AttesterServer a = attester(file, "cdd01ef066bc6cf2", url);
    assertThat(statement(a, "x").at("/predicate/constitutionalHash").asText()).isEqualTo("cdd01ef066bc6cf2");
    assertThat(statement(a, "x").at("/predicate/complianceStatus").asText()).isEqualTo("active");
    healthBody = "{\"constitutional_compliance\":\"degraded\"}";
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(statement(a, "x").at("/predicate/complianceStatus").asText()).isEqualTo("degraded"));
    healthBody = "not json";
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(statement(a, "x").at("/predicate/complianceStatus").asText()).isEqualTo("unknown"));
  }

  /**
   * The attack: a health endpoint that never answers, and a flood of requests in flight.
   * The attestation still answers, signed from the cached state; the health URL is read once at a
   * time however many requests arrive.
   */
  @Test
  void anAttestationAnswersWhileTheHealthUrlHangsAndAFloodIsInFlight() throws Exception {
    HttpServer hanging = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger healthReads = new AtomicInteger();
    hanging.createContext("/health/constitutional", ex -> {
      healthReads.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    hanging.setExecutor(Executors.newCachedThreadPool());
    hanging.start();
    long started = System.nanoTime();
    try {
      Path file = Files.writeString(dir.resolve("constitution.md"), "text\n");
      URI url = URI.create("http://127.0.0.1:" + hanging.getAddress().getPort() + "/health/constitutional");
      AttesterServer a = TestVertx.await(AttesterServer.start(vertx, new AttesterServer.Options(file, KEY,
          "integrity-service", "green", null, url, null, "127.0.0.1", 0, Duration.ofMillis(50),
          AttesterServer.Options.DEFAULT_MAX_CONCURRENT), Clock.systemUTC()));
      URI attestation = URI.create("http://127.0.0.1:" + a.port() + "/attestation?nonce=flood");
      HttpClient attacker = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<Void>>> flood = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        flood.add(attacker.sendAsync(HttpRequest.newBuilder(attestation).GET().build(), HttpResponse.BodyHandlers.discarding()));
      }
      JsonNode st = statement(a, "real");
      assertThat(st.at("/predicate/nonce").asText()).isEqualTo("real");
      assertThat(st.at("/predicate/complianceStatus").asText()).isEqualTo("unknown");
      CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(flood).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
      long elapsed = System.nanoTime() - started;
      assertThat((long) healthReads.get()).as("one health read in flight at a time, however many requests")
          .isLessThanOrEqualTo(2 + elapsed / AttesterServer.HEALTH_TIMEOUT.toNanos());
    } finally {
      release.countDown();
      hanging.stop(0);
    }
  }
}

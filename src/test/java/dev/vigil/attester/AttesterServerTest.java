package dev.vigil.attester;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Base64;
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

  private JsonNode statement(AttesterServer a, String nonce) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/attestation?nonce=" + nonce))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
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
    JsonNode s2 = statement(a, "n0nce-2");
    assertThat(s2.at("/subject/0/digest/sha256").asText()).isEqualTo(AttesterServer.sha256Hex(file)).isNotEqualTo(d1);
    assertThat(s2.at("/predicate/sequence").asLong()).isGreaterThan(s1.at("/predicate/sequence").asLong());
    assertThat(status(a, "/health/ready")).isEqualTo(200);
    Files.delete(file);
    assertThat(status(a, "/health/ready")).isEqualTo(503);
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
    assertThat(statement(a, "x").at("/predicate/complianceStatus").asText()).isEqualTo("degraded");
    healthBody = "not json";
    assertThat(statement(a, "x").at("/predicate/complianceStatus").asText()).isEqualTo("unknown");
  }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil verify --url} against real HTTP servers on the loopback interface. */
class VerifyUrlTest {
  static final String OLD_NONCE = "replayed-nonce-AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  @TempDir static Path dir;
  static SigningKey key;
  static Path pub;

  @BeforeAll
  static void trustedKey() throws IOException {
    key = Fixtures.generate(Scheme.ED25519);
    pub = Fixtures.writePublic(key, dir, "attester.pub.pem");
  }

  /** Answers with an envelope echoing the request's nonce, issued now. */
  static final HttpHandler ECHO = exchange -> LoopbackServer.respond(exchange, 200,
      Fixtures.envelope(key, LoopbackServer.nonceOf(exchange), Instant.now().truncatedTo(ChronoUnit.SECONDS)));

  static Cli.Result verify(String url, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "--url", url, "--key", pub.toString(),
        "--service", Fixtures.SERVICE, "--environment", Fixtures.ENVIRONMENT));
    args.addAll(Arrays.asList(extra));
    return Cli.run(args);
  }

  static void assertVerdict(Cli.Result r, String verdict) {
    assertThat(r.out()).as(r.toString()).startsWith(verdict + ": ");
    assertThat(r.code()).as(r.toString()).isEqualTo(verdict.equals("compliant") ? 0 : 1);
  }

  @Nested
  class EchoingServer {
    @Test
    void freshNonceIsSentEchoedAndCompliant() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        Cli.Result r = verify(server.url("/attestation"));

        assertVerdict(r, "compliant");
        assertThat(server.requests).hasSize(1);
        LoopbackServer.Request req = server.requests.get(0);
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.path()).isEqualTo("/attestation");
        assertThat(req.nonce()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(req.nonce())).hasSize(32);
        assertThat(req.accept()).contains("application/vnd.dsse.envelope.v1+json", "application/json");
      }
    }

    @Test
    void everyRunSendsANewNonce() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        assertVerdict(verify(server.url("/attestation")), "compliant");
        assertVerdict(verify(server.url("/attestation")), "compliant");

        assertThat(server.requests).hasSize(2);
        assertThat(server.requests.get(0).nonce()).isNotEqualTo(server.requests.get(1).nonce());
      }
    }

    @Test
    void givenNonceIsSentEncodedAndExpectedBack() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        Cli.Result r = verify(server.url("/attestation"), "--nonce", "a b+c&d=é");

        assertVerdict(r, "compliant");
        assertThat(server.requests.get(0).nonce()).isEqualTo("a b+c&d=é");
      }
    }

    @Test
    void jsonOutputNamesTheUrlAndTheNonceSent() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        Cli.Result r = verify(server.url("/attestation"), "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("verdict").asText()).isEqualTo("compliant");
        assertThat(o.get("url").asText()).isEqualTo(server.url("/attestation"));
        assertThat(o.get("nonce").asText()).isEqualTo(server.requests.get(0).nonce());
        assertThat(o.get("signed").asBoolean()).isTrue();
        assertThat(o.has("file")).isFalse();
      }
    }

    @Test
    void bodyOfExactlyMaxBytesIsAccepted() throws Exception {
      int length = Fixtures.envelope(key, "x".repeat(43), Instant.now().truncatedTo(ChronoUnit.SECONDS)).length;
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        assertVerdict(verify(server.url("/attestation"), "--max-bytes", Integer.toString(length)), "compliant");
        assertVerdict(verify(server.url("/attestation"), "--max-bytes", Integer.toString(length - 1)),
            "response_too_large");
      }
    }
  }

  @Nested
  class Replay {
    @Test
    void envelopeSignedForAnOldNonceIsNonceMismatch() throws Exception {
      byte[] recorded = Fixtures.envelope(key, OLD_NONCE, Instant.now().truncatedTo(ChronoUnit.SECONDS));
      try (LoopbackServer server = LoopbackServer.start("/attestation",
          exchange -> LoopbackServer.respond(exchange, 200, recorded))) {
        Cli.Result r = verify(server.url("/attestation"));

        assertVerdict(r, "nonce_mismatch");
        assertThat(server.requests.get(0).nonce()).isNotEqualTo(OLD_NONCE).hasSize(43);
      }
    }

    @Test
    void jsonOfAFailedRunStillNamesTheNonceSent() throws Exception {
      byte[] recorded = Fixtures.envelope(key, OLD_NONCE, Instant.now().truncatedTo(ChronoUnit.SECONDS));
      try (LoopbackServer server = LoopbackServer.start("/attestation",
          exchange -> LoopbackServer.respond(exchange, 200, recorded))) {
        JsonNode o = new ObjectMapper().readTree(verify(server.url("/attestation"), "--json").out());

        assertThat(o.get("verdict").asText()).isEqualTo("nonce_mismatch");
        assertThat(o.get("nonce").asText()).isEqualTo(server.requests.get(0).nonce());
        assertThat(o.get("url").asText()).isEqualTo(server.url("/attestation"));
      }
    }
  }

  @Nested
  class Transport {
    @Test
    void status500IsHttpError() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation",
          exchange -> LoopbackServer.respond(exchange, 500, "{\"error\":\"boom\"}".getBytes()))) {
        Cli.Result r = verify(server.url("/attestation"));

        assertVerdict(r, "http_error");
        assertThat(r.out()).contains("500");
      }
    }

    @Test
    void redirectIsNotFollowed() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        server.route("/moved", exchange -> {
          exchange.getResponseHeaders().set("Location", server.url("/attestation") + "?nonce="
              + LoopbackServer.nonceOf(exchange));
          exchange.sendResponseHeaders(302, -1);
        });

        Cli.Result r = verify(server.url("/moved"));

        assertVerdict(r, "http_error");
        assertThat(r.out()).contains("302");
        assertThat(server.requests).extracting(LoopbackServer.Request::path).containsExactly("/moved");
      }
    }

    @Test
    void fixedLengthBodyOverMaxBytesIsResponseTooLarge() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation",
          exchange -> LoopbackServer.respond(exchange, 200, new byte[5000]))) {
        assertVerdict(verify(server.url("/attestation"), "--max-bytes", "1000"), "response_too_large");
      }
    }

    @Test
    void chunkedBodyOverMaxBytesIsResponseTooLarge() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", exchange -> {
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (int i = 0; i < 64; i++) {
            out.write(new byte[1024]);
          }
        } catch (IOException clientGaveUp) {
          // expected: the client stops reading at the limit
        }
      })) {
        assertVerdict(verify(server.url("/attestation"), "--max-bytes", "2048"), "response_too_large");
      }
    }

    @Test
    void serverThatNeverAnswersIsTimeout() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      try (LoopbackServer server = LoopbackServer.start("/attestation", exchange -> {
        awaitQuietly(release);
        LoopbackServer.respond(exchange, 200, new byte[0]);
      })) {
        try {
          Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
              () -> verify(server.url("/attestation"), "--timeout", "300ms"));

          assertVerdict(r, "timeout");
          assertThat(server.requests).hasSize(1);
        } finally {
          release.countDown();
        }
      }
    }

    @Test
    void bodyThatStallsAfterTheHeadersIsTimeout() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      try (LoopbackServer server = LoopbackServer.start("/attestation", exchange -> {
        exchange.sendResponseHeaders(200, 1000);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"payloadType\":".getBytes());
        out.flush();
        awaitQuietly(release);
      })) {
        try {
          Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
              () -> verify(server.url("/attestation"), "--timeout", "300ms"));

          assertVerdict(r, "timeout");
        } finally {
          release.countDown();
        }
      }
    }

    @Test
    void portWithNothingListeningIsUnreachable() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }

      Cli.Result r = verify("http://127.0.0.1:" + port + "/attestation", "--timeout", "5s");

      assertVerdict(r, "unreachable");
      assertThat(r.out()).contains(Integer.toString(port));
    }
  }

  /** Blocks a handler until the test releases it (bounded, so a broken test cannot hang the build). */
  static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the handler");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

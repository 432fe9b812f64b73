package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.poll.FetchResult;
import dev.vigil.poll.HttpProbe;
import dev.vigil.poll.TestVertx;
import dev.vigil.poll.TlsFixtures;
import dev.vigil.testing.RawHttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil verify --url} polls as the monitor polls a target: its URL forms, its TLS options, its verdicts. */
class VerifyProbeTest {
  @TempDir static Path dir;
  static SigningKey key;
  static Path pub;

  @BeforeAll
  static void trustedKey() throws Exception {
    key = Fixtures.generate(Scheme.ED25519);
    pub = Fixtures.writePublic(key, dir, "attester.pub.pem");
  }

  static final HttpHandler ECHO = exchange -> LoopbackServer.respond(exchange, 200,
      Fixtures.envelope(key, LoopbackServer.nonceOf(exchange), Instant.now().truncatedTo(ChronoUnit.SECONDS)));

  static Cli.Result verify(String url, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "--url", url, "--key", pub.toString(),
        "--service", Fixtures.SERVICE, "--environment", Fixtures.ENVIRONMENT, "--timeout", "5s"));
    args.addAll(Arrays.asList(extra));
    return Cli.run(args);
  }

  @Nested
  class TheTargetsUrl {
    @Test
    void aBaseUrlGetsTheDefaultAttestationPath() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/attestation", ECHO)) {
        Cli.Result r = verify(server.url(""));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(server.requests.get(0).path()).isEqualTo("/attestation");
      }
    }

    @Test
    void aBaseUrlWithTheTargetsAttestationPath() throws Exception {
      try (LoopbackServer server = LoopbackServer.start("/v1/attest", ECHO)) {
        Cli.Result r = verify(server.url("/"), "--attestation-path", "/v1/attest");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(server.requests.get(0).path()).isEqualTo("/v1/attest");
      }
    }

    @Test
    void anAttestationPathMustBeAPath() {
      Cli.Result r = verify("http://127.0.0.1:1", "--attestation-path", "attest");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--attestation-path");
    }
  }

  @Nested
  class SameVerdictAsTheMonitor {
    @Test
    void aMalformedResponseIsTheProbesHttpErrorWithItsDetail() throws Exception {
      try (RawHttpServer raw = RawHttpServer.answering(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n")) {
        Vertx vertx = Vertx.vertx();
        FetchResult probe;
        try {
          probe = TestVertx.await(new HttpProbe(vertx, 1).get(URI.create(raw.baseUrl() + "/attestation?nonce=x"), null,
              Duration.ofSeconds(5), 65_536));
        } finally {
          TestVertx.await(vertx.close());
        }
        Cli.Result r = verify(raw.baseUrl());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out().trim()).isEqualTo("http_error: " + Fixtures.SERVICE + "/" + Fixtures.ENVIRONMENT + ": "
            + probe.detail());
        assertThat(probe.detail()).contains("malformed HTTP response");
      }
    }
  }

  @Nested
  class Tls {
    @Test
    void theCaFileMakesAnHttpsTargetVerifiableAndWithoutItTheVerdictIsTlsError() throws Exception {
      TlsFixtures.Pem cert = TlsFixtures.selfSigned(dir, "server");
      Vertx vertx = Vertx.vertx();
      try {
        HttpServer s = TestVertx.await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString())))
            .requestHandler(req -> req.response().end(Buffer.buffer(Fixtures.envelope(key, req.getParam("nonce"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)))))
            .listen(0));
        String url = "https://127.0.0.1:" + s.actualPort();

        Cli.Result trusted = verify(url, "--ca-file", cert.cert().toString());
        assertThat(trusted.code()).as(trusted.toString()).isZero();

        Cli.Result untrusted = verify(url);
        assertThat(untrusted.out()).as(untrusted.toString()).startsWith("tls_error: ");

        Cli.Result relaxed = verify(url, "--ca-file", cert.cert().toString(),
            "--no-verify-hostname");
        assertThat(relaxed.code()).as(relaxed.toString()).isZero();
        assertThat(relaxed.err()).as("weakened visibly").contains("--no-verify-hostname");
      } finally {
        TestVertx.await(vertx.close());
      }
    }

    @Test
    void aClientCertificateNeedsItsKey() {
      Cli.Result r = verify("https://127.0.0.1:1", "--cert-file", pub.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--cert-file and --key-file");
    }

    @Test
    void aMissingCaFileIsAnInputErrorNamingTheOption() {
      Cli.Result r = verify("https://127.0.0.1:1", "--ca-file", dir.resolve("nope.pem").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--ca-file").contains("nope.pem");
    }
  }
}

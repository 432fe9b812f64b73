package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.config.TlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mTLS targets: a real HTTPS server on 127.0.0.1 with certificates made in the test. */
class HttpProbeTlsTest {
  @TempDir Path dir;
  private Vertx vertx;
  private HttpProbe probe;
  private TlsFixtures.Pem server;
  private TlsFixtures.Pem client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    probe = new HttpProbe(vertx, 2);
    server = TlsFixtures.selfSigned(dir, "server");
    client = TlsFixtures.selfSigned(dir, "client");
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(vertx.close());
  }

  private int listen(boolean requireClientCert) throws Exception {
    HttpServerOptions o = new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(server.cert().toString()).setKeyPath(server.key().toString()));
    if (requireClientCert) {
      o.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(client.cert().toString()));
    }
    HttpServer s = TestVertx.await(vertx.createHttpServer(o).requestHandler(r -> r.response().end("{\"ok\":true}")).listen(0));
    return s.actualPort();
  }

  private FetchResult get(int port, TlsConfig tls) throws Exception {
    return TestVertx.await(probe.get(URI.create("https://127.0.0.1:" + port + "/attestation"), tls, Duration.ofSeconds(15), 65_536));
  }

  @Nested
  class ServerCertificates {
    @Test
    void trustedThroughTheConfiguredCa() throws Exception {
      FetchResult r = get(listen(false), new TlsConfig(server.cert(), null, null, true));
      assertThat(r.succeeded()).as(r.detail()).isTrue();
    }

    @Test
    void anUntrustedCertificateIsATlsErrorNotUnreachable() throws Exception {
      FetchResult r = get(listen(false), new TlsConfig(client.cert(), null, null, true));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.TLS_ERROR);
      assertThat(r.failure().isIntegrity()).isFalse();
    }
  }

  @Nested
  class MutualTls {
    @Test
    void theClientCertificateIsPresented() throws Exception {
      FetchResult r = get(listen(true), new TlsConfig(server.cert(), client.cert(), client.key(), true));
      assertThat(r.succeeded()).as(r.detail()).isTrue();
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() throws Exception {
      FetchResult r = get(listen(true), new TlsConfig(server.cert(), null, null, true));
      assertThat(r.failure()).as(r.detail()).isIn(Verdict.TLS_ERROR, Verdict.UNREACHABLE);
    }
  }
}

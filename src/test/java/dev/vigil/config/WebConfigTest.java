package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.tls}, {@code server.auth}, {@code server.metricsPort} and the same under {@code controller}. */
class WebConfigTest {
  static final String HASH = "$2y$04$" + "a".repeat(53);
  @TempDir Path dir;

  @BeforeEach
  void files() {
    ConfigFixtures.writeKeys(dir);
    ConfigFixtures.write(dir.resolve("tls/tls.crt"), "cert");
    ConfigFixtures.write(dir.resolve("tls/tls.key"), "key");
    ConfigFixtures.write(dir.resolve("tls/ca.crt"), "ca");
  }

  @Nested
  class Valid {
    @Test
    void absentMeansPlainHttpWithoutAuth() {
      assertThat(valid(withMinimalTargets(""), dir).server().web()).isEqualTo(WebConfig.none());
      assertThat(valid(withMinimalTargets(""), dir).controller().web()).isEqualTo(WebConfig.none());
    }

    @Test
    void everyKeyIsRead() {
      WebConfig web = valid(withMinimalTargets("""
          server:
            metricsPort: 9469
            tls: {certFile: tls/tls.crt, keyFile: tls/tls.key, clientCaFile: tls/ca.crt, clientAuth: require,
                  reloadInterval: 5s}
            auth: {bearerToken: read-token-0123456789, basicUsers: {prometheus: '%s'}, metrics: true}
          """.formatted(HASH)), dir).server().web();
      assertThat(web).isEqualTo(new WebConfig(new WebConfig.Tls(dir.resolve("tls/tls.crt"), dir.resolve("tls/tls.key"),
          dir.resolve("tls/ca.crt"), WebConfig.ClientAuth.REQUIRE, Duration.ofSeconds(5)),
          new WebConfig.Auth("read-token-0123456789", Map.of("prometheus", HASH), true), 9469));
      assertThat(web.toString()).doesNotContain("read-token").doesNotContain(HASH);
    }

    @Test
    void tlsDefaultsToRequireExceptHealthAndA30sReload() {
      WebConfig.Tls tls = valid(withMinimalTargets("server: {tls: {certFile: tls/tls.crt, keyFile: tls/tls.key}}"), dir)
          .server().web().tls();
      assertThat(tls.clientCaFile()).isNull();
      assertThat(tls.clientAuth()).isEqualTo(WebConfig.ClientAuth.REQUIRE_EXCEPT_HEALTH);
      assertThat(tls.reloadInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theControllerHasTheSameKeys() {
      WebConfig web = valid(withMinimalTargets("""
          kafka: {bootstrapServers: '127.0.0.1:9092'}
          events: {signingKey: private.pem}
          controller: {trustedMonitorKeys: [{file: ed1.pub.pem}], metricsPort: 9472,
                       auth: {bearerToken: read-token-0123456789}}
          """), dir).controller().web();
      assertThat(web.metricsPort()).isEqualTo(9472);
      assertThat(web.auth().bearerToken()).isEqualTo("read-token-0123456789");
    }
  }

  @Nested
  class Invalid {
    @Test
    void tlsNeedsBothFilesAndReadableOnes() {
      assertThat(errors(withMinimalTargets("server: {tls: {certFile: tls/tls.crt}}"), dir))
          .containsExactly("server.tls.keyFile: required");
      assertThat(errors(withMinimalTargets("server: {tls: {certFile: tls/missing.crt, keyFile: tls/tls.key}}"), dir))
          .singleElement().asString().startsWith("server.tls.certFile: cannot read");
    }

    @Test
    void badTlsValuesNameTheirPath() {
      assertThat(errors(withMinimalTargets("server: {tls: {certFile: tls/tls.crt, keyFile: tls/tls.key, clientAuth: "
          + "always, reloadInterval: 10ms, zz: 1}}"), dir)).containsExactlyInAnyOrder(
          "server.tls.zz: unknown key; expected one of: certFile, keyFile, clientCaFile, clientAuth, reloadInterval",
          "server.tls.clientAuth: expected requireExceptHealth or require, got 'always'",
          "server.tls.reloadInterval: must be at least 100ms, got 10ms");
      assertThat(errors(withMinimalTargets("server: {tls: {certFile: tls/tls.crt, keyFile: tls/tls.key, clientAuth: "
          + "require}}"), dir)).containsExactly(
          "server.tls.clientAuth: needs clientCaFile (the CA that client certificates must chain to)");
    }

    @Test
    void badAuthValuesNameTheirPathAndEchoNoSecret() {
      assertThat(errors(withMinimalTargets("server: {auth: {bearerToken: short}}"), dir))
          .containsExactly("server.auth.bearerToken: must be at least 16 characters long");
      assertThat(errors(withMinimalTargets("server: {auth: {metrics: true}}"), dir))
          .containsExactly("server.auth.bearerToken: auth needs bearerToken or basicUsers (or remove auth)");
      assertThat(errors(withMinimalTargets("server: {auth: {basicUsers: {}}}"), dir))
          .containsExactly("server.auth.basicUsers: must name at least one user");
      assertThat(errors(withMinimalTargets("server: {auth: {basicUsers: {alice: plain-password}}}"), dir))
          .singleElement().asString().startsWith("server.auth.basicUsers.alice: expected a bcrypt hash")
          .doesNotContain("plain-password");
    }

    @Test
    void theMetricsPortIsAPortOtherThanTheMainOne() {
      assertThat(errors(withMinimalTargets("server: {metricsPort: 70000}"), dir))
          .containsExactly("server.metricsPort: must be from 0 to 65535, got 70000");
      assertThat(errors(withMinimalTargets("server: {port: 9470, metricsPort: 9470}"), dir))
          .containsExactly("server.metricsPort: must differ from server.port");
      assertThat(errors(withMinimalTargets("controller: {metricsPort: 9471}"), dir))
          .contains("controller.metricsPort: must differ from controller.port");
    }
  }
}

package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.CERT_FROM;
import static dev.vigil.config.ConfigFixtures.CERT_UNTIL;
import static dev.vigil.config.ConfigFixtures.ED1;
import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.key;
import static dev.vigil.config.ConfigFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Scheme;
import dev.vigil.attest.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files: where they are looked up, what they may hold, and what messages about them never show. */
class KeyFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  private TrustedKey onlyKey(String yaml) {
    return valid(yaml, dir).targets().get(0).keys().get(0).key();
  }

  @Nested
  class Paths {
    @Test
    void relativePathsResolveAgainstTheConfigurationFilesDirectory() {
      Path conf = dir.resolve("etc/vigil");
      ConfigFixtures.write(conf.resolve("keys/auth.pem"), ED1.publicKey().toPem());
      ConfigFixtures.write(conf.resolve("vigil.yaml"), MINIMAL.replace("ed1.pub.pem", "keys/auth.pem"));
      ConfigResult result = ConfigLoader.load(conf.resolve("vigil.yaml"), Map.of());
      assertThat(result.orElseThrow().targets().get(0).keys().get(0).source())
          .isEqualTo(conf.resolve("keys/auth.pem").toString());
    }

    @Test
    void parentDirectoriesAndAbsolutePathsWork() {
      Path sub = dir.resolve("conf");
      assertThat(ConfigLoader.parse(MINIMAL.replace("ed1.pub.pem", "../ed1.pub.pem"), sub, Map.of()).errors())
          .isEmpty();
      assertThat(valid(MINIMAL.replace("ed1.pub.pem", dir.resolve("ed2.pub.pem").toString()), dir.resolve("x"))
          .targets().get(0).keys().get(0).key().keyId()).isEqualTo(ConfigFixtures.ED2.keyId());
    }

    @Test
    void aDirectoryIsNoKeyFile() {
      assertThat(errors(MINIMAL.replace("ed1.pub.pem", "."), dir))
          .containsExactly("targets[0].keys[0].file: cannot read " + dir + ": it is a directory");
    }

    @Test
    void tlsFilesResolveLikeKeys() throws Exception {
      Files.createDirectories(dir.resolve("tls"));
      ConfigFixtures.write(dir.resolve("tls/ca.pem"), "ca");
      String yaml = ConfigFixtures.target("tls: {caFile: tls/ca.pem}").replace("http:", "https:");
      assertThat(valid(yaml, dir).targets().get(0).tls())
          .isEqualTo(new TlsConfig(dir.resolve("tls/ca.pem"), null, null, true));
    }
  }

  @Nested
  class Schemes {
    @Test
    void theSchemeComesFromTheKeyAndMayBePinned() {
      assertThat(onlyKey(MINIMAL.replace("ed1.pub.pem", "ec.pub.pem")).scheme()).isEqualTo(Scheme.ECDSA_P256);
      assertThat(onlyKey(key("scheme: ed25519")).scheme()).isEqualTo(Scheme.ED25519);
    }

    @Test
    void aPinnedSchemeThatDoesNotMatchIsAnError() {
      assertThat(errors(MINIMAL.replace("ed1.pub.pem", "ec.pub.pem") + "        scheme: ed25519\n", dir))
          .containsExactly("targets[0].keys[0].scheme: the key in " + dir.resolve("ec.pub.pem")
              + " is ecdsa-sha2-nistp256, not ed25519");
    }
  }

  @Nested
  class Certificates {
    private static final String CERT = MINIMAL.replace("ed1.pub.pem", "cert.pem");

    @Test
    void aCertificateGivesItsKeyAndItsValidityWindow() {
      TrustedKey k = onlyKey(CERT);
      assertThat(k.scheme()).isEqualTo(Scheme.ECDSA_P256);
      assertThat(k.notBefore()).isEqualTo(CERT_FROM);
      assertThat(k.notAfter()).isEqualTo(CERT_UNTIL);
    }

    @Test
    void eitherEndOfTheWindowMayBeNarrowed() {
      TrustedKey k = onlyKey(CERT + "        notAfter: 2026-07-01T00:00:00Z\n");
      assertThat(k.notBefore()).isEqualTo(CERT_FROM);
      assertThat(k.notAfter()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    }

    @Test
    void aWindowThatEndsBeforeTheCertificateStartsIsAnError() {
      assertThat(errors(CERT + "        notAfter: 2025-01-01T00:00:00Z\n", dir)).singleElement().asString()
          .startsWith("targets[0].keys[0].notAfter: the validity window is empty: notBefore 2026-01-01T00:00:00Z");
    }
  }

  @Nested
  class Secrets {
    @Test
    void aPrivateKeyFileIsRefusedWithoutShowingIt() throws Exception {
      List<String> errors = errors(MINIMAL.replace("ed1.pub.pem", "private.pem"), dir);
      assertThat(errors).singleElement().asString()
          .startsWith("targets[0].keys[0].file: no usable key in " + dir.resolve("private.pem") + ": expected a PEM"
              + " public key");
      String body = ED1.privatePem().lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
      assertThat(errors.get(0)).doesNotContain(body).doesNotContain(body.substring(0, 16));
    }

    @Test
    void aShortAdminTokenIsNotEchoed() {
      assertThat(errors(ConfigFixtures.withMinimalTargets("server: {adminToken: hunter2-secret}"), dir))
          .singleElement().asString().doesNotContain("hunter2");
    }

    @Test
    void aRevokedKeyIsStillLoaded() {
      TrustedKey k = onlyKey(key("revoked: true"));
      assertThat(k.revoked()).isTrue();
      assertThat(k.unusableReason("auth-service", CERT_FROM)).contains("revoked");
    }
  }
}

package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The known-answer vectors of shared/spec/vectors, signed by an independent implementation
 * (pyca/cryptography). A copy lives in src/test/resources/vectors so the build is self-contained.
 */
class SharedVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static byte[] resource(String path) {
    try (InputStream in = SharedVectorsTest.class.getResourceAsStream("/vectors/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource vectors/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<JsonNode> cases() throws IOException {
    JsonNode root = JSON.readTree(resource("cases.json"));
    List<JsonNode> out = new ArrayList<>();
    root.get("cases").forEach(out::add);
    return out.stream();
  }

  static Keys.PublicKeyMaterial key(String path) throws Keys.KeyException {
    return Keys.readPublic(new String(resource(path), StandardCharsets.US_ASCII));
  }

  @Nested
  class ThroughTheLibrary {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vigil.attest.SharedVectorsTest#cases")
    void givesTheExpectedVerdict(JsonNode c) throws Exception {
      List<TrustedKey> keys = new ArrayList<>();
      for (JsonNode k : c.get("trustedKeys")) {
        keys.add(TrustedKey.of(key(k.asText())));
      }
      Expectation e = new Expectation(c.get("service").asText(), c.get("environment").asText(),
          c.get("nonce").asText(), c.get("expectedHash").asText(), null, Instant.parse(c.get("now").asText()),
          Duration.ofSeconds(c.get("maxClockSkewSeconds").asLong()), null, c.get("threshold").asInt());
      Verification v = new Verifier(TrustStore.of(keys)).verify(resource(c.get("file").asText()), e);
      assertThat(v.verdict().label()).as(v.detail()).isEqualTo(c.get("expectedVerdict").asText());
      assertThat(v.detail()).isNotBlank();
    }
  }

  @Nested
  class KeyIds {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vigil.attest.SharedVectorsTest#cases")
    void theIndependentSignersKeyidsEqualOurs(JsonNode c) throws Exception {
      JsonNode env = JSON.readTree(resource(c.get("file").asText()));
      List<String> ours = new ArrayList<>();
      for (String k : List.of("keys/ed25519-a.pub.pem", "keys/ed25519-b.pub.pem", "keys/ed25519-c.pub.pem",
          "keys/ecdsa-a.pub.pem", "keys/rsa-a.pub.pem", "keys/untrusted.pub.pem")) {
        ours.add(key(k).keyId());
      }
      for (JsonNode s : env.path("signatures")) {
        String hint = s.path("keyid").asText("");
        if (!hint.isEmpty()) {
          assertThat(ours).contains(hint);
        }
      }
    }
  }

  @Nested
  class CopyMatchesSharedSpec {
    @Test
    void resourcesEqualTheSharedVectorsWhenPresent() throws IOException {
      Path shared = Path.of("..", "shared", "spec", "vectors");
      Assumptions.assumeTrue(Files.isDirectory(shared), "shared/spec/vectors not beside the checkout");
      try (Stream<Path> files = Files.walk(shared)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String rel = shared.relativize(f).toString().replace('\\', '/');
          assertThat(resource(rel)).as(rel).isEqualTo(Files.readAllBytes(f));
        }
      }
    }
  }
}

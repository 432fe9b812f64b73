package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything wrong with what the user gave to verify exits 2 and says what it was. */
class VerifyInputErrorsTest {
  @TempDir Path dir;
  SigningKey key;
  Path envelope;
  Path pub;

  @BeforeEach
  void validFixture() throws IOException {
    key = Fixtures.generate(Scheme.ED25519);
    pub = Fixtures.writePublic(key, dir, "trusted.pub.pem");
    envelope = Files.write(dir.resolve("envelope.json"), Fixtures.envelope(key, Fixtures.NONCE, Fixtures.ISSUED_AT));
  }

  /** verify for the fixture target with {@code extra} (each single-valued option may be given only once). */
  Cli.Result verify(String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "--service", Fixtures.SERVICE,
        "--environment", Fixtures.ENVIRONMENT, "--nonce", Fixtures.NONCE));
    args.addAll(Arrays.asList(extra));
    return Cli.run(args);
  }

  static void assertInputError(Cli.Result r, String... named) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).contains(named);
    assertThat(r.out()).as("no verdict is printed").isEmpty();
  }

  @Test
  void theFixtureItselfIsCompliant() {
    Cli.Result r = verify("--file", envelope.toString(), "--key", pub.toString(), "--now", Fixtures.ISSUED_AT.toString());

    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Nested
  class SpecialFiles {
    @Test
    void aDeviceAsTheEnvelopeExitsTwoUnread() {
      assertInputError(verify("--file", "/dev/zero", "--key", pub.toString()),
          "--file", "/dev/zero", "not a regular file");
    }

    @Test
    void aDeviceAsTheKeyExitsTwoUnread() {
      assertInputError(verify("--file", envelope.toString(), "--key", "/dev/zero"),
          "--key", "/dev/zero", "not a regular file");
    }
  }

  @Nested
  class KeyAndEnvelopeFiles {
    @Test
    void missingEnvelopeFileIsNamed() {
      Path missing = dir.resolve("no-such-envelope.json");

      assertInputError(verify("--file", missing.toString(), "--key", pub.toString()),
          "--file", missing.toString(), "no such file");
    }

    @Test
    void missingKeyFileIsNamed() {
      Path missing = dir.resolve("no-such-key.pem");

      assertInputError(verify("--file", envelope.toString(), "--key", missing.toString()),
          "--key", missing.toString(), "no such file");
    }

    @Test
    void keyFileThatIsNotPemIsNamed() throws IOException {
      Path notPem = Files.writeString(dir.resolve("not.pem"), "this is not a key\n");

      assertInputError(verify("--file", envelope.toString(), "--key", notPem.toString()),
          "--key", notPem.toString(), "PEM");
    }

    @Test
    void privateKeyGivenAsTrustedKeyIsRefusedWithoutEchoingIt() throws IOException {
      Path priv = Files.writeString(dir.resolve("oops.key.pem"), key.privatePem());

      Cli.Result r = verify("--file", envelope.toString(), "--key", priv.toString());

      assertInputError(r, "--key", priv.toString(), "public key");
      String base64Body = key.privatePem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
      assertThat(r.err()).doesNotContain(base64Body);
    }

    @Test
    void oneBadKeyAmongGoodOnesStillFails() throws IOException {
      Path empty = Files.writeString(dir.resolve("empty.pem"), "");

      assertInputError(verify("--file", envelope.toString(), "--key", pub.toString(), "--key", empty.toString()),
          empty.toString());
    }

    @Test
    void directoryAsEnvelopeIsNamed() {
      assertInputError(verify("--file", dir.toString(), "--key", pub.toString()), "--file", dir.toString());
    }
  }

  @Nested
  class Values {
    @Test
    void nowThatIsNotRfc3339IsNamed() {
      assertInputError(verify("--file", envelope.toString(), "--key", pub.toString(), "--now", "yesterday"),
          "--now", "yesterday");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5s", "PT-5S", "5 parsecs"})
    void maxClockSkewThatIsNotADurationIsNamed(String skew) {
      assertInputError(verify("--file", envelope.toString(), "--key", pub.toString(), "--max-clock-skew", skew),
          "--max-clock-skew", skew);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void thresholdBelowOneIsNamed(String threshold) {
      assertInputError(verify("--file", envelope.toString(), "--key", pub.toString(), "--threshold", threshold),
          "--threshold");
    }

    @Test
    void thresholdThatIsNotANumberIsNamed() {
      assertInputError(verify("--file", envelope.toString(), "--key", pub.toString(), "--threshold", "two"),
          "--threshold", "two");
    }

    @Test
    void maxBytesZeroIsNamed() {
      assertInputError(verify("--file", envelope.toString(), "--key", pub.toString(), "--max-bytes", "0"),
          "--max-bytes");
    }

    @Test
    void smallMaxBytesAppliesToFilesToo() {
      Cli.Result r = verify("--file", envelope.toString(), "--key", pub.toString(), "--max-bytes", "100");

      assertInputError(r, "--file", envelope.toString(), "larger than 100 bytes");
    }
  }

  @Nested
  class Sources {
    @Test
    void bothUrlAndFileAreRefused() {
      assertInputError(verify("--file", envelope.toString(), "--url", "http://127.0.0.1:9/attestation",
          "--key", pub.toString()), "--url", "--file");
    }

    @Test
    void neitherUrlNorFileIsRefused() {
      assertInputError(verify("--key", pub.toString()), "--url", "--file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/attestation", "127.0.0.1:8002/attestation", "attestation", "http:///x"})
    void urlThatIsNotHttpIsNamed(String url) {
      assertInputError(verify("--url", url, "--key", pub.toString()), "--url", url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0ms"})
    void zeroTimeoutIsNamed(String timeout) {
      assertInputError(verify("--url", "http://127.0.0.1:9/attestation", "--key", pub.toString(),
          "--timeout", timeout), "--timeout");
    }
  }
}

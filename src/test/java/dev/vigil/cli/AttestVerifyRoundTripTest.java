package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Scheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** keygen, attest and verify through the command line only, as an operator would. */
class AttestVerifyRoundTripTest {
  static final String NOW = "2026-11-26T18:00:30Z";
  static final String DIGEST = "1df2e1c25e8ed343b62e5ab72853452cb79b14b21f99a5bb5cf423e7b89d88ea";

  @TempDir static Path keys;
  static final Map<Scheme, String> KEY_IDS = new EnumMap<>(Scheme.class);

  @TempDir Path work;

  @BeforeAll
  static void keygenEveryScheme() {
    for (Scheme s : Scheme.values()) {
      Cli.Result r = Cli.run("keygen", "--scheme", s.wireName(), "--out", keys.toString(), "--name", s.wireName());
      assertThat(r.code()).as(r.toString()).isZero();
      KEY_IDS.put(s, r.out().strip());
    }
  }

  static Path priv(Scheme s) {
    return keys.resolve(s.wireName() + ".key.pem");
  }

  static Path pub(Scheme s) {
    return keys.resolve(s.wireName() + ".pub.pem");
  }

  /** Runs attest with the fixture target plus {@code extra}; writes stdout to a file. */
  Path attest(Scheme s, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("attest", "--key", priv(s).toString(),
        "--service", Fixtures.SERVICE, "--environment", Fixtures.ENVIRONMENT,
        "--nonce", Fixtures.NONCE, "--issued-at", Fixtures.ISSUED_AT.toString()));
    args.addAll(Arrays.asList(extra));
    Cli.Result r = Cli.run(args);
    assertThat(r.code()).as(r.toString()).isZero();
    return Files.writeString(Files.createTempFile(work, "envelope", ".json"), r.out());
  }

  static Cli.Result verify(Path envelope, Scheme s, String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", "--file", envelope.toString(), "--key", pub(s).toString(),
        "--service", Fixtures.SERVICE, "--environment", Fixtures.ENVIRONMENT,
        "--nonce", Fixtures.NONCE, "--now", NOW));
    args.addAll(Arrays.asList(extra));
    return Cli.run(args);
  }

  @Nested
  class RoundTrip {
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void attestedEnvelopeVerifiesAsCompliant(Scheme s) throws IOException {
      Cli.Result r = verify(attest(s), s);

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("compliant: integrity-service/green");
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void envelopeCarriesTheKeyIdKeygenPrinted(Scheme s) throws IOException {
      Path env = attest(s);

      assertThat(Files.readString(env)).contains("\"keyid\":\"" + KEY_IDS.get(s) + "\"");
      Cli.Result r = verify(env, s, "--json");
      assertThat(r.out()).contains(KEY_IDS.get(s));
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void anotherSchemesKeyDoesNotVerify(Scheme s) throws IOException {
      Scheme other = Scheme.values()[(s.ordinal() + 1) % Scheme.values().length];

      Cli.Result r = verify(attest(s), other);

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("unknown_key:");
    }
  }

  @Nested
  class Findings {
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void wrongExpectedHashIsHashMismatch(Scheme s) throws IOException {
      Cli.Result r = verify(attest(s), s, "--expected-hash", "deadbeefdeadbeef");

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("hash_mismatch:").contains("deadbeefdeadbeef");
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void degradedStatusIsComplianceInactive(Scheme s) throws IOException {
      Cli.Result r = verify(attest(s, "--compliance-status", "degraded"), s);

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("compliance_inactive:").contains("degraded");
    }

    @Test
    void attestedHashIsTheOneVerified() throws IOException {
      Path env = attest(Scheme.ED25519, "--hash", "0123456789abcdef");

      assertThat(verify(env, Scheme.ED25519).out()).startsWith("hash_mismatch:");
      assertThat(verify(env, Scheme.ED25519, "--expected-hash", "0123456789abcdef").code()).isZero();
    }

    @Test
    void otherNonceIsNonceMismatch() throws IOException {
      Path env = attest(Scheme.ED25519);

      Cli.Result r = Cli.run("verify", "--file", env.toString(), "--key", pub(Scheme.ED25519).toString(),
          "--service", Fixtures.SERVICE, "--environment", Fixtures.ENVIRONMENT, "--now", NOW,
          "--nonce", "some-other-nonce");

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("nonce_mismatch:");
    }

    @Test
    void issuedAtOutsideTheSkewIsStale() throws IOException {
      Path env = attest(Scheme.ED25519);

      assertThat(verify(env, Scheme.ED25519, "--max-clock-skew", "29s").out()).startsWith("stale:");
      assertThat(verify(env, Scheme.ED25519, "--max-clock-skew", "30s").code()).isZero();
    }

    @Test
    void thresholdTwoWithOneSignatureIsSignatureInvalid() throws IOException {
      Path env = attest(Scheme.ED25519);

      Cli.Result r = verify(env, Scheme.ED25519, "--key", pub(Scheme.ECDSA_P256).toString(), "--threshold", "2");

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("signature_invalid:");
    }
  }

  @Nested
  class Digest {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "1DF2E1C25E8ED343B62E5AB72853452CB79B14B21F99A5BB5CF423E7B89D88EA",
        "1df2e1c25e8ed343b62e5ab72853452cb79b14b21f99a5bb5cf423e7b89d88eaff", "zzf2e1c25e8ed343b62e5ab72853452cb79b14b21f99a5bb5cf423e7b89d88ea"})
    void badDigestExitsTwoNamingTheOption(String digest) {
      Cli.Result r = Cli.run("attest", "--key", priv(Scheme.ED25519).toString(), "--service", "s",
          "--environment", "e", "--digest", digest);

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--digest", digest);
      assertThat(r.out()).isEmpty();
    }

    @Test
    void pinnedDigestThatMatchesIsCompliant() throws IOException {
      Cli.Result r = verify(attest(Scheme.ED25519, "--digest", DIGEST), Scheme.ED25519, "--expected-digest", DIGEST);

      assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void pinnedDigestThatDiffersIsHashMismatch() throws IOException {
      String other = "0".repeat(64);

      Cli.Result r = verify(attest(Scheme.ED25519, "--digest", DIGEST), Scheme.ED25519, "--expected-digest", other);

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("hash_mismatch:").contains(other);
    }

    @Test
    void pinnedDigestWhenTheStatementHasNoneIsHashMismatch() throws IOException {
      Cli.Result r = verify(attest(Scheme.ED25519), Scheme.ED25519, "--expected-digest", DIGEST);

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).startsWith("hash_mismatch:").contains("absent");
    }

    @Test
    void unpinnedDigestIsNotChecked() throws IOException {
      assertThat(verify(attest(Scheme.ED25519, "--digest", DIGEST), Scheme.ED25519).code()).isZero();
    }
  }

  @Nested
  class AttestInputErrors {
    @Test
    void negativeSequenceExitsTwo() {
      Cli.Result r = Cli.run("attest", "--key", priv(Scheme.ED25519).toString(), "--service", "s",
          "--environment", "e", "--sequence", "-1");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--sequence");
    }

    @Test
    void publicKeyInsteadOfPrivateExitsTwoNamingTheFile() {
      Cli.Result r = Cli.run("attest", "--key", pub(Scheme.ED25519).toString(), "--service", "s",
          "--environment", "e");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(pub(Scheme.ED25519).toString(), "private key");
    }

    @Test
    void badIssuedAtExitsTwo() {
      Cli.Result r = Cli.run("attest", "--key", priv(Scheme.ED25519).toString(), "--service", "s",
          "--environment", "e", "--issued-at", "tomorrow");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--issued-at", "tomorrow");
    }
  }
}

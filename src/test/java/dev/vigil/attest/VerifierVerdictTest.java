package dev.vigil.attest;

import static dev.vigil.attest.Fixtures.NOW;
import static dev.vigil.attest.Fixtures.expect;
import static dev.vigil.attest.Fixtures.key;
import static dev.vigil.attest.Fixtures.signed;
import static dev.vigil.attest.Fixtures.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every verdict the verifier decides, reached by building the bad input. */
class VerifierVerdictTest {
  private final SigningKey signer = key(Scheme.ED25519);
  private final Verifier verifier = Fixtures.verifier(signer.trusted());

  private Verification verify(Statement st) {
    return verifier.verify(signed(st, signer), expect());
  }

  private static Statement with(String field, Object value) {
    Statement s = statement();
    return new Statement(
        field.equals("subjectName") ? (String) value : s.subjectName(),
        field.equals("subjectDigest") ? (String) value : s.subjectDigest(),
        field.equals("service") ? (String) value : s.service(),
        field.equals("environment") ? (String) value : s.environment(),
        field.equals("constitutionalHash") ? (String) value : s.constitutionalHash(),
        field.equals("complianceStatus") ? (String) value : s.complianceStatus(),
        field.equals("nonce") ? (String) value : s.nonce(),
        field.equals("issuedAt") ? (java.time.Instant) value : s.issuedAt(),
        s.version(),
        field.equals("sequence") ? (Long) value : s.sequence(),
        s.slo());
  }

  private static String envelopeJson(String payloadType, byte[] payload, String sig) {
    return "{\"payloadType\":\"" + payloadType + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(payload)
        + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + sig + "\"}]}";
  }

  @Test
  void compliantWhenEverythingHolds() {
    Verification v = verify(statement());
    assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
    assertThat(v.signed()).isTrue();
    assertThat(v.verifiedKeyIds()).containsExactly(signer.keyId());
    assertThat(v.statement().slo().requestsPerSecond()).isEqualTo(1200.0);
    assertThat(v.statement().sequence()).isEqualTo(41L);
  }

  @Nested
  class Envelopes {
    @Test
    void tooLarge() {
      Verification v = new Verifier(verifier.trustStore(), 100, 8).verify(signed(statement(), signer), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
      assertThat(v.detail()).contains("limit of 100");
    }

    @Test
    void notJson() {
      assertThat(verifier.verify("<html>".getBytes(StandardCharsets.UTF_8), expect()).verdict())
          .isEqualTo(Verdict.MALFORMED_ENVELOPE);
    }

    @Test
    void wrongPayloadTypeEvenWhenValidlySigned() {
      byte[] body = new Signer(signer).sign("application/json", statement().toJson()).toJson();
      Verification v = verifier.verify(body, expect());
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).contains("payloadType is 'application/json'");
    }

    @Test
    void badBase64InSignature() {
      String json = envelopeJson(Envelope.IN_TOTO, statement().toJson(), "***");
      Verification v = verifier.verify(json.getBytes(StandardCharsets.UTF_8), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).contains("signatures[0].sig is not valid base64");
    }
  }

  @Nested
  class Signatures {
    @Test
    void unknownKey() {
      Verification v = verifier.verify(signed(statement(), Fixtures.ed25519(0)), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
      assertThat(v.signed()).isFalse();
    }

    @Test
    void signatureInvalidWhenAKnownKeyidDoesNotVerify() {
      Envelope good = new Signer(signer).sign(statement());
      byte[] sig = good.signatures().get(0).sig().clone();
      sig[10] ^= 1;
      Envelope bad = new Envelope(good.payloadType(), good.payload(), java.util.List.of(new Envelope.Sig(signer.keyId(), sig)));
      assertThat(verifier.verify(bad.toJson(), expect()).verdict()).isEqualTo(Verdict.SIGNATURE_INVALID);
    }

    @Test
    void signatureIsCheckedBeforeThePayloadIsParsed() {
      byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
      String json = envelopeJson(Envelope.IN_TOTO, garbage, Base64.getEncoder().encodeToString(new byte[64]));
      assertThat(verifier.verify(json.getBytes(StandardCharsets.UTF_8), expect()).verdict())
          .isEqualTo(Verdict.UNKNOWN_KEY);
    }
  }

  @Nested
  class Statements {
    @Test
    void malformedStatementWhenSignedPayloadIsNotAStatement() {
      byte[] body = new Signer(signer).sign(Envelope.IN_TOTO, "[1,2,3]".getBytes(StandardCharsets.UTF_8)).toJson();
      Verification v = verifier.verify(body, expect());
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_STATEMENT);
      assertThat(v.signed()).isTrue();
    }

    @Test
    void malformedStatementForBadIssuedAt() {
      String json = new String(statement().toJson(), StandardCharsets.UTF_8).replace("2026-11-26T18:00:00Z", "yesterday");
      byte[] body = new Signer(signer).sign(Envelope.IN_TOTO, json.getBytes(StandardCharsets.UTF_8)).toJson();
      assertThat(verifier.verify(body, expect()).detail()).contains("predicate.issuedAt 'yesterday'");
    }

    @Test
    void subjectMismatchForSubjectServiceOrEnvironment() {
      assertThat(verify(with("subjectName", "auth-service")).verdict()).isEqualTo(Verdict.SUBJECT_MISMATCH);
      assertThat(verify(with("service", "auth-service")).verdict()).isEqualTo(Verdict.SUBJECT_MISMATCH);
      Verification env = verify(with("environment", "blue"));
      assertThat(env.verdict()).isEqualTo(Verdict.SUBJECT_MISMATCH);
      assertThat(env.detail()).contains("predicate.environment is 'blue', expected green");
    }

    @Test
    void nonceMismatchWhenDifferentOrAbsent() {
      assertThat(verify(with("nonce", "other")).verdict()).isEqualTo(Verdict.NONCE_MISMATCH);
      assertThat(verify(with("nonce", null)).verdict()).isEqualTo(Verdict.NONCE_MISMATCH);
    }

    @Test
    void noNonceExpectedMeansNoneChecked() {
      Verification v = verifier.verify(signed(with("nonce", null), signer), expect().withNonce(null));
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void staleOutsideTheSkewEitherWayButNotAtItsEdge() {
      assertThat(verify(with("issuedAt", NOW.minusSeconds(61))).verdict()).isEqualTo(Verdict.STALE);
      assertThat(verify(with("issuedAt", NOW.plusSeconds(61))).verdict()).isEqualTo(Verdict.STALE);
      assertThat(verify(with("issuedAt", NOW.minusSeconds(60))).verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(verifier.verify(signed(with("issuedAt", NOW.minusSeconds(61)), signer),
          expect().withMaxClockSkew(Duration.ofSeconds(120))).verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void staleWhenSequenceGoesBackwards() {
      byte[] body = signed(with("sequence", 40L), signer);
      assertThat(verifier.verify(body, expect().withLastSequence(41L)).verdict()).isEqualTo(Verdict.STALE);
      assertThat(verifier.verify(body, expect().withLastSequence(40L)).verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void hashMismatchIsCaseSensitive() {
      Verification v = verify(with("constitutionalHash", "CDD01EF066BC6CF2"));
      assertThat(v.verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(v.detail()).contains("expected cdd01ef066bc6cf2");
    }

    @Test
    void pinnedDigestMismatchOrAbsenceIsAHashMismatch() {
      Expectation pinned = expect().withPinnedDigest("0".repeat(64));
      assertThat(verifier.verify(signed(statement(), signer), pinned).verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(verifier.verify(signed(with("subjectDigest", null), signer), pinned).verdict())
          .isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(verifier.verify(signed(statement(), signer), expect().withPinnedDigest(Fixtures.DIGEST)).verdict())
          .isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void complianceInactiveForAnyStatusButActive() {
      for (String status : new String[] {"degraded", "inactive", "ACTIVE", ""}) {
        assertThat(verify(with("complianceStatus", status)).verdict()).as(status).isEqualTo(Verdict.COMPLIANCE_INACTIVE);
      }
    }

    @Test
    void firstFailingCheckDecides() {
      Statement manyWrong = new Statement("x", null, "x", "blue", "deadbeef", "inactive", "other",
          NOW.minusSeconds(3600), null, null, null);
      assertThat(verify(manyWrong).verdict()).isEqualTo(Verdict.SUBJECT_MISMATCH);
      Statement hashAndStatus = with("constitutionalHash", "deadbeefdeadbeef");
      hashAndStatus = new Statement(hashAndStatus.subjectName(), hashAndStatus.subjectDigest(), hashAndStatus.service(),
          hashAndStatus.environment(), hashAndStatus.constitutionalHash(), "inactive", hashAndStatus.nonce(),
          hashAndStatus.issuedAt(), null, null, null);
      assertThat(verify(hashAndStatus).verdict()).isEqualTo(Verdict.HASH_MISMATCH);
    }
  }

  @Nested
  class Families {
    @Test
    void integrityAndAvailabilityAreDisjointAndMatchTheSpec() {
      assertThat(java.util.Arrays.stream(Verdict.values()).filter(Verdict::isIntegrity).map(Verdict::label))
          .containsExactlyInAnyOrder("hash_mismatch", "signature_invalid", "unknown_key", "key_not_valid",
              "nonce_mismatch", "subject_mismatch", "stale", "unsigned");
      assertThat(java.util.Arrays.stream(Verdict.values()).filter(Verdict::isAvailability).map(Verdict::label))
          .containsExactlyInAnyOrder("unreachable", "timeout", "tls_error", "http_error");
      assertThat(Verdict.fromLabel("tls_error")).isEqualTo(Verdict.TLS_ERROR);
    }
  }
}

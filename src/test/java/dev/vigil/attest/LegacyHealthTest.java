package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Legacy (unsigned) targets per attestation-v1 section 6. */
class LegacyHealthTest {
  private static final String HASH = Expectation.DEFAULT_HASH;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Verification eval(String health, String constitutional, boolean requireSignature) {
    return LegacyHealth.evaluate(b(health), b(constitutional), HASH, requireSignature);
  }

  @Nested
  class SignaturesRequired {
    @Test
    void aWouldBeCompliantResultIsUnsignedAnIntegrityVerdict() {
      Verification v = eval("{\"constitutional_hash\":\"" + HASH + "\"}", "{\"constitutional_compliance\":\"active\"}", true);
      assertThat(v.verdict()).isEqualTo(Verdict.UNSIGNED);
      assertThat(v.verdict().isIntegrity()).isTrue();
      assertThat(v.signed()).isFalse();
    }

    @Test
    void aWrongHashIsHashMismatchNeverHiddenBehindUnsigned() {
      Verification v = eval("{\"constitutional_hash\":\"deadbeefdeadbeef\"}", "{\"constitutional_compliance\":\"active\"}", true);
      assertThat(v.verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(v.detail()).contains("deadbeefdeadbeef");
    }

    @Test
    void inactiveComplianceKeepsItsOwnVerdict() {
      assertThat(eval("{\"constitutional_hash\":\"" + HASH + "\"}", "{\"constitutional_compliance\":\"degraded\"}", true)
          .verdict()).isEqualTo(Verdict.COMPLIANCE_INACTIVE);
    }

    @Test
    void garbageIsMalformedAndTheDetailSaysWhere() {
      Verification v = eval("<html>", "{}", true);
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).contains("/health");
    }
  }

  @Nested
  class SignaturesNotRequired {
    @Test
    void compliantButNeverSigned() {
      Verification v = eval("{\"status\":\"ok\",\"constitutional_hash\":\"" + HASH + "\"}",
          "{\"constitutional_compliance\":\"active\"}", false);
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(v.signed()).isFalse();
    }

    @Test
    void hashMismatch() {
      Verification v = eval("{\"constitutional_hash\":\"deadbeefdeadbeef\"}", "{\"constitutional_compliance\":\"active\"}", false);
      assertThat(v.verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(v.statement().constitutionalHash()).isEqualTo("deadbeefdeadbeef");
    }

    @Test
    void complianceInactive() {
      assertThat(eval("{\"constitutional_hash\":\"" + HASH + "\"}", "{\"constitutional_compliance\":\"degraded\"}", false)
          .verdict()).isEqualTo(Verdict.COMPLIANCE_INACTIVE);
    }

    @Test
    void missingOrWrongTypedFieldsAreMalformedAndNamed() {
      Verification missing = eval("{}", "{\"constitutional_compliance\":\"active\"}", false);
      assertThat(missing.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(missing.detail()).contains("/health constitutional_hash is missing");
      Verification wrongType = eval("{\"constitutional_hash\":\"" + HASH + "\"}", "{\"constitutional_compliance\":true}", false);
      assertThat(wrongType.detail()).contains("/health/constitutional constitutional_compliance must be a string");
      assertThat(eval("[]", "{}", false).detail()).contains("/health is not a JSON object");
    }
  }
}

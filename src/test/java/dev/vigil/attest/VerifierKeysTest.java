package dev.vigil.attest;

import static dev.vigil.attest.Fixtures.NOW;
import static dev.vigil.attest.Fixtures.expect;
import static dev.vigil.attest.Fixtures.signed;
import static dev.vigil.attest.Fixtures.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Schemes, key validity, rotation, thresholds and keyid hints. */
class VerifierKeysTest {
  private static final SigningKey A = Fixtures.ed25519(0);
  private static final SigningKey B = Fixtures.ed25519(1);
  private static final SigningKey C = Fixtures.ed25519(2);

  @Nested
  class RoundTrip {
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void signThenVerifyIsCompliantForEveryScheme(Scheme scheme) {
      SigningKey k = Fixtures.key(scheme);
      Verification v = Fixtures.verifier(k.trusted()).verify(signed(statement(), k), expect());
      assertThat(v.verdict()).as(v.detail()).isEqualTo(Verdict.COMPLIANT);
      assertThat(v.verifiedKeyIds()).containsExactly(k.keyId());
    }

    @Test
    void aKeyOfAnotherSchemeNeverVerifies() {
      SigningKey ec = Fixtures.key(Scheme.ECDSA_P256);
      Verification v = Fixtures.verifier(Fixtures.key(Scheme.ED25519).trusted(), Fixtures.key(Scheme.RSA_PSS_SHA256).trusted())
          .verify(signed(statement(), ec), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
    }
  }

  @Nested
  class Validity {
    private final Instant from = NOW.minus(Duration.ofDays(30));
    private final Instant until = NOW.plus(Duration.ofDays(30));

    @Test
    void expiredKey() {
      Verification v = Fixtures.verifier(A.trusted().withValidity(from, NOW)).verify(signed(statement(), A), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.KEY_NOT_VALID);
      assertThat(v.detail()).contains("expired");
    }

    @Test
    void notYetValidKey() {
      Verification v = Fixtures.verifier(A.trusted().withValidity(NOW.plusSeconds(1), until)).verify(signed(statement(), A), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.KEY_NOT_VALID);
      assertThat(v.detail()).contains("not valid before");
    }

    @Test
    void validityIsHalfOpen() {
      assertThat(Fixtures.verifier(A.trusted().withValidity(NOW, until)).verify(signed(statement(), A), expect()).verdict())
          .isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void revokedKey() {
      Verification v = Fixtures.verifier(A.trusted().withRevoked(true)).verify(signed(statement(), A), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.KEY_NOT_VALID);
      assertThat(v.detail()).contains("revoked");
    }

    @Test
    void keyOutOfScope() {
      Verification v = Fixtures.verifier(A.trusted().withScope(Set.of("auth-service")))
          .verify(signed(statement(), A), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.KEY_NOT_VALID);
      assertThat(v.detail()).contains("not scoped to integrity-service");
      assertThat(Fixtures.verifier(A.trusted().withScope(Set.of("integrity-service"))).verify(signed(statement(), A), expect())
          .verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void rotationWithOverlappingValidity() {
      TrustedKey old = A.trusted().withValidity(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(1)));
      TrustedKey next = B.trusted().withValidity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)));
      Verifier v = Fixtures.verifier(old, next);
      assertThat(v.verify(signed(statement(), A), expect()).verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(v.verify(signed(statement(), B), expect()).verdict()).isEqualTo(Verdict.COMPLIANT);
      Expectation afterOverlap = expect().withNow(NOW.plus(Duration.ofDays(2)));
      Statement later = new Statement(Fixtures.SERVICE, Fixtures.DIGEST, Fixtures.SERVICE, Fixtures.ENV,
          Expectation.DEFAULT_HASH, "active", Fixtures.NONCE, afterOverlap.now(), null, null, null);
      assertThat(v.verify(signed(later, A), afterOverlap).verdict()).isEqualTo(Verdict.KEY_NOT_VALID);
      assertThat(v.verify(signed(later, B), afterOverlap).verdict()).isEqualTo(Verdict.COMPLIANT);
    }
  }

  @Nested
  class Threshold {
    private final Verifier verifier = Fixtures.verifier(A.trusted(), B.trusted(), C.trusted());

    @Test
    void twoOfThree() {
      Verification v = verifier.verify(signed(statement(), A, C), expect().withThreshold(2));
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(v.verifiedKeyIds()).containsExactlyInAnyOrder(A.keyId(), C.keyId());
    }

    @Test
    void oneOfTwoRequiredIsSignatureInvalid() {
      Verification v = verifier.verify(signed(statement(), B), expect().withThreshold(2));
      assertThat(v.verdict()).isEqualTo(Verdict.SIGNATURE_INVALID);
      assertThat(v.detail()).contains("threshold is 2");
    }

    @Test
    void theSameKeyTwiceDoesNotCountAsTwo() {
      Verification v = verifier.verify(signed(statement(), A, A), expect().withThreshold(2));
      assertThat(v.verdict()).isEqualTo(Verdict.SIGNATURE_INVALID);
    }

    @Test
    void aKeyListedTwiceInTheStoreCountsOnce() {
      Verifier dup = Fixtures.verifier(A.trusted(), A.trusted());
      assertThat(dup.trustStore().size()).isEqualTo(1);
      assertThat(dup.verify(signed(statement(), A, A), expect().withThreshold(2)).verdict())
          .isEqualTo(Verdict.SIGNATURE_INVALID);
    }

    @Test
    void anUntrustedExtraSignatureDoesNotHurt() {
      Verification v = verifier.verify(signed(statement(), Fixtures.ed25519(3), A, B), expect().withThreshold(2));
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
    }
  }

  @Nested
  class KeyidHints {
    private final Verifier verifier = Fixtures.verifier(A.trusted(), B.trusted());

    private byte[] withHint(SigningKey realSigner, String hint) {
      Envelope e = new Signer(realSigner).sign(statement());
      return new Envelope(e.payloadType(), e.payload(), List.of(new Envelope.Sig(hint, e.signatures().get(0).sig()))).toJson();
    }

    @Test
    void aWrongOrMissingHintNeverChangesAPass() {
      for (String hint : new String[] {"", B.keyId(), "not-a-key", A.keyId()}) {
        Verification v = verifier.verify(withHint(A, hint), expect());
        assertThat(v.verdict()).as("hint " + hint).isEqualTo(Verdict.COMPLIANT);
        assertThat(v.verifiedKeyIds()).containsExactly(A.keyId());
      }
    }

    @Test
    void aHintNamingATrustedKeyCannotMakeAnUntrustedSignaturePass() {
      Verification v = verifier.verify(withHint(C, A.keyId()), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.SIGNATURE_INVALID);
    }

    @Test
    void aHintCannotMoveTrustFromAnInvalidKeyToAValidOne() {
      Verifier v = Fixtures.verifier(A.trusted().withRevoked(true), B.trusted());
      Verification r = v.verify(withHint(A, B.keyId()), expect());
      assertThat(r.verdict()).isEqualTo(Verdict.KEY_NOT_VALID);
    }
  }
}

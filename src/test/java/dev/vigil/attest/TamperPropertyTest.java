package dev.vigil.attest;

import static dev.vigil.attest.Fixtures.expect;
import static dev.vigil.attest.Fixtures.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Property: any single-byte change to a payload or a signature is never compliant. */
class TamperPropertyTest {
  private static final int TRIALS = 400;

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void changingAnyPayloadByteIsNeverCompliant(Scheme scheme) {
    SigningKey key = Fixtures.key(scheme);
    Verifier verifier = Fixtures.verifier(key.trusted());
    Envelope good = new Signer(key).sign(statement());
    Random r = new Random(scheme.ordinal() * 7919L);
    for (int i = 0; i < TRIALS; i++) {
      byte[] payload = good.payload().clone();
      int pos = r.nextInt(payload.length);
      payload[pos] ^= (byte) (1 + r.nextInt(255));
      Envelope bad = new Envelope(good.payloadType(), payload, good.signatures());
      Verification v = verifier.verify(bad.toJson(), expect());
      assertThat(v.verdict()).as("payload byte %d", pos).isNotEqualTo(Verdict.COMPLIANT);
      assertThat(v.verdict()).as("payload byte %d", pos).isEqualTo(Verdict.SIGNATURE_INVALID);
    }
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void changingAnySignatureByteIsNeverCompliant(Scheme scheme) {
    SigningKey key = Fixtures.key(scheme);
    Verifier verifier = Fixtures.verifier(key.trusted());
    Envelope good = new Signer(key).sign(statement());
    Envelope.Sig sig = good.signatures().get(0);
    Random r = new Random(scheme.ordinal() * 104729L);
    for (int i = 0; i < TRIALS; i++) {
      byte[] bytes = sig.sig().clone();
      int pos = r.nextInt(bytes.length);
      bytes[pos] ^= (byte) (1 + r.nextInt(255));
      Envelope bad = new Envelope(good.payloadType(), good.payload(), List.of(new Envelope.Sig(sig.keyid(), bytes)));
      Verification v = verifier.verify(bad.toJson(), expect());
      assertThat(v.verdict()).as("signature byte %d", pos).isEqualTo(Verdict.SIGNATURE_INVALID);
    }
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void changingThePayloadTypeIsNeverCompliant(Scheme scheme) {
    SigningKey key = Fixtures.key(scheme);
    Envelope good = new Signer(key).sign(statement());
    Envelope bad = new Envelope(good.payloadType() + " ", good.payload(), good.signatures());
    assertThat(Fixtures.verifier(key.trusted()).verify(bad.toJson(), expect()).verdict())
        .isEqualTo(Verdict.MALFORMED_ENVELOPE);
  }
}

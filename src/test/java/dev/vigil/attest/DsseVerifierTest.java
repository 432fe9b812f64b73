package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DsseVerifierTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SigningKey KEY = Keys.generate(Scheme.ED25519, RANDOM);
  private static final SigningKey OTHER = Keys.generate(Scheme.ED25519, RANDOM);
  private static final String TYPE = "application/cloudevents+json";
  private static final Instant NOW = Instant.parse("2026-11-26T18:00:00Z");
  private static final byte[] PAYLOAD = "{\"hello\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void acceptsATrustedSignatureAndReturnsThePayloadAndKey() {
    byte[] env = new Signer(KEY).sign(TYPE, PAYLOAD).toJson();
    DsseVerifier.Result r = DsseVerifier.verify(env, TYPE, TrustStore.of(OTHER.trusted(), KEY.trusted()), NOW);
    assertThat(r).isInstanceOf(DsseVerifier.Verified.class);
    assertThat(((DsseVerifier.Verified) r).payload()).isEqualTo(PAYLOAD);
    assertThat(((DsseVerifier.Verified) r).keyId()).isEqualTo(KEY.keyId());
    assertThat(DsseVerifier.verify(env, TYPE, TrustStore.of(KEY.trusted()), NOW))
        .isInstanceOfSatisfying(DsseVerifier.Verified.class, v -> assertThat(v.payload()).isEqualTo(PAYLOAD));
  }

  @Test
  void anUnknownKeyIsUntrusted() {
    byte[] env = new Signer(OTHER).sign(TYPE, PAYLOAD).toJson();
    assertThat(DsseVerifier.verify(env, TYPE, TrustStore.of(KEY.trusted()), NOW))
        .isEqualTo(new DsseVerifier.Failed(DsseVerifier.Failure.UNTRUSTED,
            "no trusted key verifies any of 1 signature(s) (1 key(s) tried)"));
  }

  @Test
  void aTamperedPayloadIsUntrusted() {
    Envelope good = new Signer(KEY).sign(TYPE, PAYLOAD);
    byte[] changed = PAYLOAD.clone();
    changed[changed.length - 2] = '2';
    byte[] env = new Envelope(TYPE, changed, good.signatures()).toJson();
    DsseVerifier.Result r = DsseVerifier.verify(env, TYPE, TrustStore.of(KEY.trusted()), NOW);
    assertThat(r).isInstanceOfSatisfying(DsseVerifier.Failed.class,
        f -> assertThat(f.failure()).isEqualTo(DsseVerifier.Failure.UNTRUSTED));
  }

  @Test
  void aRevokedOrExpiredKeyIsUntrusted() {
    byte[] env = new Signer(KEY).sign(TYPE, PAYLOAD).toJson();
    assertThat(DsseVerifier.verify(env, TYPE, TrustStore.of(KEY.trusted().withRevoked(true)), NOW))
        .isInstanceOfSatisfying(DsseVerifier.Failed.class, f -> assertThat(f.detail()).contains("revoked"));
    assertThat(DsseVerifier.verify(env, TYPE,
        TrustStore.of(KEY.trusted().withValidity(null, NOW.minusSeconds(1))), NOW).verified()).isFalse();
  }

  @Test
  void anotherPayloadTypeOrGarbageIsRefusedAsAValue() {
    byte[] env = new Signer(KEY).sign("text/plain", PAYLOAD).toJson();
    assertThat(DsseVerifier.verify(env, TYPE, TrustStore.of(KEY.trusted()), NOW))
        .isInstanceOfSatisfying(DsseVerifier.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(DsseVerifier.Failure.WRONG_PAYLOAD_TYPE));
    for (String bad : new String[] {"", "null", "[]", "{", "{\"payloadType\":1}", "\u0000\u0001"}) {
      assertThat(DsseVerifier.verify(bad.getBytes(StandardCharsets.UTF_8), TYPE, TrustStore.of(KEY.trusted()), NOW))
          .isInstanceOfSatisfying(DsseVerifier.Failed.class,
              f -> assertThat(f.failure()).isEqualTo(DsseVerifier.Failure.MALFORMED));
    }
  }

  @Test
  void anEnvelopeInUtf16OrWithABomOrAnExtremeNumberIsMalformedNotAnException() {
    String env = new String(new Signer(KEY).sign(TYPE, PAYLOAD).toJson(), StandardCharsets.UTF_8);
    byte[] bom = ("\uFEFF" + env).getBytes(StandardCharsets.UTF_8);
    for (byte[] bad : new byte[][] {env.getBytes(StandardCharsets.UTF_16LE), env.getBytes(StandardCharsets.UTF_16BE), bom,
        "{\"x\":1e999999999999}".getBytes(StandardCharsets.UTF_8)}) {
      assertThat(DsseVerifier.verify(bad, TYPE, TrustStore.of(KEY.trusted()), NOW))
          .isInstanceOfSatisfying(DsseVerifier.Failed.class,
              f -> assertThat(f.failure()).isEqualTo(DsseVerifier.Failure.MALFORMED));
    }
    assertThat(DsseVerifier.verify(env.getBytes(StandardCharsets.UTF_8), TYPE, TrustStore.of(KEY.trusted()), NOW).verified())
        .isTrue();
  }
}

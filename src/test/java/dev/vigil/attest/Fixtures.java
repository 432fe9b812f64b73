package dev.vigil.attest;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Keys and statements built in code for the attest tests. Keys are generated once per JVM. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-26T18:00:00Z");
  static final String SERVICE = "integrity-service";
  static final String ENV = "green";
  static final String NONCE = "n0nce-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String DIGEST = "1df2e1c25e8ed343b62e5ab72853452cb79b14b21f99a5bb5cf423e7b89d88ea";
  static final SecureRandom RANDOM = new SecureRandom();

  private static final Map<Scheme, SigningKey> KEYS = new EnumMap<>(Scheme.class);
  private static final SigningKey[] EXTRA = new SigningKey[4];

  private Fixtures() {}

  static synchronized SigningKey key(Scheme scheme) {
    return KEYS.computeIfAbsent(scheme, s -> Keys.generate(s, RANDOM));
  }

  /** Distinct Ed25519 keys, numbered from 0. */
  static synchronized SigningKey ed25519(int n) {
    if (EXTRA[n] == null) {
      EXTRA[n] = Keys.generate(Scheme.ED25519, RANDOM);
    }
    return EXTRA[n];
  }

  static Statement statement() {
    return new Statement(SERVICE, DIGEST, SERVICE, ENV, Expectation.DEFAULT_HASH, Statement.ACTIVE, NONCE, NOW,
        "2.0.0-acge", 41L, new Statement.Slo(180.5, 1200.0, 0.001));
  }

  static Expectation expect() {
    return Expectation.of(SERVICE, ENV, NOW).withNonce(NONCE);
  }

  static byte[] signed(Statement st, SigningKey... keys) {
    return new Signer(List.of(keys), RANDOM).sign(st).toJson();
  }

  static Verifier verifier(TrustedKey... keys) {
    return new Verifier(TrustStore.of(keys));
  }
}

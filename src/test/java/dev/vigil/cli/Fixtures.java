package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;

/** Keys and envelopes built in code for the CLI tests. */
final class Fixtures {
  static final String SERVICE = "integrity-service";
  static final String ENVIRONMENT = "green";
  static final String HASH = "cdd01ef066bc6cf2";
  static final String NONCE = "n0nce-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final Instant ISSUED_AT = Instant.parse("2026-11-26T18:00:00Z");

  private Fixtures() {}

  static SigningKey generate(Scheme scheme) {
    return Keys.generate(scheme, new SecureRandom());
  }

  /** Writes the public key of {@code key} as PEM to {@code dir/name}. */
  static Path writePublic(SigningKey key, Path dir, String name) throws IOException {
    return Files.writeString(dir.resolve(name), key.publicKey().toPem(), StandardCharsets.US_ASCII);
  }

  /** A compliant statement for the fixture service, echoing {@code nonce}, issued at {@code issuedAt}. */
  static Statement statement(String nonce, Instant issuedAt) {
    return new Statement(SERVICE, null, SERVICE, ENVIRONMENT, HASH, "active", nonce, issuedAt,
        "2.0.0-test", null, null);
  }

  static byte[] envelope(SigningKey key, String nonce, Instant issuedAt) {
    return new Signer(key).sign(statement(nonce, issuedAt)).toJson();
  }
}

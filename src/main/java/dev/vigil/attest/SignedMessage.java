package dev.vigil.attest;

/**
 * The PAE bytes of one envelope, built once, with their SHA-256 computed at most once: the ECDSA
 * and RSA-PSS schemes verify every (signature, key) pair against that one digest instead of
 * re-hashing a payload of up to {@code maxResponseBytes} per pair. Ed25519 hashes the signature's
 * R and the key with the message, so its cost per pair is inherent, and bounded by the check
 * budget of {@link Verifier}. Not thread-safe: one instance serves one verification.
 */
final class SignedMessage {
  private final byte[] bytes;
  private byte[] sha256;

  SignedMessage(byte[] bytes) {
    this.bytes = bytes;
  }

  static SignedMessage of(Envelope env) {
    return new SignedMessage(env.pae());
  }

  byte[] bytes() {
    return bytes;
  }

  byte[] sha256() {
    if (sha256 == null) {
      sha256 = Scheme.sha256(bytes);
    }
    return sha256;
  }
}

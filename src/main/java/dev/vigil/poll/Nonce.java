package dev.vigil.poll;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Fresh request nonces: 32 bytes from a CSPRNG, base64url without padding (43 characters), a new
 * one for every request, retries included. The generator is the JDK's {@code DRBG} (NIST SP
 * 800-90A Hash_DRBG, seeded and reseeded from the operating system), not the platform default
 * {@code NativePRNG}, which reads {@code /dev/urandom} under a lock on every call: one nonce per
 * poll made that a system call per poll. Thread-safe ({@link SecureRandom} is).
 */
public final class Nonce {
  private static final SecureRandom RANDOM = drbg();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Nonce() {}

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom(); // a JDK without DRBG (before 9): the platform default
    }
  }

  public static String fresh() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return ENCODER.encodeToString(b);
  }
}

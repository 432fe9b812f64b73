package dev.vigil.poll;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Fresh request nonces: 32 bytes from a CSPRNG, base64url without padding (43 characters), a new
 * one for every request, retries included. Thread-safe ({@link SecureRandom} is).
 */
public final class Nonce {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Nonce() {}

  public static String fresh() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return ENCODER.encodeToString(b);
  }
}

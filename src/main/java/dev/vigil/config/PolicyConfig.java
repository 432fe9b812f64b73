package dev.vigil.config;

import dev.vigil.attest.Expectation;
import java.time.Duration;

/**
 * What an environment must attest: the constitutional hash, optionally the pinned digest of the
 * constitution document, whether signatures are required, and the allowed clock skew. Immutable.
 */
public record PolicyConfig(String expectedHash, String pinnedDigest, boolean requireSignature, Duration maxClockSkew) {
  public static PolicyConfig defaults() {
    return new PolicyConfig(Expectation.DEFAULT_HASH, null, true, Expectation.DEFAULT_MAX_CLOCK_SKEW);
  }
}

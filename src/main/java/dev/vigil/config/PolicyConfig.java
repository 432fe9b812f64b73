package dev.vigil.config;

import dev.vigil.attest.Expectation;
import dev.vigil.attest.Verifier;
import java.time.Duration;

/**
 * What an environment must attest: the constitutional hash, optionally the pinned digest of the
 * constitution document, whether signatures are required, the allowed clock skew, and the most
 * signature checks (signatures times trusted keys) one envelope may cost. Immutable.
 */
public record PolicyConfig(String expectedHash, String pinnedDigest, boolean requireSignature, Duration maxClockSkew,
    int maxSignatureChecks) {

  /** A policy with the default signature-check budget. */
  public PolicyConfig(String expectedHash, String pinnedDigest, boolean requireSignature, Duration maxClockSkew) {
    this(expectedHash, pinnedDigest, requireSignature, maxClockSkew, Verifier.DEFAULT_MAX_SIGNATURE_CHECKS);
  }

  public static PolicyConfig defaults() {
    return new PolicyConfig(Expectation.DEFAULT_HASH, null, true, Expectation.DEFAULT_MAX_CLOCK_SKEW);
  }
}

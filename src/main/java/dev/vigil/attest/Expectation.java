package dev.vigil.attest;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the monitor expects of one attestation: the target it asked, the nonce it sent, the
 * policy's hash (and optional pinned subject digest), the signature threshold, and the time of
 * verification. Time is a value here, never read from a clock, so the verifier stays pure.
 *
 * @param nonce the nonce sent, or null when none was sent
 * @param pinnedDigest lowercase hex SHA-256 of the constitution document, or null when not pinned
 * @param lastSequence the highest {@code sequence} accepted so far for this instance, or null
 */
public record Expectation(
    String service,
    String environment,
    String nonce,
    String expectedHash,
    String pinnedDigest,
    Instant now,
    Duration maxClockSkew,
    Long lastSequence,
    int threshold) {

  /** The reference fleet's constitutional hash. */
  public static final String DEFAULT_HASH = "cdd01ef066bc6cf2";
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(60);

  public Expectation {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(expectedHash, "expectedHash");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative");
    }
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1");
    }
  }

  /** Defaults: the reference hash, 60 s skew, threshold 1, no nonce, digest or sequence. */
  public static Expectation of(String service, String environment, Instant now) {
    return new Expectation(service, environment, null, DEFAULT_HASH, null, now,
        DEFAULT_MAX_CLOCK_SKEW, null, 1);
  }

  public Expectation withNonce(String value) {
    return new Expectation(service, environment, value, expectedHash, pinnedDigest, now, maxClockSkew, lastSequence, threshold);
  }

  public Expectation withExpectedHash(String value) {
    return new Expectation(service, environment, nonce, value, pinnedDigest, now, maxClockSkew, lastSequence, threshold);
  }

  public Expectation withPinnedDigest(String value) {
    return new Expectation(service, environment, nonce, expectedHash, value, now, maxClockSkew, lastSequence, threshold);
  }

  public Expectation withNow(Instant value) {
    return new Expectation(service, environment, nonce, expectedHash, pinnedDigest, value, maxClockSkew, lastSequence, threshold);
  }

  public Expectation withMaxClockSkew(Duration value) {
    return new Expectation(service, environment, nonce, expectedHash, pinnedDigest, now, value, lastSequence, threshold);
  }

  public Expectation withLastSequence(Long value) {
    return new Expectation(service, environment, nonce, expectedHash, pinnedDigest, now, maxClockSkew, value, threshold);
  }

  public Expectation withThreshold(int value) {
    return new Expectation(service, environment, nonce, expectedHash, pinnedDigest, now, maxClockSkew, lastSequence, value);
  }
}

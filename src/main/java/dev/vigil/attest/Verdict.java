package dev.vigil.attest;

import java.util.Locale;

/**
 * The outcome of one poll, exactly as section 5 of attestation-v1 names them. When several checks
 * fail, the first in declaration order decides: the enum's order is the spec's order.
 *
 * <p>{@link #label()} is the lowercase name used as the {@code result}/{@code reason} label value
 * in metrics and events. Immutable and thread-safe.
 */
public enum Verdict {
  UNREACHABLE(Family.AVAILABILITY),
  TIMEOUT(Family.AVAILABILITY),
  TLS_ERROR(Family.AVAILABILITY),
  HTTP_ERROR(Family.AVAILABILITY),
  RESPONSE_TOO_LARGE(Family.CONTENT),
  MALFORMED_ENVELOPE(Family.CONTENT),
  UNKNOWN_KEY(Family.INTEGRITY),
  KEY_NOT_VALID(Family.INTEGRITY),
  SIGNATURE_INVALID(Family.INTEGRITY),
  MALFORMED_STATEMENT(Family.CONTENT),
  SUBJECT_MISMATCH(Family.INTEGRITY),
  NONCE_MISMATCH(Family.INTEGRITY),
  STALE(Family.INTEGRITY),
  HASH_MISMATCH(Family.INTEGRITY),
  COMPLIANCE_INACTIVE(Family.COMPLIANCE),
  UNSIGNED(Family.INTEGRITY),
  COMPLIANT(Family.OK);

  /** What a verdict is evidence of; integrity and availability must never be confused. */
  public enum Family {
    /** The target could not be asked: a transport failure, not tampering. */
    AVAILABILITY,
    /** The answer could not be read as an attestation at all. */
    CONTENT,
    /** Evidence of tampering or replay. */
    INTEGRITY,
    /** A genuine attestation that reports a non-active compliance status. */
    COMPLIANCE,
    /** Every check passed. */
    OK
  }

  private final Family family;
  private final String label;

  Verdict(Family family) {
    this.family = family;
    this.label = name().toLowerCase(Locale.ROOT);
  }

  /** The lowercase wire name, e.g. {@code hash_mismatch}. */
  public String label() {
    return label;
  }

  public Family family() {
    return family;
  }

  /** True for the integrity verdicts of spec section 5 (tampering or replay). */
  public boolean isIntegrity() {
    return family == Family.INTEGRITY;
  }

  /** True for the transport verdicts: the target did not give a complete HTTP answer. */
  public boolean isAvailability() {
    return family == Family.AVAILABILITY;
  }

  /** Parses a wire name such as {@code signature_invalid}; throws for an unknown name. */
  public static Verdict fromLabel(String label) {
    for (Verdict v : values()) {
      if (v.label.equals(label)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown verdict '" + label + "'");
  }

  @Override
  public String toString() {
    return label;
  }
}

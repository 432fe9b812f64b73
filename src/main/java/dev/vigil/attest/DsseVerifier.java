package dev.vigil.attest;

import java.time.Instant;
import java.util.Objects;

/**
 * A generic DSSE check for payloads other than attestations (e.g. signed CloudEvents): parse the
 * envelope, require the payload type, and accept when at least one signature over the PAE verifies
 * with a trusted key that is usable at {@code now} (not revoked, inside its validity window; the
 * key's service scope is not consulted, since the payload is not read). The keyid is only a hint
 * for the order keys are tried in.
 *
 * <p>Pure: no I/O, time passed in. Every failure is a {@link Failed} value, never an exception.
 * Stateless and thread-safe.
 */
public final class DsseVerifier {
  /** Envelopes larger than this are refused unread. */
  public static final int MAX_ENVELOPE_BYTES = 1 << 20;

  private DsseVerifier() {}

  /** What one check found. */
  public sealed interface Result permits Verified, Failed {
    default boolean verified() {
      return this instanceof Verified;
    }
  }

  /** A trusted signature verified; {@code payload} is the signed payload, {@code keyId} the key that vouched. */
  public record Verified(byte[] payload, String keyId) implements Result {
    public Verified {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** Why an envelope is not accepted. */
  public enum Failure {
    /** Not a DSSE envelope (not JSON, fields missing, bad base64, too large). */
    MALFORMED,
    /** A well-formed envelope of another payload type. */
    WRONG_PAYLOAD_TYPE,
    /** No signature verifies with a trusted, usable key (unknown key, forged or tampered, revoked, expired). */
    UNTRUSTED
  }

  /** The envelope was refused, with a one-line reason that never holds key material. */
  public record Failed(Failure failure, String detail) implements Result {}

  /** Checks {@code envelopeJson}; never throws for any input bytes. */
  public static Result verify(byte[] envelopeJson, String expectedPayloadType, TrustStore keys, Instant now) {
    Objects.requireNonNull(expectedPayloadType, "expectedPayloadType");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(now, "now");
    try {
      return verifyUnchecked(envelopeJson, expectedPayloadType, keys, now);
    } catch (RuntimeException e) {
      return new Failed(Failure.MALFORMED, "unexpected error while reading the envelope: " + e.getClass().getSimpleName());
    }
  }

  private static Result verifyUnchecked(byte[] envelopeJson, String expectedPayloadType, TrustStore keys, Instant now) {
    if (envelopeJson == null || envelopeJson.length == 0) {
      return new Failed(Failure.MALFORMED, "empty envelope");
    }
    if (envelopeJson.length > MAX_ENVELOPE_BYTES) {
      return new Failed(Failure.MALFORMED, "envelope of " + envelopeJson.length + " bytes exceeds " + MAX_ENVELOPE_BYTES);
    }
    Envelope env;
    try {
      env = Envelope.parse(envelopeJson, Verifier.DEFAULT_MAX_SIGNATURES);
    } catch (Malformed e) {
      return new Failed(Failure.MALFORMED, e.getMessage());
    }
    if (!expectedPayloadType.equals(env.payloadType())) {
      return new Failed(Failure.WRONG_PAYLOAD_TYPE, "payloadType is " + Statement.clip(env.payloadType())
          + ", expected " + expectedPayloadType);
    }
    String overBudget = Verifier.overBudget(env.signatures().size(), keys.size(), Verifier.MAX_SIGNATURE_CHECKS);
    if (overBudget != null) {
      return new Failed(Failure.MALFORMED, overBudget);
    }
    SignedMessage pae = SignedMessage.of(env);
    String unusable = null;
    for (Envelope.Sig sig : env.signatures()) {
      for (TrustedKey key : keys.tryOrder(sig.keyid())) {
        if (key.verifies(pae, sig.sig())) {
          String reason = key.withScope(java.util.Set.of()).unusableReason("", now);
          if (reason == null) {
            return new Verified(env.payload(), key.keyId());
          }
          unusable = reason;
          break;
        }
      }
    }
    return new Failed(Failure.UNTRUSTED, unusable != null ? unusable
        : "no trusted key verifies any of " + env.signatures().size() + " signature(s) (" + keys.size() + " key(s) tried)");
  }
}

package dev.vigil.attest;

import java.time.Instant;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * A public key the monitor trusts, with its pinned scheme and the limits of that trust: a validity
 * window {@code [notBefore, notAfter)} (either end may be null for unbounded), revocation, and a
 * scope of services it may sign for (empty means any service).
 *
 * <p>{@code keyId} is the lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, computed from the
 * key itself, never taken from a message. Immutable and thread-safe.
 */
public record TrustedKey(
    String keyId,
    Scheme scheme,
    AsymmetricKeyParameter publicKey,
    Instant notBefore,
    Instant notAfter,
    boolean revoked,
    Set<String> scope) {

  public TrustedKey {
    scope = Set.copyOf(scope);
    if (publicKey.isPrivate()) {
      throw new IllegalArgumentException("a trusted key must be a public key");
    }
    if (!scheme.accepts(publicKey)) {
      throw new IllegalArgumentException("key " + keyId + " is not a " + scheme.wireName() + " key");
    }
    if (notBefore != null && notAfter != null && !notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException("key " + keyId + ": notBefore must be before notAfter");
    }
  }

  /** A key with no validity limits, not revoked, valid for every service. */
  public static TrustedKey of(Keys.PublicKeyMaterial material) {
    return new TrustedKey(material.keyId(), material.scheme(), material.key(),
        material.notBefore(), material.notAfter(), false, Set.of());
  }

  public TrustedKey withValidity(Instant from, Instant until) {
    return new TrustedKey(keyId, scheme, publicKey, from, until, revoked, scope);
  }

  public TrustedKey withRevoked(boolean isRevoked) {
    return new TrustedKey(keyId, scheme, publicKey, notBefore, notAfter, isRevoked, scope);
  }

  public TrustedKey withScope(Set<String> services) {
    return new TrustedKey(keyId, scheme, publicKey, notBefore, notAfter, revoked, services);
  }

  /** Why this key may not vouch for {@code service} at {@code now}, or null if it may. */
  public String unusableReason(String service, Instant now) {
    if (revoked) {
      return "key " + shortId() + " is revoked";
    }
    if (notBefore != null && now.isBefore(notBefore)) {
      return "key " + shortId() + " is not valid before " + notBefore;
    }
    if (notAfter != null && !now.isBefore(notAfter)) {
      return "key " + shortId() + " expired at " + notAfter;
    }
    if (!scope.isEmpty() && !scope.contains(service)) {
      return "key " + shortId() + " is not scoped to " + service;
    }
    return null;
  }

  /** The first 12 hex digits, for messages. */
  public String shortId() {
    return keyId.substring(0, Math.min(12, keyId.length()));
  }

  /** True when this key's scheme verifies {@code sig} over {@code message}; never throws. */
  public boolean verifies(byte[] message, byte[] sig) {
    return verifies(new SignedMessage(message), sig);
  }

  boolean verifies(SignedMessage message, byte[] sig) {
    try {
      return scheme.verify(publicKey, message, sig);
    } catch (RuntimeException e) {
      return false;
    }
  }
}

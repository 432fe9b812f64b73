package dev.vigil.attest;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * A private key of the attester side with its scheme and keyid. Used by the simulator, {@code
 * vigil attest} and tests. Immutable; safe to share between threads. Its {@link #toString()} never
 * shows key material.
 */
public final class SigningKey {
  private final Scheme scheme;
  private final AsymmetricKeyParameter privateKey;
  private final Keys.PublicKeyMaterial publicKey;

  private SigningKey(Scheme scheme, AsymmetricKeyParameter privateKey, Keys.PublicKeyMaterial publicKey) {
    this.scheme = scheme;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  static SigningKey of(AsymmetricKeyParameter priv, AsymmetricKeyParameter pub) throws IllegalStateException {
    try {
      Keys.PublicKeyMaterial material = Keys.material(Keys.spki(pub), null, null);
      return new SigningKey(material.scheme(), priv, material);
    } catch (Keys.KeyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public Scheme scheme() {
    return scheme;
  }

  public String keyId() {
    return publicKey.keyId();
  }

  /** The matching public key, as a verifier would load it. */
  public Keys.PublicKeyMaterial publicKey() {
    return publicKey;
  }

  /** A trusted-key entry for this key with no limits, for tests and the simulator. */
  public TrustedKey trusted() {
    return TrustedKey.of(publicKey);
  }

  /** PKCS#8 PEM of the private key; write it only to a file of mode 0600. */
  public String privatePem() {
    return Keys.privatePem(privateKey);
  }

  public byte[] sign(byte[] message, SecureRandom random) {
    return scheme.sign(privateKey, message, random);
  }

  @Override
  public String toString() {
    return "SigningKey[" + scheme + ", keyid=" + keyId() + "]";
  }
}

package dev.vigil.evidence;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * An Ed25519 key under a name, as the C2SP signed-note specification uses it: the key hash is the
 * first 4 bytes of {@code SHA-256(name || "\n" || 0x01 || public key)}. A note key verifies; one
 * made with {@link #signer} also signs (with the monitor's event key). Immutable; thread-safe.
 */
public final class NoteKey {
  private static final byte ALG_ED25519 = 0x01;

  private final String name;
  private final byte[] publicKey;
  private final byte[] keyHash;
  private final TrustedKey verifier;
  private final SigningKey signing;

  private NoteKey(String name, Keys.PublicKeyMaterial material, SigningKey signing) {
    if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '+' || c > 0x7e)) {
      throw new IllegalArgumentException("a note key name is printable ASCII without spaces or '+'");
    }
    if (material.scheme() != Scheme.ED25519) {
      throw new IllegalArgumentException("a signed-note key must be Ed25519, this one is " + material.scheme());
    }
    this.name = name;
    this.publicKey = ((Ed25519PublicKeyParameters) material.key()).getEncoded();
    this.keyHash = keyHash(name, publicKey);
    this.verifier = TrustedKey.of(material);
    this.signing = signing;
  }

  /** A key that verifies signatures of {@code name} made with {@code publicKey}; refuses keys other than Ed25519. */
  public static NoteKey verifier(String name, Keys.PublicKeyMaterial publicKey) {
    return new NoteKey(name, publicKey, null);
  }

  /** A key that signs as {@code name} with {@code key} (Ed25519). */
  public static NoteKey signer(String name, SigningKey key) {
    return new NoteKey(name, key.publicKey(), Objects.requireNonNull(key, "key"));
  }

  public String name() {
    return name;
  }

  /** The 4-byte key hash of the signed-note specification. */
  public byte[] keyHash() {
    return keyHash.clone();
  }

  /** The verifier key in Go's note text form, {@code name+hex(hash)+base64(0x01 || key)}. */
  public String verifierKey() {
    byte[] k = new byte[33];
    k[0] = ALG_ED25519;
    System.arraycopy(publicKey, 0, k, 1, 32);
    return name + "+" + org.bouncycastle.util.encoders.Hex.toHexString(keyHash) + "+"
        + java.util.Base64.getEncoder().encodeToString(k);
  }

  boolean canSign() {
    return signing != null;
  }

  /** 4-byte key hash followed by the Ed25519 signature of {@code message}. */
  byte[] sign(byte[] message) {
    if (signing == null) {
      throw new IllegalStateException("the note key " + name + " has no private key");
    }
    byte[] sig = signing.sign(message, new SecureRandom());
    byte[] out = Arrays.copyOf(keyHash, 4 + sig.length);
    System.arraycopy(sig, 0, out, 4, sig.length);
    return out;
  }

  /** Does {@code signature} (key hash + Ed25519 signature) sign {@code message} with this key? */
  boolean verifies(byte[] message, byte[] signature) {
    return signature.length == 4 + 64 && MessageDigest.isEqual(Arrays.copyOf(signature, 4), keyHash)
        && verifier.verifies(message, Arrays.copyOfRange(signature, 4, signature.length));
  }

  boolean hashMatches(byte[] signature) {
    return signature.length >= 4 && MessageDigest.isEqual(Arrays.copyOf(signature, 4), keyHash);
  }

  static byte[] keyHash(String name, byte[] publicKey) {
    MessageDigest d = Rfc9162.sha256();
    d.update(name.getBytes(StandardCharsets.UTF_8));
    d.update((byte) '\n');
    d.update(ALG_ED25519);
    d.update(publicKey);
    return Arrays.copyOf(d.digest(), 4);
  }

  @Override
  public String toString() {
    return "NoteKey[" + name + "+" + org.bouncycastle.util.encoders.Hex.toHexString(keyHash) + "]";
  }
}

package dev.vigil.attest;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Locale;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The signature schemes of attestation-v1 section 3, through Bouncy Castle's lightweight API.
 *
 * <p>The scheme is pinned per trusted key in configuration and never read from a message.
 * Verification never throws: a signature that cannot even be decoded simply does not verify.
 * Stateless and thread-safe.
 */
public enum Scheme {
  /** Ed25519 (RFC 8032, pure): 64 raw signature bytes. */
  ED25519("ed25519") {
    @Override
    boolean verify(CipherParameters key, SignedMessage message, byte[] sig) {
      if (sig.length != 64) {
        return false;
      }
      byte[] m = message.bytes();
      return ((Ed25519PublicKeyParameters) key).verify(Ed25519.Algorithm.Ed25519, null, m, 0, m.length, sig, 0);
    }

    @Override
    byte[] sign(CipherParameters key, byte[] message, SecureRandom random) {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, key);
      s.update(message, 0, message.length);
      return s.generateSignature();
    }

    @Override
    boolean accepts(CipherParameters key) {
      return key instanceof Ed25519PublicKeyParameters || key instanceof Ed25519PrivateKeyParameters;
    }
  },

  /** ECDSA on P-256 with SHA-256; DER {@code SEQUENCE{r,s}} and raw 64-byte r‖s both verify. */
  ECDSA_P256("ecdsa-sha2-nistp256") {
    @Override
    boolean verify(CipherParameters key, SignedMessage message, byte[] sig) {
      ECPublicKeyParameters pub = (ECPublicKeyParameters) key;
      BigInteger n = pub.getParameters().getN();
      byte[] hash = message.sha256();
      ECDSASigner v = new ECDSASigner();
      v.init(false, pub);
      BigInteger[] rs = decodeDer(n, sig);
      if (rs != null && v.verifySignature(hash, rs[0], rs[1])) {
        return true;
      }
      if (sig.length == 64) {
        rs = decodeRaw(n, sig);
        return rs != null && v.verifySignature(hash, rs[0], rs[1]);
      }
      return false;
    }

    @Override
    byte[] sign(CipherParameters key, byte[] message, SecureRandom random) {
      ECPrivateKeyParameters priv = (ECPrivateKeyParameters) key;
      ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      s.init(true, priv);
      BigInteger[] rs = s.generateSignature(sha256(message));
      try {
        return StandardDSAEncoding.INSTANCE.encode(priv.getParameters().getN(), rs[0], rs[1]);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
      }
    }

    @Override
    boolean accepts(CipherParameters key) {
      return key instanceof ECPublicKeyParameters || key instanceof ECPrivateKeyParameters;
    }
  },

  /** RSASSA-PSS, SHA-256, MGF1-SHA-256: signs with salt 32, verifies salt 32 or the maximum salt. */
  RSA_PSS_SHA256("rsassa-pss-sha256") {
    @Override
    boolean verify(CipherParameters key, SignedMessage message, byte[] sig) {
      RSAKeyParameters pub = (RSAKeyParameters) key;
      int modBytes = (pub.getModulus().bitLength() + 7) / 8;
      if (sig.length != modBytes) {
        return false;
      }
      if (pss(pub, message, sig, SALT_LENGTH)) {
        return true;
      }
      int emLen = (pub.getModulus().bitLength() - 1 + 7) / 8;
      int maxSalt = emLen - 32 - 2;
      return maxSalt != SALT_LENGTH && maxSalt > 0 && pss(pub, message, sig, maxSalt);
    }

    @Override
    byte[] sign(CipherParameters key, byte[] message, SecureRandom random) {
      PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), SALT_LENGTH);
      s.init(true, new ParametersWithRandom(key, random));
      s.update(message, 0, message.length);
      try {
        return s.generateSignature();
      } catch (org.bouncycastle.crypto.CryptoException e) {
        throw new IllegalStateException("RSA-PSS signing failed", e);
      }
    }

    @Override
    boolean accepts(CipherParameters key) {
      return key instanceof RSAKeyParameters;
    }
  };

  static final int SALT_LENGTH = 32;

  private final String wireName;

  Scheme(String wireName) {
    this.wireName = wireName;
  }

  /** The in-toto name used in configuration, e.g. {@code ecdsa-sha2-nistp256}. */
  public String wireName() {
    return wireName;
  }

  /** Verifies {@code sig} over the message; the message's digest is shared by every pair tried. */
  abstract boolean verify(CipherParameters publicKey, SignedMessage message, byte[] sig);

  abstract byte[] sign(CipherParameters privateKey, byte[] message, SecureRandom random);

  abstract boolean accepts(CipherParameters key);

  /** Parses a configuration name; the error lists the accepted names. */
  public static Scheme fromWireName(String name) {
    for (Scheme s : values()) {
      if (s.wireName.equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown signature scheme '" + name + "'; expected ed25519, ecdsa-sha2-nistp256 or rsassa-pss-sha256");
  }

  @Override
  public String toString() {
    return wireName;
  }

  static byte[] sha256(byte[] message) {
    SHA256Digest d = new SHA256Digest();
    d.update(message, 0, message.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** PSS over the message's precomputed SHA-256 (a "raw" signer takes the digest as its input). */
  private static boolean pss(RSAKeyParameters pub, SignedMessage message, byte[] sig, int salt) {
    PSSSigner v = PSSSigner.createRawSigner(new RSAEngine(), new SHA256Digest(), new SHA256Digest(), salt,
        PSSSigner.TRAILER_IMPLICIT);
    v.init(false, pub);
    byte[] hash = message.sha256();
    v.update(hash, 0, hash.length);
    return v.verifySignature(sig);
  }

  private static BigInteger[] decodeDer(BigInteger n, byte[] sig) {
    try {
      return StandardDSAEncoding.INSTANCE.decode(n, sig);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static BigInteger[] decodeRaw(BigInteger n, byte[] sig) {
    try {
      return PlainDSAEncoding.INSTANCE.decode(n, sig);
    } catch (RuntimeException e) {
      return null;
    }
  }
}

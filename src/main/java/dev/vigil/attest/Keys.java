package dev.vigil.attest;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reading, writing and generating keys: PEM SubjectPublicKeyInfo and X.509 certificates for
 * trusted keys, PKCS#8 for signing keys, and the keyid (hex SHA-256 of the DER SPKI).
 *
 * <p>Every method is a pure function of its arguments; errors are {@link KeyException}s whose
 * message says what was wrong, never the key material. Thread-safe.
 */
public final class Keys {
  private static final int MIN_RSA_BITS = 2048;

  private Keys() {}

  /** A parsed public key, its scheme (from its type) and, for certificates, the validity window. */
  public record PublicKeyMaterial(
      String keyId, Scheme scheme, AsymmetricKeyParameter key, SubjectPublicKeyInfo spki,
      Instant notBefore, Instant notAfter) {
    public String toPem() {
      return pem("PUBLIC KEY", encoded(spki));
    }
  }

  /** Thrown for unreadable or unsupported key material. */
  public static final class KeyException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyException(String message) {
      super(message);
    }
  }

  /** Reads a PEM public key ("BEGIN PUBLIC KEY") or X.509 certificate ("BEGIN CERTIFICATE"). */
  public static PublicKeyMaterial readPublic(String pem) throws KeyException {
    Object obj = readPemObject(pem);
    if (obj instanceof SubjectPublicKeyInfo spki) {
      return material(spki, null, null);
    }
    if (obj instanceof X509CertificateHolder cert) {
      return material(cert.getSubjectPublicKeyInfo(),
          cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }
    throw new KeyException("expected a PEM public key (BEGIN PUBLIC KEY) or certificate, got "
        + describe(obj));
  }

  /** Reads a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", or traditional EC/RSA). */
  public static SigningKey readPrivate(String pem) throws KeyException {
    Object obj = readPemObject(pem);
    PrivateKeyInfo info;
    if (obj instanceof PrivateKeyInfo pki) {
      info = pki;
    } else if (obj instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else {
      throw new KeyException("expected a PEM private key (BEGIN PRIVATE KEY), got " + describe(obj));
    }
    AsymmetricKeyParameter priv;
    try {
      priv = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new KeyException("the private key cannot be decoded: " + e.getClass().getSimpleName());
    }
    return SigningKey.of(priv, publicOf(priv));
  }

  /** Generates a fresh key pair for {@code scheme} (RSA: 3072 bits). */
  public static SigningKey generate(Scheme scheme, SecureRandom random) {
    AsymmetricCipherKeyPair pair = switch (scheme) {
      case ED25519 -> {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(random));
        yield g.generateKeyPair();
      }
      case ECDSA_P256 -> {
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(p256(), random));
        yield g.generateKeyPair();
      }
      case RSA_PSS_SHA256 -> {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, 3072, 100));
        yield g.generateKeyPair();
      }
    };
    return SigningKey.of(pair.getPrivate(), pair.getPublic());
  }

  /** The keyid of a public key: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo. */
  public static String keyId(SubjectPublicKeyInfo spki) {
    return Hex.toHexString(Scheme.sha256(encoded(spki)));
  }

  static PublicKeyMaterial material(SubjectPublicKeyInfo spki, Instant notBefore, Instant notAfter)
      throws KeyException {
    AlgorithmIdentifier alg = spki.getAlgorithm();
    ASN1ObjectIdentifier oid = alg.getAlgorithm();
    Scheme scheme;
    if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      scheme = Scheme.ED25519;
    } else if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (alg.getParameters() == null
          || !(alg.getParameters().toASN1Primitive() instanceof ASN1ObjectIdentifier curve)
          || !curve.equals(SECObjectIdentifiers.secp256r1)) {
        throw new KeyException("EC key is not on the named curve P-256 (secp256r1)");
      }
      scheme = Scheme.ECDSA_P256;
    } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption) || oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      scheme = Scheme.RSA_PSS_SHA256;
    } else {
      throw new KeyException("unsupported public key algorithm " + oid.getId()
          + "; expected Ed25519, EC P-256 or RSA");
    }
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(spki);
    } catch (IOException | RuntimeException e) {
      throw new KeyException("the public key cannot be decoded: " + e.getClass().getSimpleName());
    }
    if (key instanceof RSAKeyParameters rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new KeyException("RSA key has " + rsa.getModulus().bitLength() + " bits; at least "
          + MIN_RSA_BITS + " are required");
    }
    return new PublicKeyMaterial(keyId(spki), scheme, key, spki, notBefore, notAfter);
  }

  static SubjectPublicKeyInfo spki(AsymmetricKeyParameter pub) {
    try {
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a public key", e);
    }
  }

  /**
   * PKCS#8 PEM. Ed25519 keys are written in the version 1 form of RFC 8410 section 7 (no
   * {@code [1] publicKey}): OpenSSL 3.0 and pyca/cryptography refuse the version 2 form that
   * Bouncy Castle writes by default.
   */
  static String privatePem(AsymmetricKeyParameter priv) {
    try {
      if (priv instanceof Ed25519PrivateKeyParameters ed) {
        PrivateKeyInfo v1 = new PrivateKeyInfo(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
            org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519),
            new org.bouncycastle.asn1.DEROctetString(ed.getEncoded()));
        return pem("PRIVATE KEY", v1.getEncoded(ASN1Encoding.DER));
      }
      return pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(priv).getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a private key", e);
    }
  }

  private static AsymmetricKeyParameter publicOf(AsymmetricKeyParameter priv) throws KeyException {
    if (priv instanceof Ed25519PrivateKeyParameters ed) {
      return ed.generatePublicKey();
    }
    if (priv instanceof ECPrivateKeyParameters ec) {
      if (!(ec.getParameters() instanceof ECNamedDomainParameters named)
          || !named.getName().equals(SECObjectIdentifiers.secp256r1)) {
        throw new KeyException("EC private key is not on the named curve P-256 (secp256r1)");
      }
      return new ECPublicKeyParameters(
          new FixedPointCombMultiplier().multiply(named.getG(), ec.getD()).normalize(), named);
    }
    if (priv instanceof RSAPrivateCrtKeyParameters rsa) {
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new KeyException("RSA key has " + rsa.getModulus().bitLength() + " bits; at least "
            + MIN_RSA_BITS + " are required");
      }
      return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
    }
    throw new KeyException("unsupported private key type " + priv.getClass().getSimpleName()
        + "; expected Ed25519, EC P-256 or RSA");
  }

  private static ECNamedDomainParameters p256() {
    return new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1,
        ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1));
  }

  private static Object readPemObject(String pem) throws KeyException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object obj = parser.readObject();
      if (obj == null) {
        throw new KeyException("no PEM block found");
      }
      return obj;
    } catch (IOException | RuntimeException e) {
      throw new KeyException("malformed PEM: " + Json.firstLine(e.getMessage()));
    }
  }

  private static String describe(Object obj) {
    return obj.getClass().getSimpleName();
  }

  private static byte[] encoded(SubjectPublicKeyInfo spki) {
    try {
      return spki.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode a public key", e);
    }
  }

  static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}

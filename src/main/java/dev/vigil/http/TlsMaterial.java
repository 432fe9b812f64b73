package dev.vigil.http;

import dev.vigil.config.WebConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The PEM files of a {@link WebConfig.Tls}, read and checked: the certificate chain parses, the key parses
 * and matches the leaf certificate, the leaf is valid now, the client CA file holds certificates. Loading
 * reads files: call it off the event loop. Immutable.
 *
 * @param digest SHA-256 of the three files' bytes, to notice a change without parsing
 */
record TlsMaterial(Buffer certChain, Buffer keyPkcs8, Buffer clientCa, X509Certificate leaf, byte[] digest) {
  private static final int MAX_BYTES = 1 << 20;

  /** Thrown for files that cannot serve; its message names the YAML key and the file, never key material. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** The SHA-256 of the files as they are now (a missing file counts as empty). */
  static byte[] digestOf(WebConfig.Tls tls) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path p : Arrays.asList(tls.certFile(), tls.keyFile(), tls.clientCaFile())) {
        sha.update(p == null ? new byte[0] : readQuietly(p));
        sha.update((byte) 0);
      }
      return sha.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads and checks the files of {@code tls} ({@code at}: the YAML path of the section, e.g. server.tls). */
  static TlsMaterial load(WebConfig.Tls tls, String at, Instant now) throws Invalid {
    byte[] digest = digestOf(tls);
    byte[] certBytes = read(tls.certFile(), at + ".certFile");
    List<X509Certificate> chain = certificates(certBytes, tls.certFile(), at + ".certFile");
    X509Certificate leaf = chain.get(0);
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new Invalid(at + ".certFile: the certificate in " + tls.certFile() + " (" + leaf.getSubjectX500Principal()
          + ") expired at " + leaf.getNotAfter().toInstant());
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new Invalid(at + ".certFile: the certificate in " + tls.certFile() + " is not valid before "
          + leaf.getNotBefore().toInstant());
    }
    PrivateKey key = privateKey(read(tls.keyFile(), at + ".keyFile"), tls.keyFile(), at + ".keyFile");
    if (!matches(key, leaf)) {
      throw new Invalid(at + ".keyFile: the key in " + tls.keyFile() + " does not belong to the certificate in "
          + tls.certFile());
    }
    Buffer ca = null;
    if (tls.clientCaFile() != null) {
      byte[] caBytes = read(tls.clientCaFile(), at + ".clientCaFile");
      certificates(caBytes, tls.clientCaFile(), at + ".clientCaFile");
      ca = Buffer.buffer(caBytes);
    }
    String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    return new TlsMaterial(Buffer.buffer(certBytes), Buffer.buffer(pkcs8), ca, leaf, digest);
  }

  PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertValue(certChain).setKeyValue(keyPkcs8);
  }

  /** The trust options for client certificates; null without a client CA. */
  PemTrustOptions trust() {
    return clientCa == null ? null : new PemTrustOptions().addCertValue(clientCa);
  }

  boolean sameFiles(byte[] otherDigest) {
    return MessageDigest.isEqual(digest, otherDigest);
  }

  private static byte[] readQuietly(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static byte[] read(Path p, String key) throws Invalid {
    try {
      if (Files.size(p) > MAX_BYTES) {
        throw new Invalid(key + ": " + p + " is larger than " + MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new Invalid(key + ": cannot read " + p + ": " + e);
    }
  }

  private static List<X509Certificate> certificates(byte[] pem, Path p, String key) throws Invalid {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new Invalid(key + ": " + p + " holds no PEM certificate");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new Invalid(key + ": " + p + " is not a PEM certificate file: " + e.getMessage());
    }
  }

  private static PrivateKey privateKey(byte[] pem, Path p, String key) throws Invalid {
    try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
      throw new Invalid(key + ": " + p + " holds no unencrypted PEM private key (PKCS#8, PKCS#1 or EC)");
    } catch (IOException | RuntimeException e) {
      throw new Invalid(key + ": " + p + " is not a readable PEM private key (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (alg == null) {
      return true; // let the TLS stack judge
    }
    try {
      byte[] probe = "vigil-tls-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

package dev.vigil.http;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority built in code with Bouncy Castle: EC P-256 certificates for 127.0.0.1 with any
 * validity (expired ones too), written as PEM files, and JDK SSL contexts that trust it or present one of its
 * certificates. For tests of Vigil's own HTTPS endpoints.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private final Path dir;
  private final Issued ca;

  /** A certificate, its key and their PEM files. */
  public record Issued(String name, Path certFile, Path keyFile, X509Certificate cert, PrivateKey key) {}

  private TestPki(Path dir, Issued ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** A new CA named {@code name}, its files in {@code dir}. */
  public static TestPki create(Path dir, String name) throws Exception {
    KeyPair pair = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509Certificate cert = sign(new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(30))), subject, pair.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)), pair.getPrivate());
    return new TestPki(dir, write(dir, name, cert, pair.getPrivate()));
  }

  public Issued ca() {
    return ca;
  }

  /** A server and client certificate for 127.0.0.1 and localhost, valid from yesterday for a day more. */
  public Issued issue(String name) throws Exception {
    Instant now = Instant.now();
    return issue(name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
  }

  /** As {@link #issue(String)}, valid from {@code notBefore} to {@code notAfter} (either may be in the past). */
  public Issued issue(String name, Instant notBefore, Instant notAfter) throws Exception {
    KeyPair pair = keyPair();
    X509Certificate cert = sign(new JcaX509v3CertificateBuilder(new X500Name("CN=" + ca.name()), serial(),
        Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + name), pair.getPublic())
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})),
        ca.key());
    return write(dir, name, cert, pair.getPrivate());
  }

  /** An SSL context that trusts this CA and, when {@code client} is not null, presents it. */
  public SSLContext context(Issued client) throws Exception {
    return context(this, client);
  }

  /** An SSL context that trusts this CA and presents {@code client}, issued by {@code clientCa}. */
  public SSLContext context(TestPki clientCa, Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.cert());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.key(), new char[0], new X509Certificate[] {client.cert(), clientCa.ca.cert()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManager[] km = null;
    if (kmf != null) {
      javax.net.ssl.X509ExtendedKeyManager inner = (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
      km = new javax.net.ssl.KeyManager[] {new Presenting(inner)};
    }
    ctx.init(km, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Presents its one certificate whatever CAs the server asks for (the JDK would otherwise send none). */
  private static final class Presenting extends javax.net.ssl.X509ExtendedKeyManager {
    private final javax.net.ssl.X509ExtendedKeyManager inner;

    Presenting(javax.net.ssl.X509ExtendedKeyManager inner) {
      this.inner = inner;
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
      return "client";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine e) {
      return "client";
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return inner.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return inner.getPrivateKey(alias);
    }
  }

  /** The subject of the certificate that 127.0.0.1:{@code port} presents to a fresh handshake. */
  public String serverSubject(int port) throws Exception {
    try (Socket plain = new Socket("127.0.0.1", port);
        SSLSocket s = (SSLSocket) context(null).getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
    byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)).getEncoded();
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static Issued write(Path dir, String name, X509Certificate cert, PrivateKey key) throws Exception {
    Path certFile = dir.resolve(name + ".crt");
    Path keyFile = dir.resolve(name + ".key");
    Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    return new Issued(name, certFile, keyFile, cert, key);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}

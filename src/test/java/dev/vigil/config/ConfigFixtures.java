package dev.vigil.config;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key files and YAML documents built in code for the config tests. Keys are generated once per
 * JVM; {@link #writeKeys} writes them into a test's directory:
 * {@code ed1.pub.pem}, {@code ed2.pub.pem} (Ed25519), {@code ec.pub.pem} (P-256),
 * {@code cert.pem} (a self-signed P-256 certificate valid {@link #CERT_FROM} to {@link #CERT_UNTIL}),
 * {@code private.pem} (a private key, wrongly given as a public one) and {@code garbage.pem}.
 */
final class ConfigFixtures {
  static final SecureRandom RANDOM = new SecureRandom();
  static final SigningKey ED1 = Keys.generate(Scheme.ED25519, RANDOM);
  static final SigningKey ED2 = Keys.generate(Scheme.ED25519, RANDOM);
  static final SigningKey EC = Keys.generate(Scheme.ECDSA_P256, RANDOM);
  static final Instant CERT_FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant CERT_UNTIL = Instant.parse("2027-01-01T00:00:00Z");
  static final String CERT_PEM = selfSignedCertificate();
  static final String DIGEST = "1df2e1c25e8ed343b62e5ab72853452cb79b14b21f99a5bb5cf423e7b89d88ea";
  static final String TOKEN = "s3cret-admin-token-0123456789";
  static final Map<String, String> NO_ENV = Map.of();

  /** One valid target with one key: everything else omitted. */
  static final String MINIMAL = """
      targets:
        - service: auth-service
          environment: green
          url: http://127.0.0.1:8000
          keys:
            - file: ed1.pub.pem
      """;

  private ConfigFixtures() {}

  static void writeKeys(Path dir) {
    write(dir.resolve("ed1.pub.pem"), ED1.publicKey().toPem());
    write(dir.resolve("ed2.pub.pem"), ED2.publicKey().toPem());
    write(dir.resolve("ec.pub.pem"), EC.publicKey().toPem());
    write(dir.resolve("cert.pem"), CERT_PEM);
    write(dir.resolve("private.pem"), ED1.privatePem());
    write(dir.resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n");
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code section} (top-level YAML) followed by {@link #MINIMAL}'s targets. */
  static String withMinimalTargets(String section) {
    return section.stripTrailing() + "\n" + MINIMAL;
  }

  /** {@link #MINIMAL} with {@code lines} (written at target level, no indentation) added to its target. */
  static String target(String lines) {
    return MINIMAL + indent(lines, 4);
  }

  /** One target (auth-service, green) whose only content besides names and url is {@code lines}. */
  static String bareTarget(String lines) {
    return """
        targets:
          - service: auth-service
            environment: green
            url: http://127.0.0.1:8000
        """ + indent(lines, 4);
  }

  /** {@link #MINIMAL} with {@code lines} added to its first key. */
  static String key(String lines) {
    return MINIMAL + indent(lines, 8);
  }

  static String indent(String lines, int spaces) {
    return lines.stripIndent().lines().map(l -> " ".repeat(spaces) + l).reduce("", (a, b) -> a + b + "\n");
  }

  static ConfigResult parse(String yaml, Path dir) {
    return ConfigLoader.parse(yaml, dir, NO_ENV);
  }

  static VigilConfig valid(String yaml, Path dir) {
    ConfigResult result = parse(yaml, dir);
    if (!result.isValid()) {
      throw new AssertionError("expected a valid configuration, got " + result.errors());
    }
    return result.orElseThrow();
  }

  static List<String> errors(String yaml, Path dir) {
    return parse(yaml, dir).errors().stream().map(ConfigError::toString).toList();
  }

  private static String selfSignedCertificate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair pair = g.generateKeyPair();
      X500Name name = new X500Name("CN=auth-service");
      byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(CERT_FROM), Date.from(CERT_UNTIL),
          name, pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(new BouncyCastleProvider())
              .build(pair.getPrivate()))
          .getEncoded();
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

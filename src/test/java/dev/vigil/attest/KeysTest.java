package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {
  @Nested
  class PublicKeys {
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void pemRoundTripKeepsSchemeAndKeyid(Scheme scheme) throws Exception {
      SigningKey k = Fixtures.key(scheme);
      Keys.PublicKeyMaterial read = Keys.readPublic(k.publicKey().toPem());
      assertThat(read.scheme()).isEqualTo(scheme);
      assertThat(read.keyId()).isEqualTo(k.keyId()).matches("[0-9a-f]{64}");
    }

    @Test
    void keyidIsSha256OfTheDerSpki() throws Exception {
      SigningKey k = Fixtures.key(Scheme.ED25519);
      byte[] der = k.publicKey().spki().getEncoded();
      assertThat(k.keyId()).isEqualTo(Hex.toHexString(java.security.MessageDigest.getInstance("SHA-256").digest(der)));
    }

    @Test
    void certificateGivesItsKeyAndValidityWindow() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = g.generateKeyPair();
      Instant from = Instant.parse("2026-01-01T00:00:00Z");
      Instant until = Instant.parse("2027-01-01T00:00:00Z");
      X509CertificateHolder cert = new JcaX509v3CertificateBuilder(new X500Name("CN=integrity-service"),
          BigInteger.ONE, Date.from(from), Date.from(until), new X500Name("CN=integrity-service"), pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(new BouncyCastleProvider()).build(pair.getPrivate()));
      String pem = Keys.pem("CERTIFICATE", cert.getEncoded());
      Keys.PublicKeyMaterial m = Keys.readPublic(pem);
      assertThat(m.scheme()).isEqualTo(Scheme.ECDSA_P256);
      assertThat(m.notBefore()).isEqualTo(from);
      assertThat(m.notAfter()).isEqualTo(until);
      assertThat(m.keyId()).isEqualTo(Keys.keyId(cert.getSubjectPublicKeyInfo()));
    }

    @Test
    void ecKeyOnAnotherCurveIsRefused() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"));
      String pem = Keys.pem("PUBLIC KEY", g.generateKeyPair().getPublic().getEncoded());
      assertThatThrownBy(() -> Keys.readPublic(pem)).isInstanceOf(Keys.KeyException.class).hasMessageContaining("P-256");
    }

    @Test
    void shortRsaKeyIsRefused() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(1024);
      String pem = Keys.pem("PUBLIC KEY", g.generateKeyPair().getPublic().getEncoded());
      assertThatThrownBy(() -> Keys.readPublic(pem)).hasMessageContaining("1024 bits").hasMessageContaining("2048");
    }

    @Test
    void unsupportedAlgorithmIsNamed() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed448", new BouncyCastleProvider());
      String pem = Keys.pem("PUBLIC KEY", g.generateKeyPair().getPublic().getEncoded());
      assertThatThrownBy(() -> Keys.readPublic(pem)).hasMessageContaining("unsupported public key algorithm");
    }

    @Test
    void garbageAndWrongBlocksGiveClearErrors() {
      assertThatThrownBy(() -> Keys.readPublic("")).hasMessageContaining("no PEM block");
      assertThatThrownBy(() -> Keys.readPublic("not a key at all")).hasMessageContaining("no PEM block");
      assertThatThrownBy(() -> Keys.readPublic("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"))
          .isInstanceOf(Keys.KeyException.class);
      assertThatThrownBy(() -> Keys.readPublic(Fixtures.key(Scheme.ED25519).privatePem()))
          .hasMessageContaining("expected a PEM public key");
    }
  }

  @Nested
  class PrivateKeys {
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void pkcs8RoundTripSignsVerifiably(Scheme scheme) throws Exception {
      SigningKey k = Fixtures.key(scheme);
      SigningKey read = Keys.readPrivate(k.privatePem());
      assertThat(read.keyId()).isEqualTo(k.keyId());
      assertThat(read.scheme()).isEqualTo(scheme);
      byte[] msg = "message".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(k.trusted().verifies(msg, read.sign(msg, Fixtures.RANDOM))).isTrue();
      assertThat(k.privatePem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void toStringShowsNoKeyMaterial() {
      SigningKey k = Fixtures.key(Scheme.ED25519);
      String pemBody = k.privatePem().split("\n")[1];
      assertThat(k.toString()).contains(k.keyId()).doesNotContain(pemBody);
    }

    @Test
    void publicKeyIsNotAPrivateKey() {
      assertThatThrownBy(() -> Keys.readPrivate(Fixtures.key(Scheme.ED25519).publicKey().toPem()))
          .hasMessageContaining("expected a PEM private key");
    }
  }

  @Nested
  class Schemes {
    @Test
    void wireNamesParseAndUnknownNamesAreListed() {
      assertThat(Scheme.fromWireName("ed25519")).isEqualTo(Scheme.ED25519);
      assertThat(Scheme.fromWireName("ecdsa-sha2-nistp256")).isEqualTo(Scheme.ECDSA_P256);
      assertThat(Scheme.fromWireName("rsassa-pss-sha256")).isEqualTo(Scheme.RSA_PSS_SHA256);
      assertThatThrownBy(() -> Scheme.fromWireName("dsa")).hasMessageContaining("ed25519, ecdsa-sha2-nistp256 or rsassa-pss-sha256");
    }

    @Test
    void aTrustedKeyMustMatchItsPinnedScheme() {
      SigningKey ed = Fixtures.key(Scheme.ED25519);
      assertThatThrownBy(() -> new TrustedKey(ed.keyId(), Scheme.ECDSA_P256, ed.publicKey().key(), null, null, false,
          java.util.Set.of())).hasMessageContaining("is not a ecdsa-sha2-nistp256 key");
    }
  }
}

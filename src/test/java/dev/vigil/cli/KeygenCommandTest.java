package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeygenCommandTest {
  @TempDir Path dir;

  private Cli.Result keygen(String scheme, String name) {
    return Cli.run("keygen", "--scheme", scheme, "--out", dir.toString(), "--name", name);
  }

  @Nested
  class WritesAKeyPair {
    /** RFC 8410 section 7: version 0 (v1), the 32-byte seed in a nested OCTET STRING, no [1] publicKey. */
    @Test
    void ed25519PrivateKeysArePkcs8VersionOneAsOpensslAndPythonRead() throws Exception {
      Cli.Result r = Cli.run("keygen", "--scheme", "ed25519", "--out", dir.toString(), "--name", "v1");
      assertThat(r.code()).as(r.toString()).isZero();
      String pem = Files.readString(dir.resolve("v1.key.pem"));
      byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
      org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(der);
      assertThat(info.getVersion().intValueExact()).isZero();
      assertThat(info.hasPublicKey()).isFalse();
      assertThat(info.getPrivateKeyAlgorithm().getAlgorithm())
          .isEqualTo(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519);
      assertThat(der).hasSize(48);
      SigningKey back = Keys.readPrivate(pem);
      assertThat(back.keyId()).isEqualTo(r.out().strip());
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void privateKeyIsMode0600AndKeyIdMatchesThePublicKey(Scheme scheme) throws Exception {
      Cli.Result r = keygen(scheme.wireName(), "svc-" + scheme.ordinal());

      assertThat(r.code()).as(r.toString()).isZero();
      Path priv = dir.resolve("svc-" + scheme.ordinal() + ".key.pem");
      Path pub = dir.resolve("svc-" + scheme.ordinal() + ".pub.pem");
      assertThat(priv).isRegularFile();
      assertThat(pub).isRegularFile();
      String keyId = r.out().strip();
      assertThat(keyId).matches("[0-9a-f]{64}");

      Keys.PublicKeyMaterial material = Keys.readPublic(Files.readString(pub));
      assertThat(material.keyId()).isEqualTo(keyId);
      assertThat(material.scheme()).isEqualTo(scheme);
      SigningKey signing = Keys.readPrivate(Files.readString(priv));
      assertThat(signing.keyId()).isEqualTo(keyId);
      assertThat(signing.scheme()).isEqualTo(scheme);
      assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");

      assumeTrue(Files.getFileStore(priv).supportsFileAttributeView("posix"), "POSIX file system");
      assertThat(Files.getPosixFilePermissions(priv)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void defaultNameIsVigilAndMissingDirectoriesAreCreated() {
      Path out = dir.resolve("a/b");

      Cli.Result r = Cli.run("keygen", "--scheme", "ed25519", "--out", out.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(out.resolve("vigil.key.pem")).isRegularFile();
      assertThat(out.resolve("vigil.pub.pem")).isRegularFile();
    }

    @Test
    void twoRunsMakeTwoDifferentKeys() {
      Cli.Result a = keygen("ed25519", "a");
      Cli.Result b = keygen("ed25519", "b");

      assertThat(a.out().strip()).isNotEqualTo(b.out().strip());
    }

    @Test
    void schemeNamesAreCaseInsensitive() {
      Cli.Result r = keygen("ED25519", "upper");

      assertThat(r.code()).as(r.toString()).isZero();
    }
  }

  @Nested
  class NeverOverwrites {
    @ParameterizedTest
    @ValueSource(strings = {"k.key.pem", "k.pub.pem"})
    void refusesWhenEitherFileExistsAndLeavesItUnchanged(String existing) throws Exception {
      Path file = Files.writeString(dir.resolve(existing), "precious\n");

      Cli.Result r = keygen("ed25519", "k");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(file.toString(), "already exists");
      assertThat(r.out()).isEmpty();
      assertThat(Files.readString(file)).isEqualTo("precious\n");
      try (var listing = Files.list(dir)) {
        assertThat(listing).containsExactly(file);
      }
    }

    @Test
    void secondRunWithTheSameNameFailsAndKeepsTheFirstKey() throws Exception {
      Cli.Result first = keygen("ecdsa-sha2-nistp256", "same");
      String before = Files.readString(dir.resolve("same.key.pem"));

      Cli.Result second = keygen("ecdsa-sha2-nistp256", "same");

      assertThat(first.code()).isZero();
      assertThat(second.code()).isEqualTo(2);
      assertThat(Files.readString(dir.resolve("same.key.pem"))).isEqualTo(before);
      assertThat(Keys.readPublic(Files.readString(dir.resolve("same.pub.pem"))).keyId())
          .isEqualTo(first.out().strip());
    }
  }

  @Nested
  class BadArguments {
    @Test
    void unknownSchemeExitsTwoListingTheAcceptedNames() {
      Cli.Result r = keygen("dsa", "k");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("dsa", "ed25519", "ecdsa-sha2-nistp256", "rsassa-pss-sha256");
      assertThat(dir).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", "", "has space", "semi;colon"})
    void badNameExitsTwo(String name) {
      Cli.Result r = keygen("ed25519", name);

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--name");
      assertThat(dir).isEmptyDirectory();
      assertThat(dir.getParent().resolve("escape.key.pem")).doesNotExist();
    }

    @Test
    void outThatIsAFileExitsTwoSayingSo() throws Exception {
      Path file = Files.writeString(dir.resolve("plain-file"), "x");

      Cli.Result r = Cli.run("keygen", "--scheme", "ed25519", "--out", file.toString());

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--out", file.toString(), "not a directory");
      assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void missingOutExitsTwo() {
      Cli.Result r = Cli.run("keygen", "--scheme", "ed25519");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--out");
    }
  }
}

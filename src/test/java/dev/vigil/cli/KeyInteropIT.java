package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys made by {@code vigil keygen} work with the signers services really use, and theirs with
 * Vigil: the Debian {@code openssl} binary and Python's {@code cryptography} each sign an
 * attestation's PAE with keygen's private key (Vigil verifies the envelope), and verify what Vigil
 * signed with keygen's public key. Each test is skipped, saying which tool is missing, where the
 * tool is not installed (.ci/run installs both).
 */
class KeyInteropIT {
  private static final String PYTHON_SIGN = """
      import sys
      from cryptography.hazmat.primitives import hashes, serialization
      from cryptography.hazmat.primitives.asymmetric import ec, ed25519
      key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), password=None)
      data = open(sys.argv[2], 'rb').read()
      sig = key.sign(data) if isinstance(key, ed25519.Ed25519PrivateKey) else key.sign(data, ec.ECDSA(hashes.SHA256()))
      open(sys.argv[3], 'wb').write(sig)
      """;
  private static final String PYTHON_VERIFY = """
      import sys
      from cryptography.hazmat.primitives import hashes, serialization
      from cryptography.hazmat.primitives.asymmetric import ec, ed25519
      key = serialization.load_pem_public_key(open(sys.argv[1], 'rb').read())
      data = open(sys.argv[2], 'rb').read()
      sig = open(sys.argv[3], 'rb').read()
      if isinstance(key, ed25519.Ed25519PublicKey):
          key.verify(sig, data)
      else:
          key.verify(sig, data, ec.ECDSA(hashes.SHA256()))
      print('verified')
      """;

  @TempDir Path dir;
  Path priv;
  Path pub;
  Path pae;

  /** keygen's key pair for {@code scheme}, and the PAE of a fresh statement in {@code pae}. */
  void keygen(String scheme) throws IOException {
    Cli.Result r = Cli.run("keygen", "--out", dir.toString(), "--name", "svc", "--scheme", scheme);
    assertThat(r.code()).as(r.toString()).isZero();
    priv = dir.resolve("svc.key.pem");
    pub = dir.resolve("svc.pub.pem");
    pae = Files.write(dir.resolve("pae.bin"), unsigned().pae());
  }

  private static Envelope unsigned() {
    return new Envelope(Envelope.IN_TOTO, Fixtures.statement(Fixtures.NONCE, Fixtures.ISSUED_AT).toJson(), List.of());
  }

  /** Vigil's verdict on the statement signed by {@code sig}, trusting keygen's public key. */
  private Verdict vigilVerifies(byte[] sig) throws Exception {
    TrustedKey trusted = TrustedKey.of(Keys.readPublic(Files.readString(pub)));
    Envelope env = new Envelope(Envelope.IN_TOTO, unsigned().payload(), List.of(new Envelope.Sig("", sig)));
    return new Verifier(TrustStore.of(trusted)).verify(env.toJson(),
        Expectation.of(Fixtures.SERVICE, Fixtures.ENVIRONMENT, Fixtures.ISSUED_AT).withNonce(Fixtures.NONCE)).verdict();
  }

  /** Vigil's signature over the PAE with keygen's private key, written to sig.bin. */
  private Path vigilSigns() throws Exception {
    SigningKey key = Keys.readPrivate(Files.readString(priv));
    Envelope signed = new Signer(key).sign(Envelope.IN_TOTO, unsigned().payload());
    return Files.write(dir.resolve("vigil.sig"), signed.signatures().get(0).sig());
  }

  @Nested
  class WithOpenssl {
    @BeforeEach
    void tool() {
      assumeTrue(works("openssl", "version"), "skipped: the openssl binary is not installed (apt-get install openssl)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa-sha2-nistp256"})
    void opensslReadsKeygensPrivateKeyAndItsSignatureVerifiesInVigil(String scheme) throws Exception {
      keygen(scheme);
      assertThat(run("openssl", "pkey", "-in", priv.toString(), "-noout")).isZero();
      Path sig = dir.resolve("openssl.sig");
      List<String> sign = scheme.equals("ed25519")
          ? List.of("openssl", "pkeyutl", "-sign", "-inkey", priv.toString(), "-rawin", "-in", pae.toString(), "-out", sig.toString())
          : List.of("openssl", "dgst", "-sha256", "-sign", priv.toString(), "-out", sig.toString(), pae.toString());
      assertThat(run(sign)).isZero();
      assertThat(vigilVerifies(Files.readAllBytes(sig))).isEqualTo(Verdict.COMPLIANT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa-sha2-nistp256"})
    void opensslVerifiesWhatVigilSignedWithKeygensKey(String scheme) throws Exception {
      keygen(scheme);
      Path sig = vigilSigns();
      List<String> verify = scheme.equals("ed25519")
          ? List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", pae.toString(),
              "-sigfile", sig.toString())
          : List.of("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature", sig.toString(), pae.toString());
      assertThat(run(verify)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "EC"})
    void vigilSignsWithAnOpensslKey(String algorithm) throws Exception {
      keygen(algorithm.equals("EC") ? "ecdsa-sha2-nistp256" : "ed25519");
      List<String> gen = new ArrayList<>(List.of("openssl", "genpkey", "-algorithm", algorithm, "-out", priv.toString()));
      if (algorithm.equals("EC")) {
        gen.addAll(List.of("-pkeyopt", "ec_paramgen_curve:P-256"));
      }
      Files.delete(priv);
      Files.delete(pub);
      assertThat(run(gen)).isZero();
      assertThat(run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString())).isZero();
      assertThat(vigilVerifies(Files.readAllBytes(vigilSigns()))).isEqualTo(Verdict.COMPLIANT);
    }
  }

  @Nested
  class WithPythonCryptography {
    @BeforeEach
    void tool() {
      assumeTrue(works("python3", "-c", "import cryptography"),
          "skipped: python3 with the cryptography module is not installed (apt-get install python3-cryptography)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa-sha2-nistp256"})
    void pythonSignsWithKeygensPrivateKeyAndVigilVerifies(String scheme) throws Exception {
      keygen(scheme);
      Path sig = dir.resolve("python.sig");
      assertThat(run("python3", "-c", PYTHON_SIGN, priv.toString(), pae.toString(), sig.toString())).isZero();
      assertThat(vigilVerifies(Files.readAllBytes(sig))).isEqualTo(Verdict.COMPLIANT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa-sha2-nistp256"})
    void pythonVerifiesWhatVigilSignedWithKeygensKey(String scheme) throws Exception {
      keygen(scheme);
      Path sig = vigilSigns();
      assertThat(run("python3", "-c", PYTHON_VERIFY, pub.toString(), pae.toString(), sig.toString())).isZero();
    }
  }

  private static boolean works(String... command) {
    try {
      return run(List.of(command)) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int run(String... command) throws IOException {
    return run(List.of(command));
  }

  /** Runs {@code command}, its output in the test log; the exit code (-1 when it did not end within 60 s). */
  private static int run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0) {
        System.err.println(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " failed:\n" + output);
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return -1;
    }
  }
}

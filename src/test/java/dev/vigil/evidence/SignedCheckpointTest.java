package dev.vigil.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SignedCheckpointTest {
  static final SigningKey MONITOR = Keys.generate(Scheme.ED25519, new SecureRandom());
  static final String ORIGIN = "vigil.dev/monitor-0";

  static Checkpoint checkpoint() {
    return Checkpoint.of("monitor-0", 42, MerkleTreeTest.tree(42).root());
  }

  static SignedCheckpoint.Result open(String note) {
    return SignedCheckpoint.open(note.getBytes(StandardCharsets.UTF_8), NoteKey.verifier(ORIGIN, MONITOR.publicKey()));
  }

  @Nested
  class KnownVector {
    /** golang.org/x/mod/sumdb/note note_test.go: the PeterNeumann key and its signature of the Neumann quote. */
    @Test
    void keyHashAndSignatureEqualGoSumdbNotesVector() throws Exception {
      byte[] skey = Base64.getDecoder().decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
      Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(Arrays.copyOfRange(skey, 1, 33), 0);
      StringWriter pem = new StringWriter();
      try (PemWriter w = new PemWriter(pem)) {
        w.writeObject(new PemObject("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(priv).getEncoded()));
      }
      NoteKey key = NoteKey.signer("PeterNeumann", Keys.readPrivate(pem.toString()));
      String text = "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";

      assertThat(key.verifierKey()).isEqualTo("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
      assertThat(Base64.getEncoder().encodeToString(key.sign(text.getBytes(StandardCharsets.UTF_8))))
          .isEqualTo("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=");
    }
  }

  @Nested
  class RoundTrip {
    @Test
    void theNoteIsTheBodyABlankLineAndOneSignatureLine() {
      String note = SignedCheckpoint.sign(checkpoint(), NoteKey.signer(ORIGIN, MONITOR));

      assertThat(note).startsWith(checkpoint().body() + "\n\u2014 vigil.dev/monitor-0 ").endsWith("\n");
      assertThat(checkpoint().body()).matches("vigil\\.dev/monitor-0\n42\n[A-Za-z0-9+/]{43}=\n");
      assertThat(open(note)).isEqualTo(new SignedCheckpoint.Verified(checkpoint()));
    }

    @Test
    void aCosignersLineIsAllowed() {
      SigningKey other = Keys.generate(Scheme.ED25519, new SecureRandom());
      String note = SignedCheckpoint.sign(checkpoint(), NoteKey.signer(ORIGIN, MONITOR));
      String cosigned = SignedCheckpoint.sign(checkpoint(), NoteKey.signer("witness.example", other));
      String both = note + cosigned.substring(cosigned.lastIndexOf("\u2014"));

      assertThat(open(both)).isInstanceOf(SignedCheckpoint.Verified.class);
    }
  }

  @Nested
  class Refusals {
    private SignedCheckpoint.Failure failure(String note) {
      SignedCheckpoint.Result r = open(note);
      assertThat(r).as(note).isInstanceOf(SignedCheckpoint.Rejected.class);
      return ((SignedCheckpoint.Rejected) r).failure();
    }

    @Test
    void reSignedWithAnotherKeyIsNotSignedByTheMonitor() {
      SigningKey other = Keys.generate(Scheme.ED25519, new SecureRandom());
      assertThat(failure(SignedCheckpoint.sign(checkpoint(), NoteKey.signer(ORIGIN, other))))
          .isEqualTo(SignedCheckpoint.Failure.NOT_SIGNED_BY_KEY);
    }

    @Test
    void aChangedRootOrSizeBreaksTheSignature() {
      String note = SignedCheckpoint.sign(checkpoint(), NoteKey.signer(ORIGIN, MONITOR));
      String otherRoot = Base64.getEncoder().encodeToString(MerkleTreeTest.tree(41).root());
      assertThat(failure(note.replace(Base64.getEncoder().encodeToString(checkpoint().root()), otherRoot)))
          .isEqualTo(SignedCheckpoint.Failure.BAD_SIGNATURE);
      assertThat(failure(note.replace("\n42\n", "\n43\n"))).isEqualTo(SignedCheckpoint.Failure.BAD_SIGNATURE);
    }

    @Test
    void extraOrMissingLinesAreMalformed() {
      String note = SignedCheckpoint.sign(checkpoint(), NoteKey.signer(ORIGIN, MONITOR));
      String body = checkpoint().body();
      assertThat(failure(note.replace(body, body + "extension line\n"))).isEqualTo(SignedCheckpoint.Failure.MALFORMED);
      assertThat(failure(note + "trailing line\n")).isEqualTo(SignedCheckpoint.Failure.MALFORMED);
      assertThat(failure(body)).isEqualTo(SignedCheckpoint.Failure.MALFORMED);
      assertThat(failure(note.replace("\n42\n", "\n042\n"))).isEqualTo(SignedCheckpoint.Failure.MALFORMED);
      assertThat(failure(note.replace("\n\n", "\n"))).isEqualTo(SignedCheckpoint.Failure.MALFORMED);
    }
  }
}

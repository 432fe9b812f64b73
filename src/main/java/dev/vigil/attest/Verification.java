package dev.vigil.attest;

import java.util.List;

/**
 * The result of verifying one attestation: the verdict, a one-line human detail, whether the
 * verdict rests on verified signatures, the keyids that verified, and the statement when one was
 * read after a valid signature (null otherwise). Immutable and thread-safe.
 */
public record Verification(
    Verdict verdict, String detail, boolean signed, List<String> verifiedKeyIds, Statement statement) {

  public Verification {
    verifiedKeyIds = List.copyOf(verifiedKeyIds);
  }

  static Verification failed(Verdict verdict, String detail) {
    return new Verification(verdict, detail, false, List.of(), null);
  }

  public boolean compliant() {
    return verdict == Verdict.COMPLIANT;
  }

  @Override
  public String toString() {
    return verdict.label() + ": " + detail;
  }
}

package dev.vigil.attest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Judges a legacy (unsigned) target from its two ACGS health documents, per attestation-v1
 * section 6: {@code /health} carries {@code constitutional_hash}, {@code /health/constitutional}
 * carries {@code constitutional_compliance}. A legacy result is never signed. The legacy checks keep
 * their own verdicts and precedence (a wrong hash is {@code hash_mismatch}, an unreadable document
 * {@code malformed_envelope}); where the policy requires signatures, only a result that would be
 * {@code compliant} becomes {@code unsigned}, an integrity failure. Pure and thread-safe.
 */
public final class LegacyHealth {
  private LegacyHealth() {}

  /**
   * @param health the body of {@code GET /health}
   * @param constitutional the body of {@code GET /health/constitutional}
   */
  public static Verification evaluate(byte[] health, byte[] constitutional, String expectedHash,
      boolean requireSignature) {
    String hash;
    String status;
    try {
      hash = field(health, "/health", "constitutional_hash");
      status = field(constitutional, "/health/constitutional", "constitutional_compliance");
    } catch (Malformed e) {
      return Verification.failed(Verdict.MALFORMED_ENVELOPE, e.getMessage());
    }
    Statement st = new Statement(null, null, null, null, hash, status, null, null, null, null, null);
    if (!expectedHash.equals(hash)) {
      return new Verification(Verdict.HASH_MISMATCH,
          "constitutional_hash is '" + Statement.clip(hash) + "', expected " + expectedHash, false, List.of(), st);
    }
    if (!Statement.ACTIVE.equals(status)) {
      return new Verification(Verdict.COMPLIANCE_INACTIVE,
          "constitutional_compliance is '" + Statement.clip(status) + "'", false, List.of(), st);
    }
    if (requireSignature) {
      return new Verification(Verdict.UNSIGNED,
          "legacy target reports hash " + hash + ", status active, without a signature; the policy requires one",
          false, List.of(), st);
    }
    return new Verification(Verdict.COMPLIANT, "legacy health: hash " + hash + ", status active (unsigned)",
        false, List.of(), st);
  }

  private static String field(byte[] body, String endpoint, String name) throws Malformed {
    JsonNode root = Json.read(body, endpoint);
    if (!root.isObject()) {
      throw new Malformed(endpoint + " is not a JSON object");
    }
    return Json.text(root, name, endpoint + " " + name);
  }
}

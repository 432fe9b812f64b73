package dev.vigil.attest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the bytes a service returned into a {@link Verification}, exactly as attestation-v1
 * defines: envelope, signatures (before the payload is parsed), statement, subject, nonce,
 * freshness, hash, compliance, in that order; the first failing step decides the verdict.
 *
 * <p>The keyid is only a hint: it changes which key is tried first, never the verdict. Hostile
 * input never escapes as an exception: every failure is a verdict. Pure (no I/O, no clock) and
 * thread-safe; one instance may serve many threads.
 */
public final class Verifier {
  /** Default cap on an envelope, the spec's {@code maxResponseBytes}. */
  public static final int DEFAULT_MAX_BYTES = 65_536;
  /** Default cap on signatures per envelope, so one message cannot buy unbounded CPU. */
  public static final int DEFAULT_MAX_SIGNATURES = 8;
  /**
   * Default cap on the signature checks one envelope may cost: its signatures times the keys
   * trusted for the target (8 signatures against 4 keys).
   */
  public static final int DEFAULT_MAX_SIGNATURE_CHECKS = 32;
  /** The largest check budget configuration may set. */
  public static final int MAX_SIGNATURE_CHECKS = 64;

  private final TrustStore trust;
  private final int maxBytes;
  private final int maxSignatures;
  private final int maxSignatureChecks;

  /**
   * @param maxSignatureChecks the most (signature, key) pairs one envelope may cost; an envelope
   *     whose signatures times the trusted keys exceed it is {@code malformed_envelope} before any
   *     is checked, so the verdict never depends on the order keys are tried in
   */
  public Verifier(TrustStore trust, int maxBytes, int maxSignatures, int maxSignatureChecks) {
    if (maxBytes < 1 || maxSignatures < 1 || maxSignatureChecks < 1) {
      throw new IllegalArgumentException("maxBytes, maxSignatures and maxSignatureChecks must be positive");
    }
    this.trust = trust;
    this.maxBytes = maxBytes;
    this.maxSignatures = maxSignatures;
    this.maxSignatureChecks = maxSignatureChecks;
  }

  public Verifier(TrustStore trust, int maxBytes, int maxSignatures) {
    this(trust, maxBytes, maxSignatures, DEFAULT_MAX_SIGNATURE_CHECKS);
  }

  public Verifier(TrustStore trust) {
    this(trust, DEFAULT_MAX_BYTES, DEFAULT_MAX_SIGNATURES);
  }

  public TrustStore trustStore() {
    return trust;
  }

  public Verification verify(byte[] body, Expectation expect) {
    try {
      return verifyUnchecked(body, expect);
    } catch (RuntimeException e) {
      return Verification.failed(Verdict.MALFORMED_ENVELOPE,
          "unexpected error while reading the attestation: " + e.getClass().getSimpleName());
    }
  }

  private Verification verifyUnchecked(byte[] body, Expectation expect) {
    if (body.length > maxBytes) {
      return Verification.failed(Verdict.RESPONSE_TOO_LARGE,
          "body has " + body.length + " bytes, more than the limit of " + maxBytes);
    }
    Envelope env;
    try {
      env = Envelope.parse(body, maxSignatures);
    } catch (Malformed e) {
      return Verification.failed(Verdict.MALFORMED_ENVELOPE, e.getMessage());
    }
    if (!Envelope.IN_TOTO.equals(env.payloadType())) {
      return Verification.failed(Verdict.MALFORMED_ENVELOPE,
          "payloadType is '" + Statement.clip(env.payloadType()) + "', expected " + Envelope.IN_TOTO);
    }
    String overBudget = overBudget(env.signatures().size(), trust.size(), maxSignatureChecks);
    if (overBudget != null) {
      return Verification.failed(Verdict.MALFORMED_ENVELOPE, overBudget);
    }
    SignatureCheck sigs = checkSignatures(env, expect);
    if (sigs.verdict != null) {
      return Verification.failed(sigs.verdict, sigs.detail);
    }
    List<String> keyIds = List.copyOf(sigs.valid);
    Statement st;
    try {
      st = Statement.parse(env.payload());
    } catch (Malformed e) {
      return new Verification(Verdict.MALFORMED_STATEMENT, e.getMessage(), true, keyIds, null);
    }
    Failure failure = checkStatement(st, expect);
    if (failure != null) {
      return new Verification(failure.verdict(), failure.detail(), true, keyIds, st);
    }
    return new Verification(Verdict.COMPLIANT, "signed by " + keyIds.size() + " trusted key"
        + (keyIds.size() == 1 ? "" : "s") + ", hash " + st.constitutionalHash() + ", status active",
        true, keyIds, st);
  }

  private record Failure(Verdict verdict, String detail) {}

  /** Why {@code signatures} checked against {@code keys} exceed {@code budget}, or null when they do not. */
  static String overBudget(int signatures, int keys, int budget) {
    long checks = (long) signatures * keys;
    if (checks <= budget) {
      return null;
    }
    return signatures + " signature(s) against " + keys + " trusted key(s) need " + checks
        + " signature checks, more than the limit of " + budget + " (maxSignatureChecks)";
  }

  /** The first failing statement check, or null when all pass. */
  private static Failure checkStatement(Statement st, Expectation e) {
    if (!e.service().equals(st.subjectName())) {
      return new Failure(Verdict.SUBJECT_MISMATCH, "subject[0].name is '" + Statement.clip(st.subjectName()) + "', expected " + e.service());
    }
    if (!e.service().equals(st.service())) {
      return new Failure(Verdict.SUBJECT_MISMATCH, "predicate.service is '" + Statement.clip(st.service()) + "', expected " + e.service());
    }
    if (!e.environment().equals(st.environment())) {
      return new Failure(Verdict.SUBJECT_MISMATCH, "predicate.environment is '" + Statement.clip(st.environment())
          + "', expected " + e.environment());
    }
    if (e.nonce() != null) {
      if (st.nonce() == null) {
        return new Failure(Verdict.NONCE_MISMATCH, "predicate.nonce is absent; the monitor sent one");
      }
      if (!e.nonce().equals(st.nonce())) {
        return new Failure(Verdict.NONCE_MISMATCH, "predicate.nonce does not echo the nonce sent (a replayed attestation)");
      }
    }
    Duration age = Duration.between(st.issuedAt(), e.now());
    if (age.abs().compareTo(e.maxClockSkew()) > 0) {
      return new Failure(Verdict.STALE, "predicate.issuedAt " + st.issuedAt() + " is " + describe(age)
          + " the monitor's clock " + e.now() + " (allowed skew " + e.maxClockSkew().toSeconds() + " s)");
    }
    if (e.lastSequence() != null && st.sequence() != null && st.sequence() < e.lastSequence()) {
      return new Failure(Verdict.STALE, "predicate.sequence " + st.sequence() + " went backwards from " + e.lastSequence());
    }
    if (!e.expectedHash().equals(st.constitutionalHash())) {
      return new Failure(Verdict.HASH_MISMATCH, "constitutionalHash is '" + Statement.clip(st.constitutionalHash())
          + "', expected " + e.expectedHash());
    }
    if (e.pinnedDigest() != null && !e.pinnedDigest().equals(st.subjectDigest())) {
      return new Failure(Verdict.HASH_MISMATCH, "subject[0].digest.sha256 is "
          + (st.subjectDigest() == null ? "absent" : "'" + Statement.clip(st.subjectDigest()) + "'")
          + ", expected the pinned " + e.pinnedDigest());
    }
    if (!Statement.ACTIVE.equals(st.complianceStatus())) {
      return new Failure(Verdict.COMPLIANCE_INACTIVE, "complianceStatus is '" + Statement.clip(st.complianceStatus()) + "'");
    }
    return null;
  }

  private static String describe(Duration age) {
    long s = age.abs().toSeconds();
    return s + " s " + (age.isNegative() ? "ahead of" : "behind");
  }

  private static final class SignatureCheck {
    final Set<String> valid = new LinkedHashSet<>();
    Verdict verdict;
    String detail;
  }

  private SignatureCheck checkSignatures(Envelope env, Expectation expect) {
    SignedMessage pae = SignedMessage.of(env);
    SignatureCheck out = new SignatureCheck();
    List<String> unusable = new ArrayList<>();
    List<String> knownFailed = new ArrayList<>();
    List<String> unknownHints = new ArrayList<>();
    for (Envelope.Sig sig : env.signatures()) {
      if (out.valid.size() >= expect.threshold()) {
        break;
      }
      boolean verified = false;
      for (TrustedKey key : trust.tryOrder(sig.keyid())) {
        if (out.valid.contains(key.keyId())) {
          continue;
        }
        if (key.verifies(pae, sig.sig())) {
          verified = true;
          String reason = key.unusableReason(expect.service(), expect.now());
          if (reason == null) {
            out.valid.add(key.keyId());
          } else {
            unusable.add(reason);
          }
          break;
        }
      }
      if (!verified) {
        if (trust.knows(sig.keyid())) {
          knownFailed.add(sig.keyid());
        } else {
          unknownHints.add(sig.keyid().isEmpty() ? "(empty)" : Statement.clip(sig.keyid()));
        }
      }
    }
    if (out.valid.size() >= expect.threshold()) {
      return out;
    }
    if (!out.valid.isEmpty()) {
      out.verdict = Verdict.SIGNATURE_INVALID;
      out.detail = out.valid.size() + " distinct trusted key(s) signed, threshold is " + expect.threshold();
    } else if (!unusable.isEmpty()) {
      out.verdict = Verdict.KEY_NOT_VALID;
      out.detail = String.join("; ", unusable);
    } else if (!knownFailed.isEmpty()) {
      out.verdict = Verdict.SIGNATURE_INVALID;
      out.detail = "signature by trusted key " + knownFailed.get(0).substring(0, Math.min(12, knownFailed.get(0).length()))
          + " does not verify";
    } else {
      out.verdict = Verdict.UNKNOWN_KEY;
      out.detail = "no trusted key verifies (" + trust.size() + " tried); keyid(s) " + unknownHints + " unknown";
    }
    return out;
  }
}

package dev.vigil.bench;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most CPU one hostile envelope can cost the verifier under given limits: a body filled to
 * {@code maxBytes}, {@code maxSignatures} well-formed signatures by untrusted keys (each passes the
 * cheap encoding checks, so every one is checked in full), against as many trusted keys as the
 * check budget allows. Times {@link Verifier#verify} on the calling thread; not thread-safe.
 */
public final class VerifyWorstCase {
  /** The median and worst wall time of one verification, with the shape measured. */
  public record Result(Scheme scheme, int bodyBytes, int signatures, int keys, double medianMs, double maxMs) {}

  private final int runs;

  public VerifyWorstCase(int runs) {
    this.runs = runs;
  }

  public Result run(Scheme scheme, int maxBytes, int maxSignatures, int maxSignatureChecks) {
    SecureRandom random = new SecureRandom();
    int keyCount = Math.max(1, maxSignatureChecks / maxSignatures);
    List<TrustedKey> trusted = new ArrayList<>();
    for (int i = 0; i < keyCount; i++) {
      trusted.add(Keys.generate(scheme, random).trusted());
    }
    List<SigningKey> strangers = new ArrayList<>();
    for (int i = 0; i < maxSignatures; i++) {
      strangers.add(Keys.generate(scheme, random));
    }
    byte[] body = fill(scheme, strangers, maxBytes, random);
    Verifier verifier = new Verifier(TrustStore.of(trusted), maxBytes, maxSignatures, maxSignatureChecks);
    Expectation expect = Expectation.of("integrity-service", "green", Instant.parse("2026-11-26T18:00:00Z"));
    double[] ms = new double[runs];
    for (int i = -1; i < runs; i++) {
      long start = System.nanoTime();
      Verification v = verifier.verify(body, expect);
      long took = System.nanoTime() - start;
      if (v.verdict() != Verdict.UNKNOWN_KEY) {
        throw new IllegalStateException("the worst-case envelope should be unknown_key, got " + v);
      }
      if (i >= 0) {
        ms[i] = took / 1e6;
      }
    }
    Arrays.sort(ms);
    return new Result(scheme, body.length, maxSignatures, keyCount, VerifyBenchmark.median(ms), ms[ms.length - 1]);
  }

  /** An envelope of at most {@code maxBytes}, its payload as large as that allows. */
  private static byte[] fill(Scheme scheme, List<SigningKey> signers, int maxBytes, SecureRandom random) {
    byte[] probe = envelope(signers, 0, random);
    int room = (maxBytes - probe.length) * 3 / 4 - 4;
    byte[] body = envelope(signers, Math.max(0, room), random);
    if (body.length > maxBytes) {
      throw new IllegalStateException(scheme + ": the envelope of " + body.length + " bytes exceeds " + maxBytes);
    }
    return body;
  }

  private static byte[] envelope(List<SigningKey> signers, int payloadBytes, SecureRandom random) {
    byte[] payload = new byte[payloadBytes];
    Arrays.fill(payload, (byte) ' ');
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(json, 0, payload, 0, Math.min(json.length, payload.length));
    return new Signer(signers, random).sign(Envelope.IN_TOTO, payload).toJson();
  }
}

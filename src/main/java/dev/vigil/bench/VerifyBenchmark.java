package dev.vigil.bench;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Measures the whole {@link Verifier#verify} per scheme on the calling thread, beside the bare
 * signature check of the same bytes, so the cost of parsing and checks shows as an overhead.
 * Rounds of fixed duration after a warm-up; reports the median and the spread. Not thread-safe:
 * run one at a time.
 */
public final class VerifyBenchmark {
  /** One scheme's figures, in operations per second. */
  public record Result(Scheme scheme, double[] fullOpsPerSec, double[] rawOpsPerSec, int envelopeBytes) {
    public double fullMedian() {
      return median(fullOpsPerSec);
    }

    public double rawMedian() {
      return median(rawOpsPerSec);
    }

    /** Share of time spent outside the signature math. */
    public double overhead() {
      return 1.0 - fullMedian() / rawMedian();
    }
  }

  private final Duration warmup;
  private final Duration round;
  private final int rounds;

  public VerifyBenchmark(Duration warmup, Duration round, int rounds) {
    this.warmup = warmup;
    this.round = round;
    this.rounds = rounds;
  }

  public Result run(Scheme scheme) {
    SigningKey key = Keys.generate(scheme, new SecureRandom());
    TrustedKey trusted = key.trusted();
    Verifier verifier = new Verifier(TrustStore.of(trusted));
    Instant now = Instant.parse("2026-11-26T18:00:00Z");
    String nonce = "bench-nonce-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    Statement st = new Statement("integrity-service", "1df2e1c25e8ed343b62e5ab72853452cb79b14b21f99a5bb5cf423e7b89d88ea",
        "integrity-service", "green", Expectation.DEFAULT_HASH, Statement.ACTIVE, nonce, now, "2.0.0-acge", 41L,
        new Statement.Slo(180.5, 1200.0, 0.001));
    Envelope env = new Signer(List.of(key), new SecureRandom()).sign(st);
    byte[] body = env.toJson();
    byte[] pae = env.pae();
    byte[] sig = env.signatures().get(0).sig();
    Expectation expect = Expectation.of("integrity-service", "green", now).withNonce(nonce);
    Verification check = verifier.verify(body, expect);
    if (!check.compliant()) {
      throw new IllegalStateException("benchmark fixture does not verify: " + check);
    }
    BooleanSupplier full = () -> verifier.verify(body, expect).compliant();
    BooleanSupplier raw = () -> trusted.verifies(pae, sig);
    measure(full, warmup);
    measure(raw, warmup);
    double[] fullOps = new double[rounds];
    double[] rawOps = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      fullOps[i] = measure(full, round);
      rawOps[i] = measure(raw, round);
    }
    return new Result(scheme, fullOps, rawOps, body.length);
  }

  private static double measure(BooleanSupplier op, Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    long start = System.nanoTime();
    long n = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        if (!op.getAsBoolean()) {
          throw new IllegalStateException("a benchmarked verification failed");
        }
      }
      n += 16;
      now = System.nanoTime();
    } while (now < deadline);
    return n * 1e9 / (now - start);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}

package dev.vigil.http;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.poll.PollResult;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Measures the heap {@link PollHistory} holds per target with full rings: used heap after full GCs
 * with N targets fed {@code CAPACITY + 10} polls each, minus before. A measurement run by hand (see
 * the notes of issue 16), not a test. Usage: {@code PollHistoryFootprint N [repeated|unique]}:
 * {@code repeated} details are equal from poll to poll (the usual case), {@code unique} differ
 * every poll (the worst case).
 */
public final class PollHistoryFootprint {
  private PollHistoryFootprint() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    boolean unique = args.length > 1 && args[1].equals("unique");
    TargetId[] ids = new TargetId[n];
    for (int i = 0; i < n; i++) {
      ids[i] = new TargetId("service-" + i, "green");
    }
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    long before = used();
    PollHistory h = new PollHistory();
    for (int p = 0; p < PollHistory.CAPACITY + 10; p++) {
      for (int i = 0; i < n; i++) {
        String detail = unique ? "constitutionalHash is 'deadbeefdeadbeef', expected cdd01ef066bc6cf2, poll " + p
            : "signed by 1 trusted key, hash cdd01ef066bc6cf2, status " + "active".substring(0);
        Verification v = new Verification(Verdict.COMPLIANT, String.valueOf(new StringBuilder(detail)), true,
            List.of("f464f1bff4f2eebb"), null);
        h.record(new PollResult(ids[i], v, true, Duration.ofMillis(3), t0.plusSeconds(p * 15L), 1), 1.0);
      }
    }
    long after = used();
    System.out.printf("%d targets, %s details: %.0f bytes per target%n", n, unique ? "unique" : "repeated",
        (after - before) / (double) n);
    System.out.println(h.of(ids[0]).polls() > 0 ? "" : "empty");
  }

  private static long used() {
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}

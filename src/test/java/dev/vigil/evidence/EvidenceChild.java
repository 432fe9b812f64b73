package dev.vigil.evidence;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The child JVM of {@link EvidenceCrashIT}: appends forever, printing {@code durable N} after each flush. */
public final class EvidenceChild {
  private EvidenceChild() {}

  public static void main(String[] args) throws Exception {
    try (EvidenceLog log = EvidenceLog.open(Path.of(args[0]), "monitor-0", Duration.ofMillis(20), Clock.systemUTC())) {
      long durable = log.durableSize();
      for (int i = 0; ; i++) {
        log.append(new Entry(0, Instant.now(), "monitor-0", "svc-" + (i % 7), "green", Entry.Kind.VERDICT,
            "compliant", "sample " + i, "nonce-" + i, null, null));
        log.flushIfDue();
        if (log.durableSize() != durable) {
          durable = log.durableSize();
          System.out.println("durable " + durable);
          System.out.flush();
        }
      }
    }
  }
}

package dev.vigil.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real JVM appending to the evidence log: after the restart nothing reported
 * durable is missing, every entry is in order, the tree continues and the log audits.
 */
class EvidenceCrashIT {
  @TempDir Path dir;

  @Test
  void nothingDurableIsLostAndTheTreeContinuesAfterKill9() throws Exception {
    Path logDir = dir.resolve("evidence");
    long durable = 0;
    try (ChildJvm child = new ChildJvm(dir.resolve("child.log"), EvidenceChild.class.getName(), logDir.toString())) {
      while (durable < 3000) {
        durable = Long.parseLong(child.next("durable ", Duration.ofSeconds(60)).substring(8));
      }
      child.process.destroyForcibly().waitFor();
    }
    SigningKey monitor = Keys.generate(Scheme.ED25519, new SecureRandom());
    String note;
    try (EvidenceLog log = EvidenceLog.open(logDir, "monitor-0", Duration.ZERO, Clock.systemUTC())) {
      long size = log.size();
      assertThat(size).isGreaterThanOrEqualTo(durable);
      for (byte[] bytes : log.read(Math.max(0, size - 100), size)) {
        assertThat(Entry.parse(bytes).index()).isLessThan(size);
      }
      log.append(new Entry(0, Instant.now(), "monitor-0", "svc", "green", Entry.Kind.BREACH_OPENED, null, null, null,
          null, "b-1"));
      assertThat(log.size()).isEqualTo(size + 1);
      assertThat(Rfc9162.verifyConsistency(size, size + 1, log.root(size), log.root(size + 1),
          log.consistencyProof(size, size + 1))).isTrue();
      note = SignedCheckpoint.sign(log.checkpoint(), NoteKey.signer("vigil.dev/monitor-0", monitor));
    }
    Audit.Report report = Audit.verify(logDir.resolve(EvidenceLog.FILE), note.getBytes(StandardCharsets.UTF_8),
        monitor.publicKey(), null, null);
    assertThat(report.failure()).isNull();
    assertThat(report.entries()).isGreaterThan(durable);
  }
}

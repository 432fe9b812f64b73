package dev.vigil.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.recordlog.RecordLog;
import dev.vigil.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention: a pruned prefix kept as leaf hashes leaves sizes, roots, proofs and the audit of what is kept intact. */
class EvidenceRetentionTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
  static final SigningKey MONITOR = Keys.generate(Scheme.ED25519, new SecureRandom());
  static final NoteKey NOTE_KEY = NoteKey.signer("vigil.dev/monitor-0", MONITOR);

  @TempDir Path dir;
  final List<byte[]> all = new ArrayList<>();
  final MerkleTree reference = new MerkleTree();

  static Entry entry(int i) {
    return new Entry(0, T0.plusSeconds(i), "monitor-0", "svc-" + (i % 3), "green", Entry.Kind.VERDICT, "compliant",
        "ok " + i, "nonce-" + i, null, null);
  }

  EvidenceLog open() throws IOException {
    return EvidenceLog.open(dir, "monitor-0", Duration.ZERO, new ManualClock(T0));
  }

  void append(EvidenceLog log, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      log.append(entry(i));
      byte[] b = entry(i).withIndex(i).toJson();
      all.add(b);
      reference.appendLeafHash(Rfc9162.leafHash(b));
    }
  }

  String signed(EvidenceLog log) throws IOException {
    return SignedCheckpoint.sign(log.checkpoint(), NOTE_KEY);
  }

  @Nested
  class Pruning {
    String older;

    @BeforeEach
    void logOf100PrunedTo40() throws IOException {
      try (EvidenceLog log = open()) {
        append(log, 0, 30);
        older = signed(log);
        append(log, 30, 100);
        log.prune(40);
        assertThat(log.first()).isEqualTo(40);
        assertThat(log.size()).isEqualTo(100);
      }
    }

    @Test
    void rootsProofsAndTheEntriesKeptAreUnchanged() throws IOException {
      try (EvidenceLog log = open()) {
        assertThat(log.first()).isEqualTo(40);
        assertThat(log.size()).isEqualTo(100);
        assertThat(log.root(100)).isEqualTo(reference.root(100));
        assertThat(log.root(30)).isEqualTo(reference.root(30));
        assertThat(log.read(40, 100)).containsExactlyElementsOf(all.subList(40, 100));
        assertThat(log.inclusionProof(50, 100)).containsExactlyElementsOf(reference.inclusionProof(50, 100));
        assertThat(log.consistencyProof(10, 100)).containsExactlyElementsOf(reference.consistencyProof(10, 100));
        assertThatThrownBy(() -> log.read(39, 41)).hasMessageContaining("entries below 40 were pruned");
        append(log, 100, 110);
        assertThat(log.checkpoint().root()).isEqualTo(reference.root(110));
      }
      try (EvidenceLog log = open()) {
        assertThat(log.size()).isEqualTo(110);
        assertThat(log.read(100, 110)).containsExactlyElementsOf(all.subList(100, 110));
      }
    }

    @Test
    void theAuditOfWhatIsKeptPassesAndConsistencyFromABeforeCheckpointToo() throws IOException {
      String note;
      try (EvidenceLog log = open()) {
        note = signed(log);
      }
      Audit.Report r = Audit.verify(dir.resolve(EvidenceLog.FILE), note.getBytes(StandardCharsets.UTF_8),
          MONITOR.publicKey(), older.getBytes(StandardCharsets.UTF_8), null);
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.checked()).anyMatch(l -> l.startsWith("pruned prefix: entries 0..39"))
          .anyMatch(l -> l.startsWith("entries: 60 read, indices 40..99"))
          .anyMatch(l -> l.startsWith("consistency proof 30 -> 100"));
    }

    @Test
    void aChangedPrunedHashBreaksTheRoot() throws IOException {
      String note;
      try (EvidenceLog log = open()) {
        note = signed(log);
      }
      Path file = dir.resolve(PrunedPrefix.FILE);
      Files.delete(file);
      try (RecordLog forged = RecordLog.open(file, PrunedPrefix.MAX_RECORD, (o, p) -> { })) {
        byte[][] hashes = new byte[40][];
        for (int i = 0; i < 40; i++) {
          hashes[i] = reference.leafHash(i);
        }
        hashes[7] = Rfc9162.leafHash("forged".getBytes(StandardCharsets.UTF_8));
        PrunedPrefix.append(forged, 0, hashes);
      }
      Audit.Report r = Audit.verify(dir.resolve(EvidenceLog.FILE), note.getBytes(StandardCharsets.UTF_8),
          MONITOR.publicKey(), null, null);
      assertThat(r.ok()).isFalse();
      assertThat(r.failure().what()).startsWith("root: the first 100 entries hash to");
    }

    @Test
    void aDamagedPrunedFileIsNamed() throws IOException {
      Path file = dir.resolve(PrunedPrefix.FILE);
      byte[] b = Files.readAllBytes(file);
      b[b.length - 3] ^= 1;
      Files.write(file, b);
      assertThatThrownBy(() -> PrunedPrefix.read(dir, h -> { })).hasMessageContaining("corrupt record");
    }
  }

  @Test
  void aPruneInterruptedBetweenItsStepsIsFinishedByTheNextOpen() throws IOException {
    Path before = dir.resolveSibling(dir.getFileName() + "-before.log");
    try (EvidenceLog log = open()) {
      append(log, 0, 100);
      log.flush();
      Files.copy(dir.resolve(EvidenceLog.FILE), before, StandardCopyOption.REPLACE_EXISTING);
      log.prune(40);
    }
    // the hashes were written, the log not yet rewritten
    Files.copy(before, dir.resolve(EvidenceLog.FILE), StandardCopyOption.REPLACE_EXISTING);
    String note;
    try (EvidenceLog log = open()) {
      assertThat(log.first()).isEqualTo(40);
      assertThat(log.size()).isEqualTo(100);
      assertThat(log.read(40, 100)).containsExactlyElementsOf(all.subList(40, 100));
      append(log, 100, 105);
      note = signed(log);
    }
    Audit.Report r = Audit.verify(dir.resolve(EvidenceLog.FILE), note.getBytes(StandardCharsets.UTF_8),
        MONITOR.publicKey(), null, null);
    assertThat(r.ok()).as(r.toString()).isTrue();
  }

  @Test
  void theCutFollowsAgeSizeAndStep() throws IOException {
    try (EvidenceLog log = open()) {
      append(log, 0, 100);
      log.flush();
      long perEntry = log.bytes() / 100;
      assertThat(log.retentionCut(T0.plusSeconds(25), Long.MAX_VALUE, 1000)).isEqualTo(25);
      assertThat(log.retentionCut(T0, Long.MAX_VALUE, 1000)).isZero();
      assertThat(log.retentionCut(T0, perEntry * 50, 1000)).isBetween(54L, 56L);
      assertThat(log.retentionCut(T0.plusSeconds(25), Long.MAX_VALUE, 10)).isEqualTo(10);
      log.prune(30);
      assertThat(log.retentionCut(T0.plusSeconds(25), Long.MAX_VALUE, 1000)).isEqualTo(30);
      assertThat(log.bytes()).isEqualTo(perEntry * 70 + (log.bytes() - perEntry * 70));
      assertThat(log.bytes()).isLessThan(perEntry * 71);
    }
  }
}

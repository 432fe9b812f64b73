package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the covered entries from a real log directory and checking them against a checkpoint. */
class EvidenceSourceTest {
  @TempDir Path dir;
  byte[] note;

  @BeforeEach
  void writeLog() throws IOException {
    note = EvidenceFixture.reference().write(dir);
  }

  @Nested
  class Accepts {
    @Test
    void aCheckpointVerifiedWithTheMonitorKey() throws Exception {
      EvidenceSource.Loaded l = EvidenceSource.fromDir(dir, note, EvidenceFixture.MONITOR_KEY.publicKey());
      assertThat(l.entries()).hasSize(14);
      Report.CheckpointInfo cp = l.checkpoint();
      assertThat(cp.signature()).isEqualTo(Report.Signature.VERIFIED);
      assertThat(cp.size()).isEqualTo(14);
      assertThat(cp.origin()).isEqualTo("vigil.dev/monitor-0");
      assertThat(cp.keyId()).isEqualTo(EvidenceFixture.MONITOR_KEY.publicKey().keyId());
      assertThat(cp.signatureLines()).singleElement().asString().startsWith("\u2014 vigil.dev/monitor-0 ");
      String body = new String(note, StandardCharsets.UTF_8);
      assertThat(body).contains("\n" + cp.root() + "\n");
    }

    @Test
    void withoutAKeyTheSignatureIsNotChecked() throws Exception {
      assertThat(EvidenceSource.fromDir(dir, note, null).checkpoint().signature())
          .isEqualTo(Report.Signature.NOT_CHECKED);
    }

    @Test
    void withoutACheckpointTheWholeLogIsUsedAndNothingSignsIt() throws Exception {
      Report.CheckpointInfo cp = EvidenceSource.fromDir(dir, null, null).checkpoint();
      assertThat(cp.signature()).isEqualTo(Report.Signature.UNSIGNED);
      assertThat(cp.size()).isEqualTo(14);
      assertThat(cp.signatureLines()).isEmpty();
    }

    @Test
    void onlyTheEntriesAnOlderCheckpointCovers() throws Exception {
      byte[] older;
      try (EvidenceLog log = EvidenceLog.open(dir, EvidenceFixture.MONITOR, Duration.ZERO, Clock.systemUTC())) {
        older = EvidenceFixture.sign(Checkpoint.of(EvidenceFixture.MONITOR, 5, log.root(5)), EvidenceFixture.MONITOR_KEY);
      }
      EvidenceSource.Loaded l = EvidenceSource.fromDir(dir, older, EvidenceFixture.MONITOR_KEY.publicKey());
      assertThat(l.entries()).hasSize(5);
      assertThat(l.checkpoint().entriesAfter()).isEqualTo(9);
    }
  }

  @Nested
  class Refuses {
    @Test
    void aCheckpointSignedWithAnotherKey() {
      Keys.PublicKeyMaterial other = Keys.generate(Scheme.ED25519, EvidenceFixture.RANDOM).publicKey();
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, note, other)).isInstanceOf(EvidenceSource.Untrusted.class)
          .hasMessageContaining("checkpoint: not signed by key");
    }

    @Test
    void aCheckpointOfAnotherLog(@TempDir Path other) throws IOException {
      byte[] foreign = new EvidenceFixture().verdict("x", "y", "2026-11-26T00:00:00Z", "compliant", null, null, null, null)
          .write(other);
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, foreign, null)).isInstanceOf(EvidenceSource.Untrusted.class)
          .hasMessageContaining("the first 1 entries hash to");
    }

    @Test
    void aCheckpointLargerThanTheLog() throws IOException {
      byte[] big = EvidenceFixture.sign(Checkpoint.of(EvidenceFixture.MONITOR, 99, new byte[32]), EvidenceFixture.MONITOR_KEY);
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, big, null)).isInstanceOf(EvidenceSource.Untrusted.class)
          .hasMessage("the log has 14 entries, the checkpoint covers 99");
    }

    @Test
    void aMalformedCheckpoint() {
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, "garbage".getBytes(StandardCharsets.UTF_8), null))
          .isInstanceOf(EvidenceSource.Untrusted.class).hasMessageContaining("not a signed note");
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, "a\nb\n\n\u2014 x y\n".getBytes(StandardCharsets.UTF_8), null))
          .isInstanceOf(EvidenceSource.Untrusted.class).hasMessageContaining("the body is not three lines");
    }

    @Test
    void twoEntriesSwapped() throws IOException {
      rewrite(records -> {
        byte[] first = records.get(1);
        records.set(1, records.get(2));
        records.set(2, first);
      });
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, note, null)).isInstanceOf(EvidenceSource.Untrusted.class)
          .hasMessageStartingWith("entry 1: holds index 2");
    }

    @Test
    void anEditedEntryInCanonicalForm() throws IOException {
      rewrite(records -> records.set(3, new String(records.get(3), StandardCharsets.UTF_8)
          .replace("\"hash_mismatch\"", "\"compliant\"").getBytes(StandardCharsets.UTF_8)));
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, note, null)).isInstanceOf(EvidenceSource.Untrusted.class)
          .hasMessageContaining("the checkpoint signs");
    }

    @Test
    void aCorruptRecord() throws IOException {
      Path file = dir.resolve(EvidenceLog.FILE);
      byte[] bytes = Files.readAllBytes(file);
      bytes[200] ^= 0x40;
      Files.write(file, bytes);
      assertThatThrownBy(() -> EvidenceSource.fromDir(dir, note, null)).isInstanceOf(EvidenceSource.Untrusted.class)
          .hasMessageContaining("corrupt record");
    }

    @Test
    void aDirectoryWithoutALog(@TempDir Path empty) {
      assertThatThrownBy(() -> EvidenceSource.fromDir(empty, null, null)).isInstanceOf(IOException.class)
          .hasMessageContaining("no evidence.log");
    }
  }

  /** Replaces the records with a valid CRC32C: a careful forger, not a disk error. */
  void rewrite(java.util.function.Consumer<List<byte[]>> change) throws IOException {
    List<byte[]> records = new ArrayList<>();
    try (RecordLog log = RecordLog.open(dir.resolve(EvidenceLog.FILE), EvidenceLog.MAX_ENTRY_BYTES,
        (off, p) -> records.add(p))) {
      change.accept(records);
      log.rewrite(records);
    }
  }
}

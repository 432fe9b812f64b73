package dev.vigil.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceLogTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");

  @TempDir Path dir;


  static Entry entry(int i) {
    return new Entry(0, T0.plusSeconds(i), "monitor-0", "svc-" + (i % 3), "green", Entry.Kind.VERDICT, "compliant",
        "ok " + i, "nonce-" + i, null, null);
  }

  @Nested
  class Batching {
    @Test
    void appendsBecomeDurableTogetherOnceTheOldestIsFlushIntervalOld() throws IOException {
      ManualClock clock = new ManualClock(T0);
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ofSeconds(1), clock)) {
        assertThat(log.append(entry(0))).isZero();
        clock.set(T0.plusMillis(500));
        assertThat(log.append(entry(1))).isEqualTo(1);
        log.flushIfDue();
        assertThat(log.durableSize()).isZero();
        assertThat(Files.size(dir.resolve(EvidenceLog.FILE))).isZero();

        clock.set(T0.plusMillis(1000));
        log.flushIfDue();
        assertThat(log.durableSize()).isEqualTo(2);
        assertThat(Files.size(dir.resolve(EvidenceLog.FILE))).isPositive();
      }
    }

    @Test
    void eightMebibytesBufferedAreFlushedBeforeTheInterval() throws IOException {
      String detail = "x".repeat(1 << 20);
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ofHours(1), new ManualClock(T0))) {
        for (int i = 0; i < 7; i++) {
          log.append(new Entry(0, T0, "monitor-0", "s", "e", Entry.Kind.VERDICT, "compliant", detail, null, null, null));
        }
        assertThat(log.durableSize()).isZero();
        log.append(new Entry(0, T0, "monitor-0", "s", "e", Entry.Kind.VERDICT, "compliant", detail, null, null, null));
        assertThat(log.durableSize()).isEqualTo(8);
      }
    }

    @Test
    void aCheckpointCoversOnlyDurableEntriesBecauseItFlushesFirst() throws IOException {
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ofHours(1), new ManualClock(T0))) {
        log.append(entry(0));
        log.append(entry(1));
        Checkpoint cp = log.checkpoint();
        assertThat(cp.size()).isEqualTo(2);
        assertThat(log.durableSize()).isEqualTo(2);
        assertThat(cp.origin()).isEqualTo("vigil.dev/monitor-0");
      }
    }
  }

  @Nested
  class Reopening {
    @Test
    void restoresTheTreeReadsRangesAndProves() throws Exception {
      byte[] root;
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ZERO, new ManualClock(T0))) {
        for (int i = 0; i < 100; i++) {
          log.append(entry(i));
        }
        root = log.root(100);
      }
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ofHours(1), new ManualClock(T0))) {
        assertThat(log.size()).isEqualTo(100);
        assertThat(log.root(100)).isEqualTo(root);
        List<byte[]> range = log.read(40, 45);
        assertThat(range).hasSize(5);
        assertThat(Entry.parse(range.get(2))).isEqualTo(entry(42).withIndex(42));
        assertThat(Rfc9162.verifyInclusion(42, 100, Rfc9162.leafHash(range.get(2)), log.inclusionProof(42, 100), root))
            .isTrue();
        log.append(entry(100));
        assertThat(log.read(99, 101)).hasSize(2);
        assertThat(Rfc9162.verifyConsistency(100, 101, root, log.root(101), log.consistencyProof(100, 101))).isTrue();
      }
    }

    @Test
    void aTornTailIsCutAndTheTreeContinues() throws Exception {
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ZERO, new ManualClock(T0))) {
        for (int i = 0; i < 10; i++) {
          log.append(entry(i));
        }
      }
      Files.write(dir.resolve(EvidenceLog.FILE), new byte[] {0, 0, 1, 0, 1, 2, 3, 4, '{'}, StandardOpenOption.APPEND);
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ZERO, new ManualClock(T0))) {
        assertThat(log.size()).isEqualTo(10);
        assertThat(log.recovery().tailBytes()).isEqualTo(9);
        log.append(entry(10));
        MerkleTree expected = new MerkleTree();
        for (int i = 0; i <= 10; i++) {
          expected.appendLeafHash(Rfc9162.leafHash(entry(i).withIndex(i).toJson()));
        }
        assertThat(log.root(11)).isEqualTo(expected.root());
      }
    }

    @Test
    void anEntryMissingInTheMiddleRefusesToOpen() throws Exception {
      try (EvidenceLog log = EvidenceLog.open(dir, "monitor-0", Duration.ZERO, new ManualClock(T0))) {
        for (int i = 0; i < 5; i++) {
          log.append(entry(i));
        }
      }
      Path file = dir.resolve(EvidenceLog.FILE);
      byte[] bytes = Files.readAllBytes(file);
      int second = 8 + java.nio.ByteBuffer.wrap(bytes).getInt(0);
      bytes[second + 20] ^= 1;
      Files.write(file, bytes);

      assertThatThrownBy(() -> EvidenceLog.open(dir, "monitor-0", Duration.ZERO, new ManualClock(T0)))
          .isInstanceOf(IOException.class).hasMessageContaining("is not entry 1").hasMessageContaining("corrupt-1");
    }
  }
}

package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.monitor.MonitorMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The de-duplication store survives restarts, torn tails and flipped bits, and stays bounded. */
class DedupStoreTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
  static final Duration WEEK = Duration.ofDays(7);
  @TempDir Path dir;

  static BreachEvent event(int n) {
    return new BreachEvent("e-" + n, "b-" + n, "svc-" + n, "green", "hash_mismatch", "critical", T0);
  }

  @Test
  void statesSurviveARestart() throws IOException {
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.find("e-1", "b-1")).isEmpty();
      s.moved(event(1), T0, T0.plusSeconds(1));
      s.moved(event(2), T0, T0.plusSeconds(1));
      s.finished(event(2), "succeeded", T0, T0.plusSeconds(3));
    }
    try (DedupStore s = DedupStore.open(dir, WEEK, T0.plusSeconds(10))) {
      assertThat(s.find("e-1", "x").orElseThrow().state()).isEqualTo(DedupStore.State.MOVED);
      DedupStore.Entry two = s.find("e-2", "b-2").orElseThrow();
      assertThat(two.state()).isEqualTo(DedupStore.State.FINISHED);
      assertThat(two.status()).isEqualTo("succeeded");
      assertThat(two.startedAt()).isEqualTo(T0);
      // another event of the same breach is found by breachId
      assertThat(s.find("e-other", "b-2").orElseThrow().state()).isEqualTo(DedupStore.State.FINISHED);
      assertThat(s.truncatedBytes()).isZero();
    }
  }

  @Test
  void tornTailIsCutAndTheRestKept() throws IOException {
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      s.moved(event(1), T0, T0);
      s.moved(event(2), T0, T0);
    }
    Path file = dir.resolve(DedupStore.FILE);
    long whole = Files.size(file);
    // a crash mid-append: a length header promising more than was written
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.APPEND)) {
      c.write(ByteBuffer.allocate(11).putInt(500).putInt(7).put(new byte[] {'{', '"', 'e'}).flip());
    }
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.truncatedBytes()).isEqualTo(11);
      assertThat(s.entries()).hasSize(2);
      s.finished(event(3), "skipped", T0, T0);
    }
    assertThat(Files.size(file)).isGreaterThan(whole);
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.entries()).hasSize(3);
      assertThat(s.truncatedBytes()).isZero();
    }
  }

  @Test
  void aRecordFailingItsChecksumEndsRecovery() throws IOException {
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      s.moved(event(1), T0, T0);
      s.moved(event(2), T0, T0);
    }
    Path file = dir.resolve(DedupStore.FILE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x20; // a bit flipped inside the last record's payload
    Files.write(file, bytes);
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.entries()).extracting(DedupStore.Entry::eventId).containsExactly("e-1");
      assertThat(s.truncatedBytes()).isPositive();
    }
  }

  @Test
  void oldEntriesAreCompactedAwayByAge() throws IOException {
    try (DedupStore s = DedupStore.open(dir, Duration.ofHours(1), T0)) {
      s.finished(event(1), "succeeded", T0, T0);
      s.finished(event(2), "succeeded", T0, T0.plus(Duration.ofMinutes(50)));
    }
    long before = Files.size(dir.resolve(DedupStore.FILE));
    try (DedupStore s = DedupStore.open(dir, Duration.ofHours(1), T0.plus(Duration.ofMinutes(70)))) {
      assertThat(s.entries()).extracting(DedupStore.Entry::eventId).containsExactly("e-2");
      assertThat(s.find("e-1", "b-1")).isEmpty();
    }
    assertThat(Files.size(dir.resolve(DedupStore.FILE))).isLessThan(before);
    assertThat(dir.resolve(DedupStore.FILE + ".tmp")).doesNotExist();
  }

  @Test
  void manyUpdatesOfFewEventsStayBounded() throws IOException {
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      for (int i = 0; i < 1300; i++) {
        s.moved(event(i % 10), T0, T0);
        if (i % 400 == 0) {
          s.compact(T0);
        }
      }
      s.compact(T0);
      assertThat(s.entries()).hasSize(10);
    }
    // 10 live entries, far fewer than 1300 records
    assertThat(Files.size(dir.resolve(DedupStore.FILE))).isLessThan(1300L * 100 / 4);
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.entries()).hasSize(10);
    }
  }

  @Test
  void aFlippedBitMidFileLosesOnlyThatRecordAndKeepsEveryLaterDecision() throws IOException {
    Path file = dir.resolve(DedupStore.FILE);
    long second;
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      s.finished(event(0), "succeeded", T0, T0);
      second = Files.size(file);
      for (int i = 1; i < 11; i++) {
        s.finished(event(i), "succeeded", T0, T0);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) second + 12] ^= 0x02; // inside the second record's JSON
    Files.write(file, bytes);
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.entries()).hasSize(10);
      assertThat(s.find("e-1", "b-1")).isEmpty();
      for (int i : new int[] {0, 2, 5, 10}) {
        assertThat(s.find("e-" + i, "b-" + i).orElseThrow().state()).isEqualTo(DedupStore.State.FINISHED);
      }
      assertThat(s.corruptRecords()).isEqualTo(1);
      assertThat(s.truncatedBytes()).isZero();
      try (MonitorMetrics m = new MonitorMetrics()) {
        new RollbackMetrics(m.registry()).storeCorruptRecords(s);
        assertThat(m.scrape()).contains("constitutional_rollback_store_corrupt_records_total 1.0");
      }
      assertThat(dir.resolve(DedupStore.FILE + ".corrupt-1")).hasBinaryContent(bytes);
    }
    try (DedupStore s = DedupStore.open(dir, WEEK, T0)) {
      assertThat(s.entries()).hasSize(10);
      assertThat(s.corruptRecords()).as("the store was rewritten without it").isZero();
    }
  }
}

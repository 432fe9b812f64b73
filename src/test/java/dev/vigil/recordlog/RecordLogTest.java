package dev.vigil.recordlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record log keeps every intact record through crashes, bit flips, full disks and readers. */
class RecordLogTest {
  static final int MAX = 1024;
  @TempDir Path dir;

  Path file() {
    return dir.resolve("test.log");
  }

  static byte[] rec(int n) {
    return ("record-" + n).getBytes(StandardCharsets.UTF_8);
  }

  /** Opens the log and returns it with what it replayed. */
  record Opened(RecordLog log, List<String> records) {}

  Opened open() throws IOException {
    return open(RecordLog.Io.SYSTEM);
  }

  Opened open(RecordLog.Io io) throws IOException {
    List<String> got = new ArrayList<>();
    RecordLog log = RecordLog.open(file(), MAX, (offset, p) -> got.add(new String(p, StandardCharsets.UTF_8)), io);
    return new Opened(log, got);
  }

  List<String> reopen() throws IOException {
    Opened o = open();
    o.log().close();
    return o.records();
  }

  static List<String> names(int... ns) {
    return IntStream.of(ns).mapToObj(n -> "record-" + n).toList();
  }

  /** Writes records 0..n-1 and returns each record's offset. */
  long[] write(int n) throws IOException {
    long[] offsets = new long[n];
    try (RecordLog log = open().log()) {
      for (int i = 0; i < n; i++) {
        offsets[i] = log.size();
        log.append(rec(i));
      }
    }
    return offsets;
  }

  void flip(long at) throws IOException {
    byte[] b = Files.readAllBytes(file());
    b[(int) at] ^= 0x10;
    Files.write(file(), b);
  }

  @Nested
  class Framing {
    @Test
    void aRecordIsLengthCrc32cPayloadBigEndian() throws IOException {
      write(1);
      byte[] p = rec(0);
      CRC32C crc = new CRC32C();
      crc.update(p);
      ByteBuffer expected = ByteBuffer.allocate(8 + p.length).putInt(p.length).putInt((int) crc.getValue()).put(p);
      assertThat(Files.readAllBytes(file())).isEqualTo(expected.array());
    }

    @Test
    void recordsComeBackInOrderAfterReopening() throws IOException {
      try (RecordLog log = open().log()) {
        log.append(rec(0));
        log.append(List.of(rec(1), rec(2)));
      }
      Opened o = open();
      try (RecordLog log = o.log()) {
        assertThat(o.records()).isEqualTo(names(0, 1, 2));
        assertThat(log.recovery()).isEqualTo(new RecordLog.Recovery(3, 0, List.of(), 0, java.util.Optional.empty()));
        assertThat(log.size()).isEqualTo(Files.size(file()));
      }
    }

    @Test
    void aRecordLargerThanTheLimitOrEmptyIsRefusedAndNothingIsWritten() throws IOException {
      try (RecordLog log = open().log()) {
        log.append(rec(0));
        assertThatThrownBy(() -> log.append(List.of(rec(1), new byte[MAX + 1])))
            .isInstanceOf(IOException.class).hasMessageContaining(file().toString()).hasMessageContaining("1025 bytes");
        assertThatThrownBy(() -> log.append(new byte[0])).isInstanceOf(IOException.class);
      }
      assertThat(reopen()).isEqualTo(names(0));
    }

    @Test
    void anEmptyFileIsAnEmptyLog() throws IOException {
      Files.createFile(file());
      Opened o = open();
      try (RecordLog log = o.log()) {
        assertThat(o.records()).isEmpty();
        assertThat(log.recovery().corruptRecords()).isZero();
        assertThat(log.recovery().tailBytes()).isZero();
        log.append(rec(0));
      }
      assertThat(reopen()).isEqualTo(names(0));
    }

    @Test
    void aFileThatIsADirectoryIsRefusedNamingIt() throws IOException {
      Files.createDirectory(file());
      assertThatThrownBy(RecordLogTest.this::open).isInstanceOf(IOException.class)
          .hasMessage(file() + " is a directory, not a record log");
      assertThatThrownBy(() -> RecordLog.read(file(), MAX, (o, p) -> {})).isInstanceOf(IOException.class)
          .hasMessageContaining(file().toString());
    }

    @Test
    void aClosedLogRefusesAppends() throws IOException {
      RecordLog log = open().log();
      log.close();
      assertThatThrownBy(() -> log.append(rec(0))).hasMessageContaining("closed");
    }
  }

  @Nested
  class TornTail {
    @Test
    void aRecordCutShortIsTruncatedAndEverythingBeforeItKept() throws IOException {
      write(3);
      long whole = Files.size(file());
      try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.allocate(12).putInt(200).putInt(0x1234).putInt(7).flip());
      }
      Opened o = open();
      try (RecordLog log = o.log()) {
        assertThat(o.records()).isEqualTo(names(0, 1, 2));
        assertThat(log.recovery().tailBytes()).isEqualTo(12);
        assertThat(log.recovery().corruptRecords()).isZero();
        assertThat(log.recovery().keptAside()).isEmpty();
        assertThat(Files.size(file())).isEqualTo(whole);
        log.append(rec(3));
      }
      assertThat(reopen()).isEqualTo(names(0, 1, 2, 3));
    }

    @Test
    void halfAHeaderIsATornTail() throws IOException {
      write(2);
      Files.write(file(), new byte[] {0, 0, 0}, StandardOpenOption.APPEND);
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 1));
      assertThat(o.log().recovery().tailBytes()).isEqualTo(3);
      assertThat(o.log().recovery().corruptRecords()).isZero();
    }

    @Test
    void zerosAfterTheLastRecordAreATornTailNotCorruption() throws IOException {
      write(2);
      Files.write(file(), new byte[4096], StandardOpenOption.APPEND);
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 1));
      assertThat(o.log().recovery().corruptRecords()).isZero();
      assertThat(o.log().recovery().tailBytes()).isEqualTo(4096);
    }

    @Test
    void aCompleteLastRecordFailingItsChecksumIsCutCountedAndKeptAside() throws IOException {
      long[] at = write(3);
      flip(Files.size(file()) - 2);
      byte[] damaged = Files.readAllBytes(file());
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 1));
      RecordLog.Recovery r = o.log().recovery();
      assertThat(r.corruptRecords()).isEqualTo(1);
      assertThat(r.corruptOffsets()).containsExactly(at[2]);
      assertThat(r.tailBytes()).isEqualTo(damaged.length - at[2]);
      assertThat(Files.readAllBytes(r.keptAside().orElseThrow())).isEqualTo(damaged);
      assertThat(Files.size(file())).isEqualTo(at[2]);
    }
  }

  @Nested
  class CorruptMiddle {
    @Test
    void aFlippedPayloadByteLosesOnlyThatRecord() throws IOException {
      long[] at = write(12);
      flip(at[2] + 8 + 3);
      byte[] damaged = Files.readAllBytes(file());
      Opened o = open();
      try (RecordLog log = o.log()) {
        assertThat(o.records()).isEqualTo(names(0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        RecordLog.Recovery r = log.recovery();
        assertThat(r.corruptRecords()).isEqualTo(1);
        assertThat(r.corruptOffsets()).containsExactly(at[2]);
        assertThat(r.tailBytes()).isZero();
        assertThat(r.keptAside()).hasValue(dir.resolve("test.log.corrupt-1"));
        assertThat(Files.readAllBytes(r.keptAside().orElseThrow())).isEqualTo(damaged);
        log.append(rec(12));
      }
      Opened again = open();
      again.log().close();
      assertThat(again.records()).isEqualTo(names(0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
      assertThat(again.log().recovery().corruptRecords()).as("the log was rewritten without it").isZero();
      assertThat(dir.resolve("test.log.tmp")).doesNotExist();
    }

    @Test
    void aFlippedLengthIsResynchronisedOnTheNextFrame() throws IOException {
      long[] at = write(6);
      flip(at[1] + 2); // the length now claims ~1 MiB: past the limit
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 2, 3, 4, 5));
      assertThat(o.log().recovery().corruptOffsets()).containsExactly(at[1]);
    }

    @Test
    void twoCorruptPlacesAreBothCountedAndTheRestKept() throws IOException {
      long[] at = write(8);
      flip(at[1] + 9);
      flip(at[5] + 4); // the CRC itself
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 2, 3, 4, 6, 7));
      assertThat(o.log().recovery().corruptOffsets()).containsExactly(at[1], at[5]);
    }

    @Test
    void anIntactRecordTheOwnerCannotDecodeIsSkippedAndCounted() throws IOException {
      long[] at = write(4);
      List<String> got = new ArrayList<>();
      try (RecordLog log = RecordLog.open(file(), MAX, (offset, p) -> {
        String s = new String(p, StandardCharsets.UTF_8);
        if (s.equals("record-1")) {
          throw new IOException("unknown record kind");
        }
        got.add(s);
      })) {
        assertThat(got).isEqualTo(names(0, 2, 3));
        assertThat(log.recovery().corruptOffsets()).containsExactly(at[1]);
      }
      assertThat(reopen()).isEqualTo(names(0, 2, 3));
    }

    @Test
    void copiesKeptAsideAreNumberedAndNeverOverwritten() throws IOException {
      long[] at = write(3);
      flip(at[1] + 9);
      open().log().close();
      try (RecordLog log = open().log()) {
        log.append(rec(3));
      }
      flip(8 + 8 + rec(0).length + 1); // record-2, now the second frame
      Opened o = open();
      o.log().close();
      assertThat(o.log().recovery().keptAside()).hasValue(dir.resolve("test.log.corrupt-2"));
      assertThat(dir.resolve("test.log.corrupt-1")).exists();
      assertThat(o.records()).isEqualTo(names(0, 3));
    }
  }

  @Nested
  class DiskFull {
    @Test
    void aFailedAppendLeavesNoPartialRecordAndTheLogWorksOnceThereIsSpace() throws IOException {
      FullDisk disk = new FullDisk();
      try (RecordLog log = open(disk).log()) {
        log.append(rec(0));
        long before = log.size();
        disk.freeBytes = 5; // the next frame is written half, then the disk is full
        assertThatThrownBy(() -> log.append(rec(1))).isInstanceOf(IOException.class)
            .hasMessageContaining("No space left on device").hasMessageContaining(file().toString());
        assertThat(Files.size(file())).isEqualTo(before);
        disk.freeBytes = Long.MAX_VALUE;
        log.append(rec(2));
      }
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 2));
      assertThat(o.log().recovery().tailBytes()).isZero();
    }

    @Test
    void whenTheCleanUpFailsTooTheNextAppendCutsThePartialRecordFirst() throws IOException {
      FullDisk disk = new FullDisk();
      try (RecordLog log = open(disk).log()) {
        log.append(rec(0));
        disk.freeBytes = 5;
        disk.failTruncate = true;
        assertThatThrownBy(() -> log.append(rec(1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> log.append(rec(2))).as("cannot append after unknown bytes")
            .isInstanceOf(IOException.class);
        disk.freeBytes = Long.MAX_VALUE;
        disk.failTruncate = false;
        log.append(rec(3));
      }
      Opened o = open();
      o.log().close();
      assertThat(o.records()).isEqualTo(names(0, 3));
      assertThat(o.log().recovery().corruptRecords()).isZero();
    }

    @Test
    void aFailedForceIsAFailedAppend() throws IOException {
      FullDisk disk = new FullDisk();
      try (RecordLog log = open(disk).log()) {
        disk.failForce = true;
        assertThatThrownBy(() -> log.append(rec(0))).hasMessageContaining("fsync");
        assertThat(log.size()).isZero();
        disk.failForce = false;
        log.append(rec(1));
      }
      assertThat(reopen()).isEqualTo(names(1));
    }

    @Test
    void aRewriteThatRunsOutOfSpaceKeepsTheOldLogWhole() throws IOException {
      FullDisk disk = new FullDisk();
      try (RecordLog log = open(disk).log()) {
        log.append(List.of(rec(0), rec(1), rec(2)));
        disk.freeBytes = 20;
        assertThatThrownBy(() -> log.rewrite(List.of(rec(7), rec(8)))).isInstanceOf(IOException.class)
            .hasMessageContaining("cannot rewrite");
        assertThat(dir.resolve("test.log.tmp")).doesNotExist();
        disk.freeBytes = Long.MAX_VALUE;
        log.append(rec(3));
      }
      assertThat(reopen()).isEqualTo(names(0, 1, 2, 3));
    }
  }

  @Nested
  class Compaction {
    @Test
    void aRewriteReplacesTheLogAtomically() throws IOException {
      FullDisk disk = new FullDisk();
      try (RecordLog log = open(disk).log()) {
        log.append(List.of(rec(0), rec(1), rec(2)));
        log.rewrite(List.of(rec(2)));
        log.append(rec(3));
      }
      assertThat(disk.moves).hasSize(1);
      assertThat(disk.moves.get(0)).contains(StandardCopyOption.ATOMIC_MOVE);
      assertThat(reopen()).isEqualTo(names(2, 3));
      assertThat(dir.resolve("test.log.tmp")).doesNotExist();
    }

    @Test
    void withoutAtomicRenameThePlainRenameIsUsed() throws IOException {
      FullDisk disk = new FullDisk();
      disk.noAtomicMove = true;
      try (RecordLog log = open(disk).log()) {
        log.append(List.of(rec(0), rec(1)));
        log.rewrite(List.of(rec(1)));
        log.append(rec(2));
      }
      assertThat(disk.moves).hasSize(2);
      assertThat(disk.moves.get(1)).containsExactly(StandardCopyOption.REPLACE_EXISTING);
      assertThat(reopen()).isEqualTo(names(1, 2));
    }

    @Test
    void aCrashInsideAPlainRenameIsFinishedAtTheNextOpen() throws IOException {
      write(2);
      // the fallback deleted the old file and died before renaming the new one
      Files.move(file(), dir.resolve("test.log.tmp"));
      assertThat(reopen()).isEqualTo(names(0, 1));
      assertThat(dir.resolve("test.log.tmp")).doesNotExist();
    }

    @Test
    void aStaleTemporaryFileBesideTheLogIsDiscarded() throws IOException {
      write(2);
      Files.write(dir.resolve("test.log.tmp"), rec(9));
      assertThat(reopen()).isEqualTo(names(0, 1));
      assertThat(dir.resolve("test.log.tmp")).doesNotExist();
    }

    @Test
    void clearEmptiesTheLog() throws IOException {
      try (RecordLog log = open().log()) {
        log.append(rec(0));
        log.clear();
        assertThat(Files.size(file())).isZero();
        log.append(rec(1));
      }
      assertThat(reopen()).isEqualTo(names(1));
    }
  }

  @Nested
  class ConcurrentReader {
    @Test
    void aReaderSeesAnInOrderPrefixWhileAWriterAppendsAndCompacts() throws Exception {
      int total = 800;
      AtomicBoolean done = new AtomicBoolean();
      RecordLog log = open().log();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          List<byte[]> all = new ArrayList<>();
          for (int i = 0; i < total; i++) {
            log.append(rec(i));
            all.add(rec(i));
            if (i % 200 == 199) {
              log.rewrite(all); // same records, new file: the reader may hold the old one
            }
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } finally {
          done.set(true);
        }
      });
      int reads = 0;
      while (!done.get() || reads == 0) {
        List<String> seen = new ArrayList<>();
        RecordLog.Recovery r = RecordLog.read(file(), MAX, (o, p) -> seen.add(new String(p, StandardCharsets.UTF_8)));
        assertThat(r.corruptRecords()).as("a reader never sees a corrupt record").isZero();
        assertThat(seen).isEqualTo(IntStream.range(0, seen.size()).mapToObj(i -> "record-" + i).toList());
        reads++;
      }
      writer.get(60, TimeUnit.SECONDS);
      log.close();
      assertThat(reads).isPositive();
      List<String> last = new ArrayList<>();
      RecordLog.Recovery r = RecordLog.read(file(), MAX, (o, p) -> last.add(new String(p, StandardCharsets.UTF_8)));
      assertThat(last).hasSize(total);
      assertThat(r.tailBytes()).isZero();
      assertThat(dir.resolve("test.log.corrupt-1")).as("reading never repairs").doesNotExist();
    }

    @Test
    void readingNeverChangesADamagedFile() throws IOException {
      long[] at = write(4);
      flip(at[1] + 9);
      Files.write(file(), new byte[] {0, 0, 1}, StandardOpenOption.APPEND);
      byte[] damaged = Files.readAllBytes(file());
      List<String> seen = new ArrayList<>();
      RecordLog.Recovery r = RecordLog.read(file(), MAX, (o, p) -> seen.add(new String(p, StandardCharsets.UTF_8)));
      assertThat(seen).isEqualTo(names(0, 2, 3));
      assertThat(r.corruptOffsets()).containsExactly(at[1]);
      assertThat(r.tailBytes()).isEqualTo(3);
      assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
      assertThat(r.keptAside()).isEmpty();
    }
  }
}

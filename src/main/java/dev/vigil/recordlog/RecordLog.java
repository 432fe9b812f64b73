package dev.vigil.recordlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of records that survives crashes: the one mechanism under the outbox, the
 * de-duplication store and the logs to come.
 *
 * <p>Format: a sequence of frames {@code [int length][int CRC32C of the payload][payload]},
 * big-endian, {@code 1 <= length <= maxRecord}. No file header. An append returns only after
 * {@link FileChannel#force} returned; a failed append (disk full) leaves no partial frame behind.
 *
 * <p>Recovery ({@link #open}) hands every intact record to the owner's {@link Replay}, in order.
 * Only a torn <em>tail</em> is truncated (bytes after the last intact frame, where no later frame
 * is intact). A corrupt frame in the middle (wrong length or CRC32C), or an intact frame the owner
 * cannot decode, is skipped: the scan re-synchronises on the next intact frame, the record is
 * counted in {@link Recovery#corruptRecords}, its offset logged at ERROR, the damaged file copied
 * aside ({@code <file>.corrupt-N}) and the log rewritten from its intact frames. A damaged last
 * frame (complete but failing its CRC32C) is cut like a torn tail, counted and copied aside too.
 *
 * <p>Compaction ({@link #rewrite}): the owner's live records go to {@code <file>.tmp} (forced),
 * which atomically replaces the file; where the file system cannot rename atomically the plain
 * rename is used, and a crash between its delete and rename is finished at the next open.
 *
 * <p>Thread-safe (synchronized). Blocking file I/O: never call it on an event loop.
 */
public final class RecordLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);
  private static final int MAX_ASIDE = 16;
  /** Bytes of a frame besides its payload. */
  public static final int HEADER = FrameScan.HEADER;

  /** Receives each intact record at recovery; an exception marks the record undecodable (skipped, counted). */
  @FunctionalInterface
  public interface Replay {
    void accept(long offset, byte[] payload) throws IOException;
  }

  /**
   * What recovery (or a read-only scan) found.
   *
   * @param records intact records handed to the replay
   * @param corruptRecords records skipped or cut as corrupt (not counting a torn tail)
   * @param corruptOffsets the byte offsets of those records (the first 100)
   * @param tailBytes bytes after the last intact record: cut off by {@link #open}, only reported by {@link #read}
   * @param keptAside the copy of the damaged file, when one was made
   */
  public record Recovery(long records, long corruptRecords, List<Long> corruptOffsets, long tailBytes,
      Optional<Path> keptAside) {
    public Recovery {
      corruptOffsets = List.copyOf(corruptOffsets);
    }
  }

  /** The file operations, replaceable in tests (a disk that fails, a file system without atomic rename). */
  interface Io {
    FileChannel open(Path p, OpenOption... options) throws IOException;

    void move(Path from, Path to, CopyOption... options) throws IOException;

    Io SYSTEM = new Io() {
      @Override
      public FileChannel open(Path p, OpenOption... options) throws IOException {
        return FileChannel.open(p, options);
      }

      @Override
      public void move(Path from, Path to, CopyOption... options) throws IOException {
        Files.move(from, to, options);
      }
    };
  }

  private final Path file;
  private final int maxRecord;
  private final Io io;
  private final Recovery recovery;
  private FileChannel channel;
  private long end;
  private boolean dirty;

  private RecordLog(Path file, int maxRecord, Io io, FileChannel channel, Recovery recovery) throws IOException {
    this.file = file;
    this.maxRecord = maxRecord;
    this.io = io;
    this.channel = channel;
    this.recovery = recovery;
    this.end = channel.size();
  }

  /** Opens (creating) the log {@code file}, replays its intact records into {@code replay} and repairs it. */
  public static RecordLog open(Path file, int maxRecord, Replay replay) throws IOException {
    return open(file, maxRecord, replay, Io.SYSTEM);
  }

  static RecordLog open(Path file, int maxRecord, Replay replay, Io io) throws IOException {
    if (maxRecord < 1) {
      throw new IllegalArgumentException("maxRecord must be at least 1");
    }
    LogFiles.refuseDirectory(file);
    LogFiles.finishInterruptedRewrite(file, io);
    FileChannel ch = io.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FrameScan scan = FrameScan.run(ch, maxRecord, replay);
      Path aside = null;
      if (scan.corrupt > 0) {
        aside = LogFiles.keepAside(file, MAX_ASIDE);
        for (FrameScan.Damage d : scan.damages) {
          LOG.error("record log {}: corrupt record at byte {} skipped ({})", file, d.offset(), d.why());
        }
        LOG.error("record log {}: {} corrupt record(s) skipped, {} intact record(s) kept; the damaged file {}",
            file, scan.corrupt, scan.intact.size(), aside == null ? "could not be kept" : "is kept as " + aside);
      }
      long tail = scan.size() - scan.tailStart;
      if (tail > 0 && scan.tail == FrameScan.Tail.TORN) {
        LOG.warn("record log {}: a record cut short at byte {} (a write interrupted by a crash); truncating {} bytes,"
            + " the {} record(s) before it kept", file, scan.tailStart, tail, scan.intact.size());
      }
      RecordLog log = new RecordLog(file, maxRecord, io, ch, new Recovery(scan.intact.size(), scan.corrupt,
          scan.damages.stream().map(FrameScan.Damage::offset).toList(), tail, Optional.ofNullable(aside)));
      if (scan.holes()) {
        log.rewriteFrames(ch, scan.intact);
      } else if (tail > 0) {
        ch.truncate(scan.tailStart);
        ch.force(true);
        log.end = scan.tailStart;
      }
      return log;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Scans {@code file} without changing it (a tool looking at a log another process writes): every
   * intact record to {@code replay}; {@link Recovery#tailBytes} are bytes not (yet) a whole record.
   */
  public static Recovery read(Path file, int maxRecord, Replay replay) throws IOException {
    LogFiles.refuseDirectory(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FrameScan scan = FrameScan.run(ch, maxRecord, replay);
      return new Recovery(scan.intact.size(), scan.corrupt,
          scan.damages.stream().map(FrameScan.Damage::offset).toList(), scan.size() - scan.tailStart,
          Optional.empty());
    }
  }

  public Path file() {
    return file;
  }

  /** What the last {@link #open} found and repaired. */
  public Recovery recovery() {
    return recovery;
  }

  /** Bytes of intact records in the file. */
  public synchronized long size() {
    return end;
  }

  /** Appends one record; durable when it returns. */
  public void append(byte[] payload) throws IOException {
    append(List.of(payload));
  }

  /** Appends {@code payloads} in order with one force; durable when it returns, none written when it throws. */
  public synchronized void append(List<byte[]> payloads) throws IOException {
    ensureOpen();
    ByteBuffer buf = frames(payloads);
    if (dirty) {
      channel.truncate(end);
      dirty = false;
    }
    long at = end;
    try {
      while (buf.hasRemaining()) {
        at += channel.write(buf, at);
      }
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(end);
      } catch (IOException suppressed) {
        dirty = true;
        e.addSuppressed(suppressed);
      }
      throw new IOException("cannot append to the record log " + file + ": " + e.getMessage(), e);
    }
    end = at;
  }

  /** Replaces the whole log by {@code payloads} (compaction): crash-safe, old or new, never a mix. */
  public synchronized void rewrite(Iterable<byte[]> payloads) throws IOException {
    ensureOpen();
    replace(out -> {
      for (byte[] p : payloads) {
        writeAll(out, frames(List.of(p)));
      }
    });
  }

  /** Empties the log (every record is obsolete): crash-safe, old or empty. */
  public synchronized void clear() throws IOException {
    ensureOpen();
    channel.truncate(0);
    channel.force(true);
    end = 0;
    dirty = false;
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void rewriteFrames(FileChannel from, List<long[]> intact) throws IOException {
    replace(out -> {
      for (long[] f : intact) {
        long done = 0;
        while (done < f[1]) {
          done += from.transferTo(f[0] + done, f[1] - done, out);
        }
      }
    });
  }

  private void replace(LogFiles.Body body) throws IOException {
    try {
      LogFiles.replace(file, io, body);
    } catch (IOException e) {
      if (!Files.exists(file)) {
        close(); // the records are in the .tmp file only; the next open finishes the rename
      }
      throw e;
    }
    FileChannel old = channel;
    channel = io.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    end = channel.size();
    dirty = false;
    old.close();
  }

  private ByteBuffer frames(List<byte[]> payloads) throws IOException {
    int total = 0;
    for (byte[] p : payloads) {
      if (p.length < 1 || p.length > maxRecord) {
        throw new IOException("a record of " + p.length + " bytes does not fit the record log " + file
            + " (1 to " + maxRecord + " bytes)");
      }
      total += FrameScan.HEADER + p.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (byte[] p : payloads) {
      buf.putInt(p.length).putInt(FrameScan.crc32c(p)).put(p);
    }
    return buf.flip();
  }

  private static void writeAll(FileChannel out, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  private void ensureOpen() throws IOException {
    if (channel == null) {
      throw new IOException("the record log " + file + " is closed");
    }
  }
}

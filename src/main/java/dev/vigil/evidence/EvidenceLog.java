package dev.vigil.evidence;

import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The evidence log on disk: entries appended, in index order, to one {@link RecordLog}
 * ({@code evidence.log} in its directory; one record = one entry's canonical JSON), with the
 * {@link MerkleTree} over them kept in memory and rebuilt (leaf hashes recomputed) at open.
 *
 * <p>Durability: {@link #append} only buffers; entries become durable together, with one
 * {@code fsync}, when {@link #flush} runs: from {@link #append} once the oldest buffered entry is
 * {@code flushInterval} old, from {@link #flushIfDue} (the owner calls it on a timer at least every
 * {@code flushInterval}, so at most about {@code flushInterval} passes between an append and its
 * being durable), and from {@link #checkpoint} and {@link #close}. {@link #durableSize()} entries
 * survive a crash; a checkpoint only ever covers durable entries. After a crash the torn tail is cut
 * by the record log and the tree continues from the last durable entry.
 *
 * <p>An entry missing in the middle (a corrupt record the record log skipped) makes {@link #open}
 * fail: the indices would no longer be the tree's, so the log must be restored from a copy (the
 * damaged file is kept aside as {@code evidence.log.corrupt-N}).
 *
 * <p>Thread-safe (synchronized). Blocking file I/O: never call it on an event loop.
 */
public final class EvidenceLog implements AutoCloseable {
  /** The log file's name in its directory. */
  public static final String FILE = "evidence.log";
  /** Largest entry: an envelope of up to 1 MiB in base64, with room for the other fields. */
  public static final int MAX_ENTRY_BYTES = 2 << 20;
  /** Buffered bytes that trigger a flush before {@code flushInterval} (one write buffer stays bounded). */
  static final int MAX_PENDING_BYTES = 8 << 20;

  private final String monitorId;
  private final Duration flushInterval;
  private final Clock clock;
  private final RecordLog log;
  private final FileChannel reader;
  private final MerkleTree tree;
  private long[] offsets;
  private final List<byte[]> pending = new ArrayList<>();
  private Instant pendingSince;
  private long pendingBytes;

  private EvidenceLog(String monitorId, Duration flushInterval, Clock clock, RecordLog log, MerkleTree tree,
      long[] offsets) throws IOException {
    this.monitorId = monitorId;
    this.flushInterval = flushInterval;
    this.clock = clock;
    this.log = log;
    this.tree = tree;
    this.offsets = offsets;
    this.reader = FileChannel.open(log.file(), StandardOpenOption.READ);
  }

  /** Opens (creating) the log in {@code dir}, restores its tree and cuts a torn tail. */
  public static EvidenceLog open(Path dir, String monitorId, Duration flushInterval, Clock clock) throws IOException {
    if (flushInterval.isNegative()) {
      throw new IllegalArgumentException("flushInterval must not be negative");
    }
    Checkpoint.of(monitorId, 0, Rfc9162.emptyRoot());
    Files.createDirectories(dir);
    MerkleTree tree = new MerkleTree();
    long[][] offs = {new long[1024]};
    long[] at = {0};
    long[] firstGap = {-1};
    RecordLog log = RecordLog.open(dir.resolve(FILE), MAX_ENTRY_BYTES, (ignoredOffset, payload) -> {
      long n = tree.size();
      if (firstGap[0] < 0 && Entry.peekIndex(payload) != n) {
        firstGap[0] = n;
      }
      if (n == offs[0].length) {
        offs[0] = Arrays.copyOf(offs[0], offs[0].length * 2);
      }
      offs[0][(int) n] = at[0];
      at[0] += RecordLog.HEADER + payload.length;
      tree.appendLeafHash(Rfc9162.leafHash(payload));
    });
    if (firstGap[0] >= 0) {
      log.close();
      throw new IOException("evidence log " + log.file() + ": the record at position " + firstGap[0]
          + " is not entry " + firstGap[0] + " (" + log.recovery().corruptRecords() + " corrupt record(s) skipped"
          + log.recovery().keptAside().map(p -> ", the damaged file is kept as " + p).orElse("")
          + "); restore the log from a copy");
    }
    try {
      return new EvidenceLog(monitorId, flushInterval, clock, log, tree, offs[0]);
    } catch (IOException e) {
      log.close();
      throw e;
    }
  }

  public String monitorId() {
    return monitorId;
  }

  /** What the record log found and repaired at open (a torn tail, corrupt records). */
  public RecordLog.Recovery recovery() {
    return log.recovery();
  }

  /**
   * Appends {@code entry} at the next index (its own index is replaced) and returns that index.
   * Buffered: durable after the next {@link #flush}, which this call runs when the oldest buffered
   * entry is {@code flushInterval} old or 8 MiB are buffered.
   */
  public synchronized long append(Entry entry) throws IOException {
    long index = tree.size();
    byte[] bytes = entry.withIndex(index).toJson();
    if (bytes.length > MAX_ENTRY_BYTES) {
      throw new IOException("an evidence entry of " + bytes.length + " bytes exceeds " + MAX_ENTRY_BYTES);
    }
    if (pending.isEmpty()) {
      pendingSince = clock.instant();
    }
    pending.add(bytes);
    pendingBytes += bytes.length;
    tree.appendLeafHash(Rfc9162.leafHash(bytes));
    if (pendingBytes >= MAX_PENDING_BYTES) {
      flush();
    } else {
      flushIfDue();
    }
    return index;
  }

  /** Flushes when the oldest buffered entry is {@code flushInterval} old; call it on a timer. */
  public synchronized void flushIfDue() throws IOException {
    if (!pending.isEmpty() && !clock.instant().isBefore(pendingSince.plus(flushInterval))) {
      flush();
    }
  }

  /** Writes every buffered entry with one {@code fsync}; they are durable when it returns. */
  public synchronized void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    long at = log.size();
    log.append(pending);
    long first = tree.size() - pending.size();
    for (int i = 0; i < pending.size(); i++) {
      int idx = (int) (first + i);
      if (idx >= offsets.length) {
        offsets = Arrays.copyOf(offsets, Math.max(offsets.length * 2, idx + 1));
      }
      offsets[idx] = at;
      at += RecordLog.HEADER + pending.get(i).length;
    }
    pending.clear();
    pendingBytes = 0;
  }

  /** Entries appended, durable or not. */
  public synchronized long size() {
    return tree.size();
  }

  /** Bytes of durable entries on disk (the log file). */
  public synchronized long bytes() {
    return log.size();
  }

  /** Entries that survive a crash. */
  public synchronized long durableSize() {
    return tree.size() - pending.size();
  }

  /** The root of the first {@code n} entries. */
  public synchronized byte[] root(long n) {
    return tree.root(n);
  }

  /** Flushes, then the checkpoint of every entry (sign it with {@link SignedCheckpoint#sign}). */
  public synchronized Checkpoint checkpoint() throws IOException {
    flush();
    return Checkpoint.of(monitorId, tree.size(), tree.root());
  }

  public synchronized List<byte[]> inclusionProof(long index, long size) {
    return tree.inclusionProof(index, size);
  }

  public synchronized List<byte[]> consistencyProof(long from, long to) {
    return tree.consistencyProof(from, to);
  }

  /**
   * The canonical bytes of entries {@code start..end-1}, each checked against its leaf hash (an
   * entry changed on disk since it was appended is an {@link IOException} naming its index).
   */
  public synchronized List<byte[]> read(long start, long end) throws IOException {
    if (start < 0 || end < start || end > tree.size()) {
      throw new IllegalArgumentException("range " + start + ".." + end + " is not within 0.." + tree.size());
    }
    long durable = durableSize();
    List<byte[]> out = new ArrayList<>((int) (end - start));
    for (long i = start; i < end; i++) {
      byte[] bytes = i >= durable ? pending.get((int) (i - durable)) : readRecord(i);
      if (!MerkleTree.same(Rfc9162.leafHash(bytes), tree.leafHash(i))) {
        throw new IOException("evidence log " + log.file() + ": entry " + i + " changed on disk since it was appended");
      }
      out.add(bytes);
    }
    return out;
  }

  private byte[] readRecord(long i) throws IOException {
    long at = offsets[(int) i];
    ByteBuffer header = ByteBuffer.allocate(RecordLog.HEADER);
    readFully(header, at);
    int len = header.getInt(0);
    if (len < 1 || len > MAX_ENTRY_BYTES) {
      throw new IOException("evidence log " + log.file() + ": entry " + i + " has a damaged frame at byte " + at);
    }
    ByteBuffer payload = ByteBuffer.allocate(len);
    readFully(payload, at + RecordLog.HEADER);
    return payload.array();
  }

  private void readFully(ByteBuffer buf, long at) throws IOException {
    while (buf.hasRemaining()) {
      int n = reader.read(buf, at + buf.position());
      if (n < 0) {
        throw new IOException("evidence log " + log.file() + " ends before byte " + (at + buf.limit()));
      }
    }
  }

  /** Flushes and closes. */
  @Override
  public synchronized void close() throws IOException {
    try {
      flush();
    } finally {
      reader.close();
      log.close();
    }
  }
}

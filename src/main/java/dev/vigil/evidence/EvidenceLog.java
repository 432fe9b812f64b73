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
  private final RecordLog pruned;
  private FileChannel reader;
  private final MerkleTree tree;
  /** The first entry still in the file: those below were pruned ({@link PrunedPrefix}). */
  private long first;
  /** Byte offset in the file of entry {@code first + i} at {@code i}. */
  private long[] offsets;
  private final List<byte[]> pending = new ArrayList<>();
  private Instant pendingSince;
  private long pendingBytes;

  private EvidenceLog(String monitorId, Duration flushInterval, Clock clock, RecordLog log, RecordLog pruned,
      MerkleTree tree, long first, long[] offsets) throws IOException {
    this.monitorId = monitorId;
    this.flushInterval = flushInterval;
    this.clock = clock;
    this.log = log;
    this.pruned = pruned;
    this.tree = tree;
    this.first = first;
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
    long[] prunedCount = {0};
    RecordLog pruned = PrunedPrefix.open(dir, prunedCount, tree::appendLeafHash);
    long first = prunedCount[0];
    long[][] offs = {new long[1024]};
    long[] at = {0};
    long[] firstGap = {-1};
    RecordLog log;
    try {
      log = RecordLog.open(dir.resolve(FILE), MAX_ENTRY_BYTES, (ignoredOffset, payload) -> {
        long n = tree.size();
        long idx = Entry.peekIndex(payload);
        if (firstGap[0] < 0 && idx >= 0 && idx < first) {
          // left by a prune interrupted between its two steps: already summarised by its hash
          if (!MerkleTree.same(Rfc9162.leafHash(payload), tree.leafHash(idx))) {
            firstGap[0] = idx;
          }
          at[0] += RecordLog.HEADER + payload.length;
          return;
        }
        if (firstGap[0] < 0 && idx != n) {
          firstGap[0] = n;
        }
        if (n - first == offs[0].length) {
          offs[0] = Arrays.copyOf(offs[0], offs[0].length * 2);
        }
        offs[0][(int) (n - first)] = at[0];
        at[0] += RecordLog.HEADER + payload.length;
        tree.appendLeafHash(Rfc9162.leafHash(payload));
      });
    } catch (IOException | RuntimeException e) {
      pruned.close();
      throw e;
    }
    if (firstGap[0] >= 0) {
      pruned.close();
      log.close();
      throw new IOException("evidence log " + log.file() + ": the record at position " + firstGap[0]
          + " is not entry " + firstGap[0] + " (" + log.recovery().corruptRecords() + " corrupt record(s) skipped"
          + log.recovery().keptAside().map(p -> ", the damaged file is kept as " + p).orElse("")
          + "); restore the log from a copy");
    }
    try {
      return new EvidenceLog(monitorId, flushInterval, clock, log, pruned, tree, first, offs[0]);
    } catch (IOException e) {
      log.close();
      pruned.close();
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
    long firstPending = tree.size() - pending.size();
    for (int i = 0; i < pending.size(); i++) {
      int idx = (int) (firstPending + i - first);
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
    if (start < first || end < start || end > tree.size()) {
      throw new IllegalArgumentException("range " + start + ".." + end + " is not within " + first + ".." + tree.size()
          + (first > 0 ? " (entries below " + first + " were pruned)" : ""));
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
    long at = offsets[(int) (i - first)];
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

  /** The first entry still held: those below it were pruned (their leaf hashes are kept). */
  public synchronized long first() {
    return first;
  }

  /**
   * Where retention may cut: the smallest index {@code k} (at least {@link #first()}, at most the
   * durable size, at most {@code maxStep} entries further) such that entries {@code k..} take at
   * most 90 % of {@code maxBytes} when the log is above {@code maxBytes}, and the entry at {@code k}
   * is not older than {@code cutoff} (entries are scanned in order from the first: one made
   * earlier than {@code cutoff} after a later one stops the scan).
   */
  public synchronized long retentionCut(Instant cutoff, long maxBytes, long maxStep) throws IOException {
    long durable = durableSize();
    long limit = Math.min(durable, first + maxStep);
    long k = first;
    long total = log.size();
    if (total > maxBytes) {
      long target = maxBytes / 10 * 9;
      while (k < limit && total - offsets[(int) (k - first)] > target) {
        k++;
      }
    }
    while (k < limit && Entry.peekTime(readRecord(k)).isBefore(cutoff)) {
      k++;
    }
    return k;
  }

  /**
   * Retention: drops entries {@link #first()}..{@code keepFrom-1} from the file, keeping their leaf
   * hashes ({@link PrunedPrefix}, appended and forced first), then rewriting the file with the
   * entries kept (crash-safe: the old or the new file; a crash between the two steps leaves entries
   * that the next open recognises by their hashes and skips). Sizes, roots and proofs are unchanged;
   * {@link #read} no longer serves the pruned entries. Cost: one copy of the entries kept.
   */
  public synchronized void prune(long keepFrom) throws IOException {
    flush();
    if (keepFrom <= first) {
      return;
    }
    if (keepFrom > tree.size()) {
      throw new IllegalArgumentException("cannot prune up to " + keepFrom + ": the log has " + tree.size() + " entries");
    }
    for (long i = first; i < keepFrom; i += PrunedPrefix.CHUNK) {
      int n = (int) Math.min(PrunedPrefix.CHUNK, keepFrom - i);
      byte[][] hashes = new byte[n][];
      for (int j = 0; j < n; j++) {
        hashes[j] = tree.leafHash(i + j);
      }
      PrunedPrefix.append(pruned, i, hashes);
    }
    long size = tree.size();
    long base = keepFrom < size ? offsets[(int) (keepFrom - first)] : log.size();
    long[] kept = new long[(int) Math.max(1024, size - keepFrom + 1024)];
    for (long i = keepFrom; i < size; i++) {
      kept[(int) (i - keepFrom)] = offsets[(int) (i - first)] - base;
    }
    log.rewrite(() -> new java.util.Iterator<byte[]>() {
      long next = keepFrom;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public byte[] next() {
        try {
          return readRecord(next++);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    reader.close();
    reader = FileChannel.open(log.file(), StandardOpenOption.READ);
    offsets = kept;
    first = keepFrom;
  }

  /** Flushes and closes. */
  @Override
  public synchronized void close() throws IOException {
    try {
      flush();
    } finally {
      reader.close();
      log.close();
      pruned.close();
    }
  }
}

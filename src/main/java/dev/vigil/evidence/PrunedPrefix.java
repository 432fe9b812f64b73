package dev.vigil.evidence;

import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The leaf hashes of the entries retention pruned from the head of an evidence log: the file
 * {@value #FILE} beside {@link EvidenceLog#FILE}, a {@link RecordLog} of chunks {@code [8-byte index
 * of the chunk's first entry][32-byte leaf hash]...}, contiguous from entry 0. With them the tree
 * of the whole log is rebuilt, so the entries kept still prove inclusion, every checkpoint's root
 * is still recomputed and consistency from any older checkpoint still verifies; what is gone is the
 * pruned entries' content (32 bytes kept of each). Stateless helpers; blocking file I/O.
 */
public final class PrunedPrefix {
  /** The file's name in the log directory. */
  public static final String FILE = "evidence.pruned";
  /** Hashes per record at most. */
  static final int CHUNK = 65_536;
  static final int MAX_RECORD = 8 + CHUNK * Rfc9162.HASH;

  private PrunedPrefix() {}

  /** Hands the pruned leaf hashes of the log in {@code dir} to {@code sink}, in order; their count (0 without a file). Read-only. */
  public static long read(Path dir, Consumer<byte[]> sink) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return 0;
    }
    long[] count = {0};
    RecordLog.Recovery r = RecordLog.read(file, MAX_RECORD, (offset, payload) -> accept(file, payload, count, sink));
    if (r.corruptRecords() > 0) {
      throw new IOException(file + ": corrupt record(s) at byte(s) " + r.corruptOffsets()
          + ": the pruned prefix's hashes are damaged; restore the file from a copy");
    }
    return count[0];
  }

  /** Opens (creating) the file in {@code dir} for appending, handing its hashes to {@code sink}. */
  static RecordLog open(Path dir, long[] count, Consumer<byte[]> sink) throws IOException {
    Path file = dir.resolve(FILE);
    RecordLog log = RecordLog.open(file, MAX_RECORD, (offset, payload) -> accept(file, payload, count, sink));
    if (log.recovery().corruptRecords() > 0) {
      log.close();
      throw new IOException(file + ": " + log.recovery().corruptRecords() + " corrupt record(s): the pruned prefix's"
          + " hashes are damaged; restore the file from a copy");
    }
    return log;
  }

  /** Appends the leaf hashes of entries {@code first..} (at most {@link #CHUNK}); durable on return. */
  static void append(RecordLog log, long first, byte[][] hashes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + hashes.length * Rfc9162.HASH).putLong(first);
    for (byte[] h : hashes) {
      b.put(h);
    }
    log.append(b.array());
  }

  private static void accept(Path file, byte[] payload, long[] count, Consumer<byte[]> sink) throws IOException {
    if (payload.length < 8 + Rfc9162.HASH || (payload.length - 8) % Rfc9162.HASH != 0) {
      throw new IOException(file + ": a record of " + payload.length + " bytes is not [index][32-byte hashes]");
    }
    long first = ByteBuffer.wrap(payload).getLong();
    if (first != count[0]) {
      throw new IOException(file + ": a chunk starts at entry " + first + ", expected " + count[0]);
    }
    for (int at = 8; at < payload.length; at += Rfc9162.HASH) {
      sink.accept(Arrays.copyOfRange(payload, at, at + Rfc9162.HASH));
      count[0]++;
    }
  }
}

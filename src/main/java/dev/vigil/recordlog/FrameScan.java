package dev.vigil.recordlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One pass over a record log: hands every intact record to the {@link RecordLog.Replay}, steps over
 * corrupt ones by searching for the next intact frame, and says what the end of the file holds.
 * Reads only; what to repair is {@link RecordLog}'s decision. Not thread-safe (one use).
 */
final class FrameScan {
  static final int HEADER = 8;
  private static final int CHUNK = 64 * 1024;
  private static final int MAX_LISTED = 100;

  /** What the bytes after the last intact record are. */
  enum Tail {
    /** Nothing: the file ends with an intact record. */
    NONE,
    /** A record cut short (a write interrupted by a crash), or zeros. */
    TORN,
    /** A complete frame that fails its checksum, or bytes that are no frame at all. */
    DAMAGED
  }

  /** One corrupt place: its offset and why. */
  record Damage(long offset, String why) {}

  private final FileChannel ch;
  private final long size;
  private final int maxRecord;
  final List<long[]> intact = new ArrayList<>();
  final List<Damage> damages = new ArrayList<>();
  long corrupt;
  long tailStart;
  Tail tail = Tail.NONE;

  private FrameScan(FileChannel ch, long size, int maxRecord) {
    this.ch = ch;
    this.size = size;
    this.maxRecord = maxRecord;
  }

  static FrameScan run(FileChannel ch, int maxRecord, RecordLog.Replay replay) throws IOException {
    FrameScan s = new FrameScan(ch, ch.size(), maxRecord);
    s.scan(replay);
    return s;
  }

  long size() {
    return size;
  }

  /** Whether records were lost before the tail (a corrupt frame or an undecodable record). */
  boolean holes() {
    return corrupt > (tail == Tail.DAMAGED ? 1 : 0);
  }

  private void scan(RecordLog.Replay replay) throws IOException {
    long pos = 0;
    while (pos < size) {
      byte[] payload = frameAt(pos);
      if (payload != null) {
        try {
          replay.accept(pos, payload);
          intact.add(new long[] {pos, HEADER + payload.length});
        } catch (IOException | RuntimeException e) {
          damage(pos, "the record cannot be decoded: " + e);
        }
        pos += HEADER + payload.length;
        continue;
      }
      long next = nextFrame(pos + 1);
      if (next < 0) {
        break;
      }
      damage(pos, "bytes " + pos + ".." + next + " are no intact record (length or CRC32C wrong)");
      pos = next;
    }
    tailStart = Math.min(pos, size);
    if (tailStart < size) {
      tail = classifyTail();
      if (tail == Tail.DAMAGED) {
        damage(tailStart, "the last record fails its CRC32C or is no record");
      }
    }
  }

  private void damage(long offset, String why) {
    corrupt++;
    if (damages.size() < MAX_LISTED) {
      damages.add(new Damage(offset, why));
    }
  }

  private Tail classifyTail() throws IOException {
    long left = size - tailStart;
    if (left < HEADER) {
      return Tail.TORN;
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    if (!readFully(h, tailStart)) {
      return Tail.TORN;
    }
    int len = h.getInt(0);
    if (len >= 1 && len <= maxRecord && tailStart + HEADER + len > size) {
      return Tail.TORN;
    }
    return allZero(tailStart) ? Tail.TORN : Tail.DAMAGED;
  }

  private boolean allZero(long from) throws IOException {
    for (long base = from; base < size; base += CHUNK) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, size - base));
      if (!readFully(buf, base)) {
        return true;
      }
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** The payload of the intact frame at {@code pos}, or null. */
  private byte[] frameAt(long pos) throws IOException {
    if (size - pos < HEADER) {
      return null;
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    if (!readFully(h, pos)) {
      return null;
    }
    int len = h.getInt(0);
    if (len < 1 || len > maxRecord || pos + HEADER + len > size) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    if (!readFully(body, pos + HEADER)) {
      return null;
    }
    return crc32c(body.array()) == h.getInt(4) ? body.array() : null;
  }

  /** The offset of the first intact frame at or after {@code from}, or -1. */
  private long nextFrame(long from) throws IOException {
    for (long base = from; base + HEADER <= size; base += CHUNK) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK + HEADER - 1, size - base));
      if (!readFully(buf, base)) {
        return -1;
      }
      for (int i = 0; i < CHUNK && i + HEADER <= buf.limit(); i++) {
        int len = buf.getInt(i);
        long p = base + i;
        if (len >= 1 && len <= maxRecord && p + HEADER + len <= size && frameAt(p) != null) {
          return p;
        }
      }
    }
    return -1;
  }

  /** Fills {@code buf} from {@code at}; false when the file ends first (it shrank under a reader). */
  private boolean readFully(ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        return false;
      }
      pos += n;
    }
    return true;
  }

  static int crc32c(byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue();
  }
}

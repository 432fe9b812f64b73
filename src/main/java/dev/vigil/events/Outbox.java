package dev.vigil.events;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: every event is appended to a local log file before it is sent, and marked
 * done when Kafka acknowledges it.
 *
 * <p>File format ({@code outbox.log} in the outbox directory): a sequence of records, each
 * {@code [int length][int CRC32C of the payload][payload]}, big-endian. A payload is either an
 * event ({@code 'E'}, sequence number, id, type, source, key, value) or a done marker ({@code 'A'},
 * sequence number). An append counts as written only after {@link FileChannel#force} returned.
 *
 * <p>Recovery ({@link #open}) reads the file from the start; events without a done marker are
 * pending, in append order. A record whose length runs past the end of the file or whose checksum
 * does not match (a torn write after a crash, or a corrupted tail) ends the valid log: the file is
 * truncated there with an ERROR line, and everything before it, acknowledged state included, is
 * kept. When every event is done the file is emptied; when most of a large file is done, the
 * pending events are rewritten to a new file that atomically replaces the old one.
 *
 * <p>Capacity: at most {@code capacity} pending events. A full outbox refuses the new event (an
 * ERROR line and a {@link Refused} result) and keeps the oldest.
 *
 * <p>Blocking file I/O: never call it on an event loop. Thread-safe: every method is synchronized.
 */
public final class Outbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  static final String FILE = "outbox.log";
  private static final byte EVENT = 'E';
  private static final byte DONE = 'A';
  private static final int HEADER = 8;
  private static final int MAX_RECORD = 4 << 20;
  private static final long COMPACT_BYTES = 4L << 20;

  private final Path dir;
  private final Path file;
  private final int capacity;
  private final Map<Long, Entry> pending = new LinkedHashMap<>();
  private FileChannel channel;
  private long nextSeq = 1;
  private long pendingBytes;
  private long truncatedBytes;

  /** One pending event with its local sequence number. */
  public record Entry(long seq, SignedEvent event) {}

  /** The outcome of {@link #append}. */
  public sealed interface AppendResult permits Written, Refused {}

  /** The event is on disk (fsync'd) as {@code seq}. */
  public record Written(long seq) implements AppendResult {}

  /** The event was not written: the outbox is full (or the disk failed); the reason says which. */
  public record Refused(String reason) implements AppendResult {}

  private Outbox(Path dir, int capacity) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.capacity = capacity;
  }

  /** Opens (creating if needed) the outbox in {@code dir} and recovers its pending events. */
  public static Outbox open(Path dir, int capacity) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    Files.createDirectories(dir);
    Outbox o = new Outbox(dir, capacity);
    o.recover();
    return o;
  }

  /** Appends {@code event} and forces it to disk; returns only after it is durable, or refuses it. */
  public synchronized AppendResult append(SignedEvent event) {
    ensureOpen();
    if (pending.size() >= capacity) {
      String reason = "outbox full: " + pending.size() + " events await Kafka (capacity " + capacity
          + "); refusing " + event.type() + " " + event.id() + " and keeping the oldest";
      LOG.error("{}", reason);
      return new Refused(reason);
    }
    long seq = nextSeq;
    byte[] payload = encodeEvent(seq, event);
    try {
      write(payload);
    } catch (IOException e) {
      String reason = "cannot write the outbox " + file + ": " + e;
      LOG.error("{}; refusing {} {}", reason, event.type(), event.id());
      return new Refused(reason);
    }
    nextSeq++;
    pending.put(seq, new Entry(seq, event));
    pendingBytes += HEADER + payload.length;
    return new Written(seq);
  }

  /** The pending events, oldest first, at most {@code max}. */
  public synchronized List<Entry> pending(int max) {
    List<Entry> out = new ArrayList<>(Math.min(max, pending.size()));
    for (Entry e : pending.values()) {
      if (out.size() >= max) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /** Events written and not yet acknowledged. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  public int capacity() {
    return capacity;
  }

  /** Bytes cut off a torn or corrupt tail at the last recovery (0 when the file was intact). */
  public synchronized long truncatedBytes() {
    return truncatedBytes;
  }

  /**
   * Marks {@code seqs} done (Kafka acknowledged them), durably; compacts when the log allows. Unknown
   * or already acknowledged sequence numbers are ignored.
   */
  public synchronized void acknowledge(List<Long> seqs) throws IOException {
    ensureOpen();
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    int n = 0;
    for (long seq : seqs) {
      Entry e = pending.get(seq);
      if (e == null) {
        continue;
      }
      byte[] payload = ByteBuffer.allocate(9).put(DONE).putLong(seq).array();
      batch.writeBytes(frame(payload));
      n++;
    }
    if (n == 0) {
      return;
    }
    channel.write(ByteBuffer.wrap(batch.toByteArray()));
    channel.force(false);
    for (long seq : seqs) {
      Entry e = pending.remove(seq);
      if (e != null) {
        pendingBytes -= HEADER + encodeEvent(seq, e.event()).length;
      }
    }
    maybeCompact();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void recover() throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long size = channel.size();
    long pos = 0;
    long maxSeq = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    String problem = null;
    while (pos < size) {
      header.clear();
      if (size - pos < HEADER) {
        problem = "a record header is cut short";
        break;
      }
      readFully(header, pos);
      header.flip();
      int len = header.getInt();
      int crc = header.getInt();
      if (len <= 0 || len > MAX_RECORD || pos + HEADER + len > size) {
        problem = "a record of length " + len + " runs past the end of the file";
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(len);
      readFully(body, pos + HEADER);
      byte[] payload = body.array();
      if (crc32c(payload) != crc) {
        problem = "a record's CRC32C does not match";
        break;
      }
      try {
        long seq = apply(payload);
        maxSeq = Math.max(maxSeq, seq);
      } catch (IOException | RuntimeException e) {
        problem = "a record cannot be decoded (" + e + ")";
        break;
      }
      pos += HEADER + len;
    }
    if (problem != null) {
      truncatedBytes = size - pos;
      LOG.error("outbox {}: {} at byte {}; truncating {} bytes there (the {} events before it are kept)", file, problem,
          pos, truncatedBytes, pending.size());
      channel.truncate(pos);
      channel.force(true);
    }
    channel.position(channel.size());
    nextSeq = maxSeq + 1;
    if (!pending.isEmpty()) {
      LOG.info("outbox {}: {} events from before the restart await Kafka", file, pending.size());
    }
    maybeCompact();
  }

  private long apply(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    byte kind = in.readByte();
    long seq = in.readLong();
    if (kind == DONE) {
      Entry e = pending.remove(seq);
      if (e != null) {
        pendingBytes -= HEADER + encodeEvent(seq, e.event()).length;
      }
    } else if (kind == EVENT) {
      String id = in.readUTF();
      String type = in.readUTF();
      String source = in.readUTF();
      String key = in.readUTF();
      byte[] value = new byte[in.readInt()];
      in.readFully(value);
      if (in.available() != 0) {
        throw new IOException("trailing bytes in an event record");
      }
      pending.put(seq, new Entry(seq, new SignedEvent(id, type, source, key, value)));
      pendingBytes += HEADER + payload.length;
    } else {
      throw new IOException("unknown record kind " + kind);
    }
    return seq;
  }

  private void maybeCompact() throws IOException {
    long size = channel.size();
    if (pending.isEmpty()) {
      if (size > 0) {
        // everything is done: an empty log says the same, and crash-safely (old or empty, both all done)
        channel.truncate(0);
        channel.force(true);
        channel.position(0);
      }
      return;
    }
    if (size < COMPACT_BYTES || pendingBytes * 2 > size) {
      return;
    }
    Path tmp = dir.resolve(FILE + ".compact");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      for (Entry e : pending.values()) {
        out.write(ByteBuffer.wrap(frame(encodeEvent(e.seq(), e.event()))));
      }
      out.force(true);
    }
    channel.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory();
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    channel.position(channel.size());
    LOG.info("outbox {} compacted from {} to {} bytes ({} events pending)", file, size, channel.size(), pending.size());
  }

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private void write(byte[] payload) throws IOException {
    long before = channel.position();
    try {
      ByteBuffer buf = ByteBuffer.wrap(frame(payload));
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (IOException e) {
      // do not leave half a record for the next append to follow
      try {
        channel.truncate(before);
        channel.position(before);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void readFully(ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  private void ensureOpen() {
    if (channel == null) {
      throw new IllegalStateException("the outbox is closed");
    }
  }

  private static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).putInt(crc32c(payload)).put(payload)
        .array();
  }

  private static int crc32c(byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue();
  }

  private static byte[] encodeEvent(long seq, SignedEvent e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(e.value().length + 128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(EVENT);
      out.writeLong(seq);
      out.writeUTF(e.id());
      out.writeUTF(e.type());
      out.writeUTF(e.source());
      out.writeUTF(e.key());
      byte[] v = e.value();
      out.writeInt(v.length);
      out.write(v);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }
}

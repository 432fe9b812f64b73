package dev.vigil.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What the controller did for each breach event, on disk, so that a redelivered event (same
 * {@code id}, or another event of the same {@code breachId}) is recognised after a restart.
 *
 * <p>States: NEW (absent) → {@link State#MOVED} (traffic moved; validation and report pending) →
 * {@link State#FINISHED} (outcome acknowledged by the sink). Seeing an event again: FINISHED →
 * skip as {@code duplicate}; MOVED → do not move again, but validate and report.
 *
 * <p>File {@code dedup.log} in the store's directory: an append-only sequence of records, each
 * {@code [int length][int CRC32C of payload][payload: UTF-8 JSON]}, forced to disk ({@code fsync})
 * before a write returns. Recovery reads records up to the first one that is short or fails its
 * checksum (a torn tail of a crash mid-write) and truncates the file there. Size is bounded:
 * entries whose last change is older than the retention are dropped, and the file is rewritten
 * (temporary file, fsync, atomic rename) when it holds far more records than live entries.
 *
 * <p>Thread-safe (synchronized). Blocking: call from a worker thread, never the event loop.
 */
public final class DedupStore implements AutoCloseable {
  static final String FILE = "dedup.log";
  private static final int MAX_RECORD = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How far a breach event got. */
  public enum State { MOVED, FINISHED }

  /**
   * One breach event's progress. Immutable.
   *
   * @param startedAt when the rollback started (kept so a resumed rollback reports its real start)
   * @param at when this state was recorded
   * @param status the outcome status, for FINISHED; null otherwise
   */
  public record Entry(String eventId, String breachId, String service, State state, Instant startedAt, Instant at,
      String status) {}

  private final Path dir;
  private final Path file;
  private final Duration retention;
  private final Map<String, Entry> byEvent = new LinkedHashMap<>();
  private final Map<String, Entry> byBreach = new HashMap<>();
  private FileChannel channel;
  private long records;
  private long truncatedBytes;

  private DedupStore(Path dir, Duration retention) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.retention = retention;
  }

  /** Opens (creating) the store in {@code dir}, recovers it, and compacts entries older than the retention at {@code now}. */
  public static DedupStore open(Path dir, Duration retention, Instant now) throws IOException {
    DedupStore s = new DedupStore(dir, retention);
    Files.createDirectories(dir);
    s.recover();
    s.compact(now);
    return s;
  }

  /** The progress of the event {@code eventId}, else of any event of {@code breachId}; the further one wins. */
  public synchronized Optional<Entry> find(String eventId, String breachId) {
    Entry a = byEvent.get(eventId);
    Entry b = byBreach.get(breachId);
    if (a == null) {
      return Optional.ofNullable(b);
    }
    return Optional.of(b != null && b.state().ordinal() > a.state().ordinal() ? b : a);
  }

  /** Records that traffic for {@code e} was moved; durable when it returns. */
  public synchronized void moved(BreachEvent e, Instant startedAt, Instant at) throws IOException {
    append(new Entry(e.eventId(), e.breachId(), e.service(), State.MOVED, startedAt, at, null));
  }

  /** Records that {@code e} finished with {@code status} and its outcome was acknowledged; durable when it returns. */
  public synchronized void finished(BreachEvent e, String status, Instant startedAt, Instant at) throws IOException {
    append(new Entry(e.eventId(), e.breachId(), e.service(), State.FINISHED, startedAt, at, status));
  }

  /** Every live entry, oldest first. */
  public synchronized List<Entry> entries() {
    return List.copyOf(byEvent.values());
  }

  /** Bytes cut off the end of the file at recovery (a torn tail), 0 when it was whole. */
  public synchronized long truncatedBytes() {
    return truncatedBytes;
  }

  /**
   * Drops entries last changed before {@code now - retention}, and rewrites the file when it holds
   * records no longer needed.
   */
  public synchronized void compact(Instant now) throws IOException {
    Instant cutoff = now.minus(retention);
    boolean dropped = byEvent.values().removeIf(en -> en.at().isBefore(cutoff));
    if (dropped) {
      byBreach.values().removeIf(en -> en.at().isBefore(cutoff));
    }
    if (dropped || records > 2L * byEvent.size() + 1024) {
      rewrite();
    }
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
    ByteBuffer header = ByteBuffer.allocate(8);
    while (pos + 8 <= size) {
      header.clear();
      channel.read(header, pos);
      header.flip();
      int length = header.getInt();
      int crc = header.getInt();
      if (length <= 0 || length > MAX_RECORD || pos + 8 + length > size) {
        break;
      }
      ByteBuffer payload = ByteBuffer.allocate(length);
      channel.read(payload, pos + 8);
      if (crc(payload.array()) != crc) {
        break;
      }
      Entry en;
      try {
        en = decode(payload.array());
      } catch (IOException | RuntimeException ex) {
        break;
      }
      index(en);
      records++;
      pos += 8 + length;
    }
    if (pos < size) {
      truncatedBytes = size - pos;
      channel.truncate(pos);
      channel.force(true);
    }
    channel.position(pos);
  }

  private void append(Entry en) throws IOException {
    if (channel == null) {
      throw new IOException("the de-duplication store is closed");
    }
    channel.write(ByteBuffer.wrap(frame(en)));
    channel.force(false);
    index(en);
    records++;
  }

  private void rewrite() throws IOException {
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (Entry en : live()) {
        out.write(ByteBuffer.wrap(frame(en)));
      }
      out.force(true);
    }
    channel.close();
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory();
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    channel.position(channel.size());
    records = live().size();
  }

  /** Entries to keep: every event's own entry, plus breach entries no event entry already carries. */
  private Collection<Entry> live() {
    List<Entry> out = new ArrayList<>(byEvent.values());
    for (Entry b : byBreach.values()) {
      Entry own = byEvent.get(b.eventId());
      if (own == null) {
        out.add(b);
      }
    }
    return out;
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open a directory; the rename is then as durable as they allow.
    }
  }

  private void index(Entry en) {
    byEvent.merge(en.eventId(), en, DedupStore::further);
    byBreach.merge(en.breachId(), en, DedupStore::further);
  }

  private static Entry further(Entry old, Entry neu) {
    return neu.state().ordinal() >= old.state().ordinal() ? neu : old;
  }

  private static byte[] frame(Entry en) throws IOException {
    byte[] payload = encode(en);
    return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt(crc(payload)).put(payload).array();
  }

  private static byte[] encode(Entry en) throws IOException {
    ObjectNode o = JSON.createObjectNode()
        .put("eventId", en.eventId()).put("breachId", en.breachId()).put("service", en.service())
        .put("state", en.state().name()).put("startedAt", en.startedAt().toString()).put("at", en.at().toString());
    if (en.status() != null) {
      o.put("status", en.status());
    }
    byte[] b = JSON.writeValueAsBytes(o);
    if (b.length > MAX_RECORD) {
      throw new IOException("de-duplication record longer than " + MAX_RECORD + " bytes");
    }
    return b;
  }

  private static Entry decode(byte[] payload) throws IOException {
    JsonNode o = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
    return new Entry(o.get("eventId").asText(), o.get("breachId").asText(), o.get("service").asText(),
        State.valueOf(o.get("state").asText()), Instant.parse(o.get("startedAt").asText()),
        Instant.parse(o.get("at").asText()), o.hasNonNull("status") ? o.get("status").asText() : null);
  }

  private static int crc(byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue();
  }

  // Stub until the shared record log lands: recovery then counts records skipped as corrupt.
  private long corruptRecords;

  /** Records skipped as corrupt at recovery (0 when the file was whole). */
  public synchronized long corruptRecords() {
    return corruptRecords;
  }
}

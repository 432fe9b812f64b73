package dev.vigil.events;

import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: every event is appended to a local log before it is sent, and marked done
 * when Kafka acknowledges it.
 *
 * <p>Files in the outbox directory, both {@link RecordLog}s (framing, fsync, recovery, compaction
 * are its; the payloads are {@link OutboxRecords}'): {@code outbox.log} holds events and done
 * markers; {@code dead-letter.log} holds the events Kafka can never accept ({@link #deadLetter}).
 *
 * <p>Recovery ({@link #open}): events without a done marker are pending, in append order. Only a
 * torn tail is cut; a corrupt record in the middle is skipped and counted ({@link
 * #corruptRecords}), and every intact record after it is kept. When every event is done the file
 * is emptied; when most of a large file is done, the pending events are rewritten.
 *
 * <p>Capacity: at most {@code capacity} pending events. A full outbox refuses the new event (an
 * ERROR line and a {@link Refused} result) and keeps the oldest.
 *
 * <p>Blocking file I/O: never call it on an event loop. Thread-safe: every method is synchronized.
 */
public final class Outbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  static final String FILE = "outbox.log";
  static final String DEAD_LETTER_FILE = "dead-letter.log";
  /** The largest record of either file. */
  static final int MAX_RECORD = 4 << 20;
  private static final long COMPACT_BYTES = 4L << 20;

  private final Path dir;
  private final int capacity;
  private final Map<Long, Entry> pending = new LinkedHashMap<>();
  private RecordLog log;
  private RecordLog deadLetters;
  private long nextSeq = 1;
  private long pendingBytes;

  /** One pending event with its local sequence number. */
  public record Entry(long seq, SignedEvent event) {}

  /** An event moved out of the queue because Kafka can never accept it; {@code reason} is a metric label. */
  public record DeadLetter(long seq, SignedEvent event, String reason, String detail, Instant at) {
    public DeadLetter {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(at, "at");
    }
  }

  /** What {@link #read} found in an outbox directory, without changing it. */
  public record Snapshot(List<Entry> pending, RecordLog.Recovery log, List<DeadLetter> deadLetters,
      Optional<RecordLog.Recovery> deadLetterLog) {}

  /** The outcome of {@link #append}. */
  public sealed interface AppendResult permits Written, Refused {}

  /** The event is on disk (fsync'd) as {@code seq}. */
  public record Written(long seq) implements AppendResult {}

  /** The event was not written: the outbox is full (or the disk failed); the reason says which. */
  public record Refused(String reason) implements AppendResult {}

  private Outbox(Path dir, int capacity) {
    this.dir = dir;
    this.capacity = capacity;
  }

  /** Opens (creating if needed) the outbox in {@code dir} and recovers its pending events. */
  public static Outbox open(Path dir, int capacity) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    Files.createDirectories(dir);
    Outbox o = new Outbox(dir, capacity);
    long[] maxSeq = {0};
    o.log = RecordLog.open(dir.resolve(FILE), MAX_RECORD, (offset, payload) -> {
      maxSeq[0] = Math.max(maxSeq[0], o.apply(payload));
    });
    o.nextSeq = maxSeq[0] + 1;
    if (!o.pending.isEmpty()) {
      LOG.info("outbox {}: {} events from before the restart await Kafka", o.log.file(), o.pending.size());
    }
    o.maybeCompact();
    return o;
  }

  /** Reads the outbox in {@code dir} (which another process may be writing) without changing it. */
  public static Snapshot read(Path dir) throws IOException {
    Map<Long, Entry> pending = new LinkedHashMap<>();
    RecordLog.Recovery r = RecordLog.read(dir.resolve(FILE), MAX_RECORD, (offset, payload) -> {
      OutboxRecords.Decoded d = OutboxRecords.decode(payload);
      if (d.event() == null) {
        pending.remove(d.seq());
      } else {
        pending.put(d.seq(), new Entry(d.seq(), d.event()));
      }
    });
    List<DeadLetter> dead = new ArrayList<>();
    Optional<RecordLog.Recovery> deadLog = Optional.empty();
    Path deadFile = dir.resolve(DEAD_LETTER_FILE);
    if (Files.exists(deadFile)) {
      deadLog = Optional.of(RecordLog.read(deadFile, MAX_RECORD,
          (offset, payload) -> dead.add(OutboxRecords.decodeDeadLetter(payload))));
    }
    return new Snapshot(List.copyOf(pending.values()), r, List.copyOf(dead), deadLog);
  }

  /** Appends {@code event} and forces it to disk; returns only after it is durable, or refuses it. */
  public synchronized AppendResult append(SignedEvent event) {
    if (pending.size() >= capacity) {
      String reason = "outbox full: " + pending.size() + " events await Kafka (capacity " + capacity
          + "); refusing " + event.type() + " " + event.id() + " and keeping the oldest";
      LOG.error("{}", reason);
      return new Refused(reason);
    }
    long seq = nextSeq;
    byte[] payload = OutboxRecords.event(seq, event);
    try {
      log.append(payload);
    } catch (IOException e) {
      String reason = "cannot write the outbox " + log.file() + ": " + e.getMessage();
      LOG.error("{}; refusing {} {}", reason, event.type(), event.id());
      return new Refused(reason);
    }
    nextSeq++;
    pending.put(seq, new Entry(seq, event));
    pendingBytes += RecordLog.HEADER + payload.length;
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

  /** Bytes cut off a torn or corrupt tail at the last recovery (0 when the file ended intact). */
  public synchronized long truncatedBytes() {
    return log.recovery().tailBytes();
  }

  /** Records skipped or cut as corrupt at the last recovery (constitutional_events_outbox_corrupt_records_total). */
  public synchronized long corruptRecords() {
    return log.recovery().corruptRecords();
  }

  /**
   * Marks {@code seqs} done (Kafka acknowledged them), durably; compacts when the log allows. Unknown
   * or already acknowledged sequence numbers are ignored.
   */
  public synchronized void acknowledge(List<Long> seqs) throws IOException {
    List<byte[]> markers = new ArrayList<>(seqs.size());
    for (long seq : seqs) {
      if (pending.containsKey(seq)) {
        markers.add(OutboxRecords.done(seq));
      }
    }
    if (markers.isEmpty()) {
      return;
    }
    log.append(markers);
    for (long seq : seqs) {
      forget(seq);
    }
    maybeCompact();
  }

  /**
   * Moves the pending event {@code seq} to {@code dead-letter.log} (forced) and marks it done, so the
   * events behind it are sent. A crash in between leaves it pending: it is tried (and moved) again.
   */
  public synchronized void deadLetter(long seq, String reason, String detail, Instant at) throws IOException {
    Entry e = pending.get(seq);
    if (e == null) {
      return;
    }
    if (deadLetters == null) {
      deadLetters = RecordLog.open(dir.resolve(DEAD_LETTER_FILE), MAX_RECORD, (offset, payload) -> {});
    }
    deadLetters.append(OutboxRecords.deadLetter(new DeadLetter(seq, e.event(), reason, detail, at)));
    acknowledge(List.of(seq));
  }

  public Path deadLetterFile() {
    return dir.resolve(DEAD_LETTER_FILE);
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      log.close();
    } finally {
      if (deadLetters != null) {
        deadLetters.close();
      }
    }
  }

  private long apply(byte[] payload) throws IOException {
    OutboxRecords.Decoded d = OutboxRecords.decode(payload);
    if (d.event() == null) {
      forget(d.seq());
    } else {
      pending.put(d.seq(), new Entry(d.seq(), d.event()));
      pendingBytes += RecordLog.HEADER + payload.length;
    }
    return d.seq();
  }

  private void forget(long seq) {
    Entry e = pending.remove(seq);
    if (e != null) {
      pendingBytes -= RecordLog.HEADER + OutboxRecords.event(seq, e.event()).length;
    }
  }

  private void maybeCompact() throws IOException {
    long size = log.size();
    if (pending.isEmpty()) {
      if (size > 0) {
        log.clear(); // everything is done: an empty log says the same (old or empty, both all done)
      }
      return;
    }
    if (size < COMPACT_BYTES || pendingBytes * 2 > size) {
      return;
    }
    List<byte[]> live = new ArrayList<>(pending.size());
    for (Entry e : pending.values()) {
      live.add(OutboxRecords.event(e.seq(), e.event()));
    }
    log.rewrite(live);
    LOG.info("outbox {} compacted from {} to {} bytes ({} events pending)", log.file(), size, log.size(),
        pending.size());
  }
}

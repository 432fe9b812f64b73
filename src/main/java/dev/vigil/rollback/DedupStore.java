package dev.vigil.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller did for each breach event, on disk, so that a redelivered event (same
 * {@code id}, or another event of the same {@code breachId}) is recognised after a restart.
 *
 * <p>States: NEW (absent) → {@link State#MOVED} (traffic moved; validation and report pending) →
 * {@link State#FINISHED} (outcome acknowledged by the sink). Seeing an event again: FINISHED →
 * skip as {@code duplicate}; MOVED → do not move again, but validate and report.
 *
 * <p>File {@code dedup.log} in the store's directory: a {@link RecordLog} (framing, fsync before a
 * write returns, recovery, compaction are its) of UTF-8 JSON records. Recovery cuts only a torn
 * tail; a corrupt record in the middle is skipped and counted ({@link #corruptRecords}), every
 * intact record after it kept. Size is bounded: entries whose last change is older than the
 * retention are dropped, and the file is rewritten when it holds far more records than live
 * entries.
 *
 * <p>Thread-safe: writes (and compaction) hold a lock of their own across their fsync, the index
 * a short one, so {@link #find} never waits for the disk and may be called from an event loop.
 * Everything else blocks: call it from a worker thread, never the event loop.
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

  private final Duration retention;
  private final Map<String, Entry> byEvent = new LinkedHashMap<>();
  private final Map<String, Entry> byBreach = new HashMap<>();
  /** Held across the log's I/O (append, rewrite); taken before {@code this}, never after. */
  private final Object io = new Object();
  private RecordLog log;
  private long records;

  private DedupStore(Duration retention) {
    this.retention = retention;
  }

  /** Opens (creating) the store in {@code dir}, recovers it, and compacts entries older than the retention at {@code now}. */
  public static DedupStore open(Path dir, Duration retention, Instant now) throws IOException {
    DedupStore s = new DedupStore(retention);
    Files.createDirectories(dir);
    s.log = RecordLog.open(dir.resolve(FILE), MAX_RECORD, (offset, payload) -> {
      s.index(decode(payload));
      s.records++;
    });
    s.compact(now);
    return s;
  }

  /** Every entry of the store in {@code dir} and what the scan found, without changing it (another process may write it). */
  public static Snapshot read(Path dir) throws IOException {
    DedupStore s = new DedupStore(Duration.ZERO);
    RecordLog.Recovery r = RecordLog.read(dir.resolve(FILE), MAX_RECORD, (offset, payload) -> s.index(decode(payload)));
    return new Snapshot(List.copyOf(s.byEvent.values()), r);
  }

  /** What {@link #read} found. */
  public record Snapshot(List<Entry> entries, RecordLog.Recovery log) {}

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
  public void moved(BreachEvent e, Instant startedAt, Instant at) throws IOException {
    append(List.of(new Entry(e.eventId(), e.breachId(), e.service(), State.MOVED, startedAt, at, null)));
  }

  /** Records that {@code e} finished with {@code status} and its outcome was acknowledged; durable when it returns. */
  public void finished(BreachEvent e, String status, Instant startedAt, Instant at) throws IOException {
    append(List.of(new Entry(e.eventId(), e.breachId(), e.service(), State.FINISHED, startedAt, at, status)));
  }

  /**
   * Records {@code entries} (FINISHED, their outcomes acknowledged) in order with one fsync; all are
   * durable when it returns, none is recorded when it throws.
   */
  public void finished(List<Entry> entries) throws IOException {
    for (Entry en : entries) {
      if (en.state() != State.FINISHED || en.status() == null) {
        throw new IllegalArgumentException("not a finished entry: " + en);
      }
    }
    append(entries);
  }

  /** Every live entry, oldest first. */
  public synchronized List<Entry> entries() {
    return List.copyOf(byEvent.values());
  }

  /** Bytes cut off the end of the file at recovery (a torn tail), 0 when it was whole. */
  public synchronized long truncatedBytes() {
    return log.recovery().tailBytes();
  }

  /**
   * Records skipped as corrupt at recovery (constitutional_rollback_store_corrupt_records_total):
   * each may be a decision forgotten, so an event it covered must not be trusted as unhandled.
   */
  public synchronized long corruptRecords() {
    return log.recovery().corruptRecords();
  }

  /**
   * Drops entries last changed before {@code now - retention}, and rewrites the file when it holds
   * records no longer needed.
   */
  public void compact(Instant now) throws IOException {
    synchronized (io) {
      Instant cutoff = now.minus(retention);
      List<byte[]> payloads = null;
      synchronized (this) {
        boolean dropped = byEvent.values().removeIf(en -> en.at().isBefore(cutoff));
        if (dropped) {
          byBreach.values().removeIf(en -> en.at().isBefore(cutoff));
        }
        if (dropped || records > 2L * byEvent.size() + 1024) {
          Collection<Entry> live = live();
          payloads = new ArrayList<>(live.size());
          for (Entry en : live) {
            payloads.add(encode(en));
          }
        }
      }
      if (payloads != null) {
        // Writes wait on io meanwhile, so the index cannot change before the file matches it.
        log.rewrite(payloads);
        synchronized (this) {
          records = payloads.size();
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (io) {
      log.close();
    }
  }

  /** Appends {@code entries} with one fsync, then indexes them (only then does {@link #find} see them). */
  private void append(List<Entry> entries) throws IOException {
    if (entries.isEmpty()) {
      return;
    }
    List<byte[]> payloads = new ArrayList<>(entries.size());
    for (Entry en : entries) {
      payloads.add(encode(en));
    }
    synchronized (io) {
      log.append(payloads);
      synchronized (this) {
        for (Entry en : entries) {
          index(en);
        }
        records += entries.size();
      }
    }
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

  private void index(Entry en) {
    byEvent.merge(en.eventId(), en, DedupStore::further);
    byBreach.merge(en.breachId(), en, DedupStore::further);
  }

  private static Entry further(Entry old, Entry neu) {
    return neu.state().ordinal() >= old.state().ordinal() ? neu : old;
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
}

package dev.vigil.state;

import dev.vigil.recordlog.RecordLog;
import dev.vigil.score.TargetId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The embedded store: {@code state.log} in {@code state.dir}, a {@link RecordLog} (framing, fsync
 * before a save returns, crash recovery) of {@link SnapshotCodec} records, snapshots and
 * tombstones; the last record of a target wins. When the file holds more than twice the bytes of
 * the live snapshots (and at least {@link #COMPACT_MIN_BYTES}), it is rewritten with the live ones
 * only. A record in a format this version cannot read makes {@link #open} fail, naming the file
 * and the byte offset, without changing the file.
 *
 * <p>Keeps the encoded live snapshots in memory (a few hundred bytes per target). Thread-safe
 * (synchronized); blocking file I/O.
 */
public final class LocalStateStore implements StateStore {
  public static final String FILE = "state.log";
  static final int MAX_RECORD = 1 << 20;
  static final long COMPACT_MIN_BYTES = 1 << 20;

  private final RecordLog log;
  private final Clock clock;
  private final Map<TargetId, byte[]> live = new HashMap<>();
  private long liveBytes;

  private LocalStateStore(RecordLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Opens (creating) the store in {@code dir} and reads what it holds. */
  public static LocalStateStore open(Path dir, Clock clock) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    Map<TargetId, byte[]> found = new HashMap<>();
    StateFormatException[] refused = new StateFormatException[1];
    RecordLog log = RecordLog.open(file, MAX_RECORD, (offset, payload) -> {
      if (refused[0] != null) {
        return;
      }
      try {
        SnapshotCodec.Decoded d = SnapshotCodec.decode(payload);
        if (d instanceof SnapshotCodec.Saved) {
          found.put(d.target(), payload);
        } else {
          found.remove(d.target());
        }
      } catch (StateFormatException e) {
        refused[0] = new StateFormatException("the state file " + file + " holds a record at byte " + offset
            + " this Vigil cannot read: " + e.getMessage());
      }
    });
    if (refused[0] != null) {
      log.close();
      throw refused[0];
    }
    LocalStateStore s = new LocalStateStore(log, clock);
    found.forEach(s::index);
    return s;
  }

  @Override
  public String source() {
    return "local";
  }

  @Override
  public synchronized Map<TargetId, TargetSnapshot> load(Predicate<TargetId> which) throws IOException {
    Map<TargetId, TargetSnapshot> out = new TreeMap<>();
    for (Map.Entry<TargetId, byte[]> e : live.entrySet()) {
      if (which.test(e.getKey())) {
        out.put(e.getKey(), SnapshotCodec.decodeSnapshot(e.getValue()));
      }
    }
    return out;
  }

  @Override
  public synchronized void save(Collection<TargetSnapshot> snapshots) throws IOException {
    List<byte[]> records = new ArrayList<>(snapshots.size());
    for (TargetSnapshot s : snapshots) {
      records.add(SnapshotCodec.encode(s));
    }
    if (records.isEmpty()) {
      return;
    }
    log.append(records);
    int i = 0;
    for (TargetSnapshot s : snapshots) {
      index(s.target(), records.get(i++));
    }
    compactIfWorthIt();
  }

  @Override
  public synchronized void drop(Collection<TargetId> targets) throws IOException {
    List<byte[]> records = new ArrayList<>();
    for (TargetId t : targets) {
      records.add(SnapshotCodec.encodeTombstone(t, clock.instant()));
    }
    if (records.isEmpty()) {
      return;
    }
    log.append(records);
    for (TargetId t : targets) {
      byte[] old = live.remove(t);
      if (old != null) {
        liveBytes -= RecordLog.HEADER + old.length;
      }
    }
    compactIfWorthIt();
  }

  /** Bytes of the file and of its live records, for tests and tools. */
  synchronized long[] sizes() {
    return new long[] {log.size(), liveBytes};
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }

  private void index(TargetId id, byte[] record) {
    byte[] old = live.put(id, record);
    liveBytes += RecordLog.HEADER + record.length - (old == null ? 0 : RecordLog.HEADER + old.length);
  }

  private void compactIfWorthIt() throws IOException {
    if (log.size() >= COMPACT_MIN_BYTES && log.size() > 2 * liveBytes) {
      log.rewrite(new ArrayList<>(live.values()));
    }
  }
}

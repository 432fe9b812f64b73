package dev.vigil.rollout;

import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollouts' durable state: each transition's {@link Rollout} appended to {@code rollouts.log}
 * (a {@link RecordLog}: framing, fsync before a write returns, torn-tail recovery, crash-safe
 * rewrite) in the rollback controller's store directory; the last record of a service wins. The
 * runtime records an intent (a weight to set) before it acts and the outcome after, so a restart
 * neither skips nor repeats a step. The file is rewritten to the live records when it holds far
 * more.
 *
 * <p>Thread-safe (synchronized). Blocking: call from a worker thread, never an event loop.
 */
public final class RolloutStore implements AutoCloseable {
  static final String FILE = "rollouts.log";
  private static final int MAX_RECORD = 256 * 1024;

  private final Map<String, Rollout> latest = new LinkedHashMap<>();
  private RecordLog log;
  private long records;

  private RolloutStore() {}

  /** Opens (creating) the store in {@code dir} and recovers the last state of every service. */
  public static RolloutStore open(Path dir) throws IOException {
    RolloutStore s = new RolloutStore();
    Files.createDirectories(dir);
    s.log = RecordLog.open(dir.resolve(FILE), MAX_RECORD, (offset, payload) -> {
      Rollout r = RolloutCodec.decode(payload);
      s.latest.put(r.service(), r);
      s.records++;
    });
    return s;
  }

  /** Records {@code r} as its service's current state; durable when it returns. */
  public synchronized void record(Rollout r) throws IOException {
    byte[] b = RolloutCodec.encode(r);
    if (b.length > MAX_RECORD) {
      throw new IOException("rollout record longer than " + MAX_RECORD + " bytes");
    }
    log.append(b);
    latest.put(r.service(), r);
    if (++records > 4L * latest.size() + 1024) {
      List<byte[]> live = new ArrayList<>();
      for (Rollout l : latest.values()) {
        live.add(RolloutCodec.encode(l));
      }
      log.rewrite(live);
      records = live.size();
    }
  }

  /** The last recorded state of every service that had a rollout, in first-recorded order. */
  public synchronized List<Rollout> latest() {
    return List.copyOf(latest.values());
  }

  /** Records skipped as corrupt at recovery. */
  public synchronized long corruptRecords() {
    return log.recovery().corruptRecords();
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }
}

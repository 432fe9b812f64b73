package dev.vigil.monitor;

import dev.vigil.attest.Verdict;
import dev.vigil.config.EvidenceConfig;
import dev.vigil.events.RollbackFinished;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.SignedCheckpoint;
import dev.vigil.http.EvidenceApi;
import dev.vigil.poll.PollResult;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the monitor's evidence log (evidence-v1 section 1) as a {@link MonitorListener}: a
 * {@code verdict} entry when a target's verdict differs from its previous one (its first poll after
 * a start included) and otherwise one per target per {@code evidence.sampleInterval}; a
 * {@code breach.opened} / {@code breach.resolved} entry per transition; each with the poll's nonce
 * and the exact DSSE envelope the service returned, when there was one. Every {@code
 * checkpointInterval}, when the log grew, it signs a checkpoint with the monitor's event key,
 * writes it to {@code <dir>/}{@value #CHECKPOINT_FILE} (atomically) and hands it to the publisher
 * (Kafka's {@code constitutional.checkpoints} through an outbox, when configured).
 *
 * <p>Threads: the listener methods run on the monitor's context and only build the entry and queue
 * it; appends, fsyncs (batched, at most {@code flushInterval} apart), checkpoints and retention run
 * on one thread of its own ({@code vigil-evidence}), never on an event loop. The queue holds at most
 * {@value #QUEUE} entries; beyond it an entry is dropped and logged (the disk cannot keep up). The
 * {@link EvidenceApi} methods are thread-safe (the log synchronizes).
 */
final class EvidenceRecorder implements MonitorListener, EvidenceApi, AutoCloseable {
  /** The latest signed checkpoint, in the log's directory. */
  static final String CHECKPOINT_FILE = "checkpoint.txt";
  static final int QUEUE = 100_000;
  /** Entries pruned at one time at most (the rest at the next checkpoint tick). */
  static final long PRUNE_STEP = 1_000_000;
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceRecorder.class);

  private final EvidenceLog log;
  private final NoteKey key;
  private final EvidenceConfig config;
  private final Clock clock;
  private final Path dir;
  private final Consumer<String> publish;
  private final ScheduledThreadPoolExecutor writer;
  /** Monitor context only: when each target's last verdict entry was made. */
  private final Map<TargetId, Instant> lastRecorded = new HashMap<>();
  /** Monitor context only: the poll just reported, whose envelope a transition right after it carries. */
  private PollResult lastPoll;
  private final Map<Entry.Kind, Counter> appended = new EnumMap<>(Entry.Kind.class);
  private final AtomicLong logBytes = new AtomicLong();
  private final AtomicLong checkpointSize = new AtomicLong();
  private final AtomicLong checkpointTime = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile String latestNote;
  private long lastCheckpointed = -1;
  /** Writer thread only: keys of the rollback entries in the log; null until the first rollback event. */
  private java.util.Set<String> rollbacksRecorded;

  /**
   * @param key the monitor's event key as a note key, or null: entries are recorded, checkpoints not signed
   * @param publish receives each signed checkpoint (on the writer thread, may block), or null
   */
  EvidenceRecorder(EvidenceLog log, NoteKey key, EvidenceConfig config, Path dir, Clock clock, MeterRegistry registry,
      Consumer<String> publish) {
    this.log = log;
    this.key = key;
    this.config = config;
    this.dir = dir;
    this.clock = clock;
    this.publish = publish;
    for (Entry.Kind k : Entry.Kind.values()) {
      appended.put(k, Counter.builder("constitutional.evidence.entries").description("Entries appended to the evidence log")
          .tag("kind", k.wire()).register(registry));
    }
    Gauge.builder("constitutional.evidence.log.bytes", logBytes, AtomicLong::get)
        .description("Size of the evidence log on disk").register(registry);
    Gauge.builder("constitutional.evidence.checkpoint.size", checkpointSize, AtomicLong::get)
        .description("Tree size of the latest signed checkpoint").register(registry);
    Gauge.builder("constitutional.evidence.checkpoint.timestamp.seconds", checkpointTime, AtomicLong::get)
        .description("Unix time of the latest signed checkpoint").register(registry);
    logBytes.set(log.bytes());
    writer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-evidence");
      t.setDaemon(true);
      return t;
    });
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    writer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  /** Starts the flush and checkpoint timers; signs a checkpoint of what the log already holds. */
  void start() {
    long flushEvery = Math.max(10, config.flushInterval().toMillis() / 2);
    writer.scheduleWithFixedDelay(this::flushIfDue, flushEvery, flushEvery, TimeUnit.MILLISECONDS);
    long cpEvery = config.checkpointInterval().toMillis();
    writer.scheduleWithFixedDelay(this::checkpointIfGrown, cpEvery, cpEvery, TimeUnit.MILLISECONDS);
    writer.execute(this::checkpointIfGrown);
    if (key == null) {
      LOG.warn("evidence is recorded in {} but its checkpoints are not signed: events.signingKey is not set", dir);
    }
  }

  @Override
  public void onPoll(PollResult r, Verdict previous) {
    lastPoll = r;
    Instant at = r.finishedAt();
    Instant last = lastRecorded.get(r.target());
    boolean changed = previous != r.verification().verdict() || last == null;
    if (!changed && at.isBefore(last.plus(config.sampleInterval()))) {
      return;
    }
    lastRecorded.put(r.target(), at);
    enqueue(new Entry(0, at, log.monitorId(), r.target().service(), r.target().environment(), Entry.Kind.VERDICT,
        r.verification().verdict().label(), r.verification().detail(), r.nonce(), r.envelope(), null));
  }

  @Override
  public void onTransition(BreachTransition t) {
    Breach b = t.breach();
    boolean opened = t.kind() == BreachTransition.Kind.OPENED;
    PollResult poll = lastPoll != null && lastPoll.target().equals(b.target()) ? lastPoll : null;
    String detail = "rule " + b.rule() + " (" + b.severity().label() + "): observed " + b.observed() + ", expected "
        + b.expected() + ", compliance score " + b.complianceScore();
    enqueue(new Entry(0, opened ? b.openedAt() : b.resolvedAt(), log.monitorId(), b.target().service(),
        b.target().environment(), opened ? Entry.Kind.BREACH_OPENED : Entry.Kind.BREACH_RESOLVED,
        b.verdict() == null ? null : b.verdict().label(), detail, poll == null ? null : poll.nonce(),
        poll == null ? null : poll.envelope(), b.breachId()));
  }

  /**
   * Records a verified {@code rollback.finished} of the rollback controller (from its topic, read from
   * the start at every start of the monitor): one entry per rollback that ran ({@code skipped}
   * answers, duplicates among them, are not transitions), for the side traffic moved away from, with
   * the status as its verdict. One already in the log (a restart re-reads the topic) is not recorded
   * again: the writer scans the log's rollback entries once, at the first such event. From any thread.
   */
  void onRollbackFinished(RollbackFinished f) {
    if (f.status() == RollbackFinished.Status.SKIPPED) {
      return;
    }
    Entry e = new Entry(0, f.finishedAt(), log.monitorId(), f.service(), f.from(), Entry.Kind.ROLLBACK_FINISHED,
        f.status().label(), f.detail(), null, null, f.breachId());
    try {
      writer.execute(() -> {
        if (rollbacksRecorded().add(rollbackKey(e))) {
          append(e);
        }
      });
    } catch (RejectedExecutionException ex) {
      drop(e, "the evidence log is closed");
    }
  }

  /** Writer thread only: the rollbacks already in the log, read once. */
  private java.util.Set<String> rollbacksRecorded() {
    if (rollbacksRecorded == null) {
      rollbacksRecorded = new java.util.HashSet<>();
      byte[] marker = "\"rollback.finished\"".getBytes(StandardCharsets.UTF_8);
      try {
        long size = log.size();
        for (long from = log.first(); from < size; from += 10_000) {
          for (byte[] bytes : log.read(from, Math.min(size, from + 10_000))) {
            if (contains(bytes, marker)) {
              Entry old = Entry.parse(bytes);
              if (old.kind() == Entry.Kind.ROLLBACK_FINISHED) {
                rollbacksRecorded.add(rollbackKey(old));
              }
            }
          }
        }
      } catch (IOException | Entry.Malformed | RuntimeException ex) {
        LOG.warn("cannot read the evidence log's rollback entries ({}): a rollback recorded before this start may be"
            + " recorded again", ex.getMessage());
      }
    }
    return rollbacksRecorded;
  }

  private static String rollbackKey(Entry e) {
    return e.breachId() + "|" + e.service() + "|" + e.environment() + "|" + e.time() + "|" + e.verdict();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Appends {@code e} on the writer thread (from any thread). */
  void enqueue(Entry e) {
    if (writer.getQueue().size() >= QUEUE) {
      drop(e, "the evidence writer is " + QUEUE + " entries behind");
      return;
    }
    try {
      writer.execute(() -> append(e));
    } catch (RejectedExecutionException ex) {
      drop(e, "the evidence log is closed");
    }
  }

  private void drop(Entry e, String why) {
    if (dropped.incrementAndGet() % 1000 == 1) {
      LOG.error("evidence entry dropped ({} so far): {}: {}", dropped.get(), why, e);
    }
  }

  private void append(Entry e) {
    try {
      log.append(e);
      appended.get(e.kind()).increment();
      logBytes.set(log.bytes());
    } catch (IOException | RuntimeException ex) {
      LOG.error("cannot append to the evidence log {}: {} ({} lost)", dir, ex.getMessage(), e);
    }
  }

  private void flushIfDue() {
    try {
      log.flushIfDue();
      logBytes.set(log.bytes());
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot flush the evidence log {}: {}", dir, e.getMessage());
    }
  }

  /** Applies retention, then signs, stores and publishes a checkpoint when the log grew since the last one. */
  private void checkpointIfGrown() {
    try {
      retain();
    } catch (IOException | RuntimeException e) {
      LOG.error("evidence retention on {} failed (the log is unchanged or pruned whole): {}", dir, e.getMessage());
    }
    try {
      checkpointNow(false);
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot make an evidence checkpoint of {}: {}", dir, e.getMessage());
    }
  }

  /**
   * Prunes entries older than {@code retention.maxAge} or beyond {@code retention.maxBytes} (down to
   * 90 % of it), at most {@value #PRUNE_STEP} a time, and only when it is worth a copy of the entries
   * kept: above {@code maxBytes}, or when a tenth of the entries held may go. Writer thread only.
   */
  void retain() throws IOException {
    long first = log.first();
    long cut = log.retentionCut(clock.instant().minus(config.maxAge()), config.maxBytes(), PRUNE_STEP);
    long held = log.durableSize() - first;
    if (cut > first && (log.bytes() > config.maxBytes() || (cut - first) * 10 >= held)) {
      log.prune(cut);
      logBytes.set(log.bytes());
      LOG.info("evidence retention: entries {}..{} pruned (their leaf hashes kept in {}); {} entries held, {} bytes",
          first, cut - 1, dev.vigil.evidence.PrunedPrefix.FILE, log.durableSize() - cut, log.bytes());
    }
  }

  /** Writer thread only. */
  private void checkpointNow(boolean always) throws IOException {
    log.flush();
    logBytes.set(log.bytes());
    if (key == null || !always && (log.size() == lastCheckpointed || log.size() == 0)) {
      return;
    }
    Checkpoint cp = log.checkpoint();
    String note = SignedCheckpoint.sign(cp, key);
    Path tmp = dir.resolve(CHECKPOINT_FILE + ".tmp");
    Files.writeString(tmp, note, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, dir.resolve(CHECKPOINT_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(CHECKPOINT_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
    lastCheckpointed = cp.size();
    latestNote = note;
    checkpointSize.set(cp.size());
    checkpointTime.set(clock.instant().getEpochSecond());
    if (publish != null) {
      try {
        publish.accept(note);
      } catch (RuntimeException e) {
        LOG.error("cannot publish the evidence checkpoint of size {}: {}", cp.size(), e.getMessage());
      }
    }
  }

  /** Runs {@code task} on the writer thread after everything queued before it; for tests and shutdown. */
  java.util.concurrent.Future<?> submit(Runnable task) {
    return writer.submit(task);
  }

  /** Appends what is queued, flushes, signs a last checkpoint when the log grew, and closes the log. */
  @Override
  public void close() {
    try {
      writer.submit(this::checkpointIfGrown).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | RejectedExecutionException e) {
      LOG.error("evidence: the last checkpoint was not made: {}", e.toString());
    }
    writer.shutdown();
    try {
      writer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      log.close();
    } catch (IOException e) {
      LOG.error("closing the evidence log {}: {}", dir, e.getMessage());
    }
  }

  // EvidenceApi, for the HTTP server (any thread)

  @Override
  public String checkpoint() {
    return latestNote;
  }

  @Override
  public String noCheckpointReason() {
    return key == null ? "the monitor has no event key (events.signingKey) to sign checkpoints with"
        : "none made yet (one is made every " + dev.vigil.config.Durations.format(config.checkpointInterval())
            + " when the log grew)";
  }

  @Override
  public long size() {
    return log.durableSize();
  }

  @Override
  public long first() {
    return log.first();
  }

  @Override
  public List<byte[]> entries(long start, long end) throws IOException {
    return log.read(start, end);
  }

  @Override
  public List<byte[]> inclusionProof(long index, long size) {
    return log.inclusionProof(index, size);
  }

  @Override
  public List<byte[]> consistencyProof(long from, long to) {
    return log.consistencyProof(from, to);
  }

  /** The log (tests, the demo). */
  EvidenceLog log() {
    return log;
  }

  Duration flushInterval() {
    return config.flushInterval();
  }
}

package dev.vigil.poll;

import dev.vigil.score.TargetId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The scheduler's planning, with time as an argument (monotonic nanoseconds): each target's due
 * times, the spread of first starts, and which due polls may start now within the concurrency
 * budget. No timers, no I/O.
 *
 * <p>Fairness: a target is in one of three lanes. {@link Lane#ANSWERING} (its last poll got an HTTP
 * response or a verdict other than {@code timeout}/{@code unreachable}) starts first, then
 * {@link Lane#NEW} (never polled), then {@link Lane#SILENT} (its last poll timed out or found it
 * unreachable). Silent targets share a smaller budget ({@link #silentBudget}: a quarter of the
 * concurrency, at least 1) and, while any wait, that budget stays reserved for them, so a fleet of
 * blackholed targets holds at most that many slots and never delays an answering one; silent
 * targets are polled as often as their budget allows. Within a lane, due polls start in FIFO order.
 *
 * <p>Not thread-safe: the {@link Scheduler} calls it from its one Vert.x context.
 */
public final class PollPlan {
  /** Where a target's next poll queues, in order of precedence. */
  public enum Lane { ANSWERING, NEW, SILENT }

  /** A poll that may start now; hand it back to {@link #finished}. */
  public static final class Start {
    private final Entry entry;
    private final Lane lane;
    private final Duration lag;

    private Start(Entry entry, Lane lane, Duration lag) {
      this.entry = entry;
      this.lane = lane;
      this.lag = lag;
    }

    public TargetId id() {
      return entry.id;
    }

    /** The lane the poll started from (its budget until it finishes). */
    public Lane lane() {
      return lane;
    }

    /** Start minus due time, never negative. */
    public Duration lag() {
      return lag;
    }
  }

  private static final class Entry {
    final TargetId id;
    Duration interval;
    long due;
    Lane lane = Lane.NEW;
    boolean queued;
    boolean running;
    boolean removed;

    Entry(TargetId id) {
      this.id = id;
    }
  }

  private final int concurrency;
  private final int silentBudget;
  private final double jitter;
  private final DoubleSupplier random;
  private final Map<TargetId, Entry> entries = new HashMap<>();
  private final Map<Lane, ArrayDeque<Entry>> ready = new EnumMap<>(Lane.class);
  private final Map<Lane, Integer> inFlight = new EnumMap<>(Lane.class);

  /**
   * @param jitter share of the interval (0..1) over which first starts are spread
   * @param random uniform values in [0, 1) for the spread
   */
  public PollPlan(int concurrency, double jitter, DoubleSupplier random) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.concurrency = concurrency;
    this.silentBudget = Math.max(1, concurrency / 4);
    this.jitter = jitter;
    this.random = random;
    for (Lane l : Lane.values()) {
      ready.put(l, new ArrayDeque<>());
      inFlight.put(l, 0);
    }
  }

  /**
   * Plans {@code id} and returns its first due time, {@code now} plus a random share of
   * {@code jitter × interval}; for a target already planned, only its interval changes and the
   * result is -1 (its next due time stands).
   */
  public long add(TargetId id, Duration interval, long now) {
    Entry e = entries.get(id);
    if (e != null) {
      e.interval = interval;
      return -1;
    }
    e = new Entry(id);
    e.interval = interval;
    e.due = now + (long) (random.getAsDouble() * jitter * interval.toNanos());
    entries.put(id, e);
    return e.due;
  }

  /** Forgets {@code id}; a poll of it already running keeps its slot until {@link #finished}. */
  public void remove(TargetId id) {
    Entry e = entries.remove(id);
    if (e != null) {
      e.removed = true;
      if (e.queued) {
        ready.get(e.lane).remove(e);
        e.queued = false;
      }
    }
  }

  /** Marks {@code id}'s poll as due (its due time has come): it queues in its lane. */
  public void due(TargetId id) {
    Entry e = entries.get(id);
    if (e != null && !e.queued && !e.running) {
      e.queued = true;
      ready.get(e.lane).add(e);
    }
  }

  /** The due polls that may start at {@code now}, in order; each now holds a slot of its lane. */
  public List<Start> startable(long now) {
    List<Start> out = new ArrayList<>();
    while (total() < concurrency) {
      Lane lane = nextLane();
      if (lane == null) {
        break;
      }
      Entry e = ready.get(lane).poll();
      e.queued = false;
      e.running = true;
      inFlight.merge(lane, 1, Integer::sum);
      out.add(new Start(e, lane, Duration.ofNanos(Math.max(0, now - e.due))));
    }
    return out;
  }

  /**
   * Releases {@code start}'s slot and returns the target's next due time (its previous due time
   * plus whole intervals, the first not before {@code now}), or -1 when it is no longer planned.
   *
   * @param silent true when the poll ended {@code timeout} or {@code unreachable} with no HTTP
   *     response, false when it got an answer, null when unknown (the lane stays as it was)
   */
  public long finished(Start start, Boolean silent, long now) {
    Entry e = start.entry;
    inFlight.merge(start.lane, -1, Integer::sum);
    e.running = false;
    if (silent != null) {
      e.lane = silent ? Lane.SILENT : Lane.ANSWERING;
    }
    if (e.removed) {
      return -1;
    }
    long step = e.interval.toNanos();
    long next = e.due + step;
    if (next < now) {
      next += ((now - next) / step + 1) * step;
    }
    e.due = next;
    return next;
  }

  /** Polls holding a slot. */
  public int inFlight() {
    return total();
  }

  /** Polls holding a slot of {@code lane}. */
  public int inFlight(Lane lane) {
    return inFlight.get(lane);
  }

  /** Polls due but waiting for a slot. */
  public int queued() {
    int n = 0;
    for (ArrayDeque<Entry> q : ready.values()) {
      n += q.size();
    }
    return n;
  }

  /** The slots silent targets may hold at most. */
  public int silentBudget() {
    return silentBudget;
  }

  /** The lane of {@code id}'s next poll, or null when it is not planned. */
  public Lane lane(TargetId id) {
    Entry e = entries.get(id);
    return e == null ? null : e.lane;
  }

  private Lane nextLane() {
    boolean silentWaiting = !ready.get(Lane.SILENT).isEmpty();
    int reserved = silentWaiting ? Math.min(silentBudget, concurrency - 1) : 0;
    int answeringOrNew = inFlight.get(Lane.ANSWERING) + inFlight.get(Lane.NEW);
    int forOthers = concurrency - Math.max(reserved, inFlight.get(Lane.SILENT));
    if (answeringOrNew < forOthers) {
      if (!ready.get(Lane.ANSWERING).isEmpty()) {
        return Lane.ANSWERING;
      }
      if (!ready.get(Lane.NEW).isEmpty()) {
        return Lane.NEW;
      }
    }
    if (silentWaiting && inFlight.get(Lane.SILENT) < silentBudget) {
      return Lane.SILENT;
    }
    return null;
  }

  private int total() {
    int n = 0;
    for (int v : inFlight.values()) {
      n += v;
    }
    return n;
  }
}

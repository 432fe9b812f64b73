package dev.vigil.state;

import dev.vigil.config.StateConfig;
import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's side of durable state: loads snapshots (and judges their age), remembers which
 * targets changed, and saves them at most every {@code state.flushInterval}, on demand (a shard
 * being revoked, a breach opening or resolving) and at close. The store's blocking I/O runs on
 * Vert.x workers, one call after another in the order they were asked (so a drop is never
 * overtaken by an older save).
 *
 * <p>Confined to the Vert.x context that created it (the monitor's polling loop): every method
 * is called there and every returned future completes there.
 */
public final class StateKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(StateKeeper.class);

  private final Vertx vertx;
  private final StateStore store;
  private final StateConfig config;
  private final Clock clock;
  private final BiFunction<TargetId, Instant, Optional<TargetSnapshot>> capture;
  private final ObjIntConsumer<String> restoredCounter;
  private final Set<TargetId> changed = new LinkedHashSet<>();
  private long timer = -1;
  private boolean flushing;
  private boolean closed;

  /** What a load found: snapshots to restore, and stale ones of which only the open breaches count. */
  public record Loaded(Map<TargetId, TargetSnapshot> fresh, Map<TargetId, TargetSnapshot> staleBreaches) {
    public Loaded {
      fresh = Map.copyOf(fresh);
      staleBreaches = Map.copyOf(staleBreaches);
    }

    /** Every snapshot to restore: the fresh ones and, of the stale ones, only their open breaches. */
    public Map<TargetId, TargetSnapshot> all() {
      Map<TargetId, TargetSnapshot> out = new TreeMap<>(staleBreaches);
      out.putAll(fresh);
      return out;
    }
  }

  /**
   * @param capture the snapshot of a known target at a time (on this context), empty for an unknown one
   * @param restoredCounter adds to {@code constitutional_monitor_state_restored_total{source}}
   */
  public StateKeeper(Vertx vertx, StateStore store, StateConfig config, Clock clock,
      BiFunction<TargetId, Instant, Optional<TargetSnapshot>> capture, ObjIntConsumer<String> restoredCounter) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.capture = capture;
    this.restoredCounter = restoredCounter;
    restoredCounter.accept(store.source(), 0);
  }

  /** {@code local} or {@code kafka}. */
  public String source() {
    return store.source();
  }

  /** Starts the periodic flush of changed targets. */
  public void start() {
    long ms = Math.max(1, config.flushInterval().toMillis());
    timer = vertx.setPeriodic(ms, ms, id -> flushChanged());
  }

  /**
   * Loads the snapshots of the targets {@code which} accepts. Those at least {@code state.maxAge}
   * old are not trusted to judge: their windows, counts and sequence are discarded (one INFO line
   * for all of them), their open breaches kept. Counts the fresh ones as restored.
   */
  public Future<Loaded> load(Predicate<TargetId> which) {
    return vertx.executeBlocking(() -> store.load(which), true).map(all -> {
      Instant now = clock.instant();
      Map<TargetId, TargetSnapshot> fresh = new TreeMap<>();
      Map<TargetId, TargetSnapshot> stale = new TreeMap<>();
      Instant oldest = null;
      int ahead = 0;
      for (TargetSnapshot s : all.values()) {
        boolean future = s.savedAt().isAfter(now);
        if (future || s.olderThan(config.maxAge(), now)) {
          stale.put(s.target(), s.breachesOnly());
          if (future) {
            ahead++;
          } else if (oldest == null || s.savedAt().isBefore(oldest)) {
            oldest = s.savedAt();
          }
        } else {
          fresh.put(s.target(), s);
        }
      }
      if (stale.size() > ahead) {
        LOG.info("state of {} target(s) discarded: saved more than state.maxAge ({}) ago (the oldest at {}), a stale"
            + " window must not judge now; their open breaches are kept", stale.size() - ahead, config.maxAge(), oldest);
      }
      if (ahead > 0) {
        LOG.warn("state of {} target(s) discarded: saved after now ({}) by a clock running ahead of this one; their"
            + " open breaches are kept", ahead, now);
      }
      restoredCounter.accept(store.source(), fresh.size());
      return new Loaded(fresh, stale);
    });
  }

  /** Notes that {@code id} changed: it is saved at the next flush. */
  public void changed(TargetId id) {
    changed.add(id);
  }

  /** Captures {@code ids} now and saves them; completes once they are durable. */
  public Future<Void> flush(Collection<TargetId> ids) {
    if (closed) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    List<TargetSnapshot> snapshots = new ArrayList<>();
    for (TargetId id : ids) {
      changed.remove(id);
      capture.apply(id, now).ifPresent(snapshots::add);
    }
    if (snapshots.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      store.save(snapshots);
      return null;
    }, true);
  }

  /** Saves every target changed since its last save; completes once they are durable. */
  public Future<Void> flushChanged() {
    if (flushing || changed.isEmpty()) {
      return Future.succeededFuture();
    }
    flushing = true;
    List<TargetId> ids = List.copyOf(changed);
    return flush(ids).onComplete(r -> {
      flushing = false;
      if (r.failed()) {
        changed.addAll(ids);
        LOG.error("cannot save the target state to {}: {}; retrying at the next flush", store.source(),
            r.cause().getMessage());
      }
    });
  }

  /** Drops the state of {@code ids} (tombstones); completes once durable. */
  public Future<Void> drop(Collection<TargetId> ids) {
    if (closed || ids.isEmpty()) {
      return Future.succeededFuture();
    }
    changed.removeAll(ids);
    List<TargetId> copy = List.copyOf(ids);
    return vertx.executeBlocking(() -> {
      store.drop(copy);
      return null;
    }, true);
  }

  /** Stops the timer, saves what changed, and closes the store. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    flushing = false;
    Future<Void> last = flushChanged();
    closed = true;
    return last.eventually(() -> vertx.executeBlocking(() -> {
      store.close();
      return null;
    }, true));
  }
}

package dev.vigil.monitor;

import dev.vigil.attest.Verdict;
import dev.vigil.config.PolicyConfig;
import dev.vigil.config.TargetConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.http.MonitorSnapshot;
import dev.vigil.http.TargetStatus;
import dev.vigil.poll.HttpProbe;
import dev.vigil.poll.PollResult;
import dev.vigil.poll.PollTarget;
import dev.vigil.poll.Poller;
import dev.vigil.poll.Scheduler;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.Scorer;
import dev.vigil.score.TargetId;
import dev.vigil.state.StateKeeper;
import dev.vigil.state.StateStore;
import dev.vigil.state.TargetSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor: polls every configured target on its schedule, verifies, scores, opens and resolves
 * breaches, updates metrics and hands breach transitions to the {@link EventSink}.
 *
 * <p>Confined to the Vert.x context it was started on: call every method there, except {@link
 * #version()}, {@link #isReady()} and {@link #targetCount()} (volatile, any thread). The HTTP server
 * runs on other event loops and reads {@link #snapshot()}s. Verification runs on a worker pool,
 * never on the event loop. The monitor measures its own delays ({@link OverloadTracker}): while
 * they are above {@code overload.*}, reachability rules are held, and a poll that ran during an
 * overload is the monitor's fault, not the target's. With a state store ({@link #keepState}) it
 * restores its targets' state at start (open breaches continue under their ids) and saves it as it
 * changes ({@link StateKeeper}).
 *
 * <p>Stopping ({@link #stopJudging}, the first step of {@link #stop}) ends its judging for good
 * before anything closes: polling stops, the polls in flight are abandoned (counted in one INFO
 * line), and no poll result is judged after it. What the monitor's own shutdown cuts off (the
 * HTTP client closing under a poll) thus never becomes a verdict, a breach, an evidence entry or
 * saved state; the state saved at stop is the state as of the stop's beginning.
 */
public final class Monitor {
  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
  private static final int RECENT_RESOLVED = 50;
  /** The fleet score is a mean over every target: refreshed on a timer, not on every poll. */
  private static final long FLEET_SCORE_PERIOD_MS = 1_000;
  /** An overload ends once no delay has been above its threshold for this long. */
  private static final java.time.Duration OVERLOAD_CLEAR_AFTER = java.time.Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Clock clock;
  private final EventSink sink;
  private final MonitorMetrics metrics;
  private final Random random;
  private final List<MonitorListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<TargetId, State> states = new LinkedHashMap<>();
  private final Deque<Breach> resolved = new ArrayDeque<>();
  private final dev.vigil.http.PollHistory history = new dev.vigil.http.PollHistory();
  private VigilConfig config;
  private Scorer scorer;
  private Scheduler scheduler;
  private Poller poller;
  private HttpProbe probe;
  private WorkerExecutor verifyPool;
  private long fleetTimer = -1;
  private List<String> relaxed = List.of();
  /** The fleet scores as of the last refresh (every second), for snapshots. */
  private Map<String, Double> fleet = Map.of();
  private OverloadTracker overload;
  private OverloadSampler sampler;
  private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean ready;
  private volatile int targetCount;
  /** Durable target state; null when off. */
  private StateStore stateStore;
  private StateKeeper state;
  private boolean announcedPartitioned;
  /** Set once {@link #stopJudging} ran: no poll result is judged any more. */
  private boolean stopping;
  /** The configured targets this instance polls: all, or a group member's shards ({@link #restrictTo}). */
  private java.util.function.Predicate<TargetId> owned = id -> true;

  private static final class State {
    PollTarget target;
    /** The last poll's verdict (null before the first), detail, signed, responded and end: what the API shows of it. */
    Verdict lastVerdict;
    String lastDetail;
    boolean lastSigned;
    boolean lastResponded;
    Instant lastAt;
    Instant changedAt;
    long polls;
    /** The score as of the last poll (computed then anyway, for the gauge). */
    Double score;
  }

  public Monitor(Vertx vertx, Clock clock, EventSink sink, MonitorMetrics metrics, Random random) {
    this.vertx = vertx;
    this.clock = clock;
    this.sink = sink;
    this.metrics = metrics;
    this.random = random;
  }

  public void addListener(MonitorListener l) {
    listeners.add(l);
  }

  /** Keeps target state in {@code store} (restored at start, saved as it changes); call before {@link #start}. */
  public void keepState(StateStore store) {
    this.stateStore = store;
  }

  /**
   * From now on polls only the configured targets {@code owned} accepts (a group member: the targets
   * of its shards), and re-applies the targets when running. A target it stops polling that the
   * scorer still knows is treated as removed from the configuration: {@link #releaseState} targets
   * that move to another monitor first. Call before {@link #start}, or on this monitor's context.
   */
  public void restrictTo(java.util.function.Predicate<TargetId> owned) {
    this.owned = java.util.Objects.requireNonNull(owned, "owned");
    if (scheduler != null) {
      applyTargets(config);
    }
  }

  /** Starts polling the targets of {@code initial}, after restoring their saved state. */
  public Future<Void> start(VigilConfig initial) {
    this.config = initial;
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    verifyPool = vertx.createSharedWorkerExecutor("vigil-verify", workers);
    probe = new HttpProbe(vertx, 8);
    poller = new Poller(vertx, probe, verifyPool, clock);
    poller.restartWindow(initial.scoring().window());
    scheduler = new Scheduler(vertx, initial.polling().concurrency(), initial.polling().jitter(), random, metrics::recordLag);
    scorer = newScorer(initial);
    overload = new OverloadTracker(initial.overload().eventLoopDelay(), initial.overload().workerQueueWait(),
        OVERLOAD_CLEAR_AFTER);
    sampler = new OverloadSampler(overload, vertx.getOrCreateContext(), verifyPool, initial.overload().sampleInterval(),
        this::setOverloaded);
    if (stateStore != null) {
      state = new StateKeeper(vertx, stateStore, initial.state(), clock, this::capture, metrics::recordRestored);
    }
    return restoreState(owned).map(restored -> {
      applyTargets(initial);
      fleetTimer = vertx.setPeriodic(FLEET_SCORE_PERIOD_MS, id -> {
        fleet = fleetScores();
        metrics.setFleetScores(fleet);
      });
      if (state != null) {
        state.start();
      }
      metrics.setReloadSuccessful(true);
      LOG.info("monitor {} polling {} targets ({} restored)", initial.monitorId(), targetCount, restored);
      return null;
    });
  }

  /**
   * Loads the saved state of the targets {@code which} accepts and restores it into the scorer and
   * the poller (a restart, or targets moving here): open breaches continue under their ids. A target
   * restored but not configured is removed by the next {@link #applyTargets}. Completes with the
   * count of snapshots restored whole (not stale); 0 without durable state.
   */
  public Future<Integer> restoreState(java.util.function.Predicate<TargetId> which) {
    if (state == null) {
      return Future.succeededFuture(0);
    }
    return state.load(which).map(loaded -> {
      Instant now = clock.instant();
      loaded.all().forEach((id, snap) -> {
        handle(scorer.restore(id, snap.memory(), now));
        if (snap.lastSequence() != null) {
          poller.restoreSequence(id, snap.lastSequence());
        }
      });
      announcePartition();
      return loaded.fresh().size();
    });
  }

  /** Saves the state of {@code ids} now (e.g. before they move to another monitor); completes once durable. */
  public Future<Void> flushState(java.util.Collection<TargetId> ids) {
    return state == null ? Future.succeededFuture() : state.flush(ids);
  }

  /**
   * Stops polling {@code ids} and abandons their polls in flight, unjudged: targets about to move to
   * another monitor, whose state is then saved ({@link #flushState}) as of now and released. A later
   * {@link #restrictTo} or reload that keeps them polls them again.
   */
  public void pause(java.util.Collection<TargetId> ids) {
    for (TargetId id : ids) {
      scheduler.unschedule(id);
    }
    poller.abandon(ids);
  }

  /** Forgets {@code ids} in the scorer without resolving their breaches (they continue on another monitor). */
  public void releaseState(java.util.Collection<TargetId> ids) {
    scorer.release(ids);
    poller.retain(new java.util.HashSet<>(states.keySet()));
  }

  private java.util.Optional<TargetSnapshot> capture(TargetId id, Instant at) {
    return scorer.memory(id).map(m -> new TargetSnapshot(id, at, poller.sequence(id), m));
  }

  /** Applies a validated new configuration: targets added, removed and changed; rules replaced. */
  public void reload(VigilConfig next) {
    boolean scoringChanged = !next.rules().equals(config.rules()) || !next.scoring().equals(config.scoring())
        || next.polling().partitionThreshold() != config.polling().partitionThreshold()
        || next.polling().partitionMinTargets() != config.polling().partitionMinTargets();
    boolean overloadChanged = !next.overload().equals(config.overload());
    this.config = next;
    poller.restartWindow(next.scoring().window());
    if (scoringChanged) {
      handle(scorer.reconfigure(next.rules(), next.scoring().window(), next.polling().partitionThreshold(),
          next.polling().partitionMinTargets(), clock.instant()));
    }
    applyTargets(next);
    if (overloadChanged) {
      LOG.warn("overload settings changed; they take effect at the next restart");
    }
    reloaded(true, List.of());
    LOG.info("configuration reloaded: {} targets", next.targets().size());
  }

  /** Records a refused reload: the running configuration stays. */
  public void reloadFailed(List<String> errors) {
    reloaded(false, errors);
    LOG.error("configuration reload refused ({} errors); the previous configuration keeps running: {}",
        errors.size(), errors);
  }

  private void reloaded(boolean ok, List<String> errors) {
    metrics.setReloadSuccessful(ok);
    version.incrementAndGet();
    listeners.forEach(l -> l.onReload(ok, errors));
  }

  /**
   * The first step of stopping, on its own for a caller that has work to do between it and {@link
   * #stop} (a group member handing its shards over, their state as of now): stops polling and the
   * overload sampler and fleet score timers, abandons the polls in flight, and from now on judges no
   * poll. Logs their count at INFO when some were cut off. Idempotent; does not block.
   */
  public void stopJudging() {
    if (stopping) {
      return;
    }
    stopping = true;
    if (fleetTimer >= 0) {
      vertx.cancelTimer(fleetTimer);
    }
    if (scheduler != null) {
      scheduler.stop();
    }
    if (sampler != null) {
      sampler.close();
    }
    int cut = poller == null ? 0 : poller.abandon();
    if (cut > 0) {
      LOG.info("monitor stopping: {} poll(s) in flight abandoned, not judged", cut);
    }
  }

  /**
   * Stops: {@link #stopJudging}, then closes the HTTP client (nothing is in flight any more), saves
   * what changed before the stop began and closes the state store, and closes the verification pool.
   */
  public Future<Void> stop() {
    stopJudging();
    Future<Void> closed = probe == null ? Future.succeededFuture() : probe.close().otherwise(e -> {
      LOG.warn("closing the HTTP client of the polls: {}", e.getMessage());
      return null;
    });
    Future<Void> saved = closed.compose(v -> state != null ? state.close() : Future.<Void>succeededFuture())
        .otherwise(e -> {
          LOG.error("the target state could not be saved at shutdown: {}", e.getMessage());
          return null;
        });
    return saved.compose(v -> verifyPool == null ? Future.succeededFuture() : verifyPool.close());
  }

  /** Polls started and not ended yet (tests). */
  int pollsInFlight() {
    return scheduler == null ? 0 : scheduler.inFlight();
  }

  /** The targets' recent polls for the status pages; read from any thread. */
  public dev.vigil.http.PollHistory history() {
    return history;
  }

  public VigilConfig config() {
    return config;
  }

  /** True once every target has finished at least one poll. */
  public boolean ready() {
    return !states.isEmpty() && states.values().stream().allMatch(s -> s.lastVerdict != null);
  }

  /** As {@link #ready()}, as of the last poll or reload; from any thread. */
  public boolean isReady() {
    return ready;
  }

  /** Targets polled under the running configuration; from any thread. */
  public int targetCount() {
    return targetCount;
  }

  /** See {@link MonitorView#version()}; from any thread. */
  public long version() {
    return version.get();
  }

  public boolean overloaded() {
    return scorer.overloaded();
  }

  /**
   * Everything the HTTP server shows, at once. Cheap on the polling loop: scores are those of each
   * target's last poll, fleet scores those of the last refresh (at most a second old).
   */
  public MonitorSnapshot snapshot() {
    return new MonitorSnapshot(config.monitorId(), clock.instant(), targets(true), fleet, partitioned(),
        scorer.overloaded(), scorer.overloadedSince().orElse(null), overload.eventLoopDelay(),
        overload.workerQueueWait(), openBreaches(), recentlyResolved(), relaxed);
  }

  private void setOverloaded(boolean on) {
    if (scorer == null || on == scorer.overloaded()) {
      return;
    }
    scorer.setOverloaded(on, clock.instant());
    metrics.setOverloaded(on);
    version.incrementAndGet();
    String why = on
        ? "the monitor's own event-loop delay (" + overload.eventLoopDelay().toMillis() + " ms) or verification queue wait ("
            + overload.workerQueueWait().toMillis() + " ms) is above its threshold: availability and latency breaches are held"
        : "the monitor's own delays are back under their thresholds: overload cleared";
    if (on) {
      LOG.warn("monitor overloaded: {}", why);
    } else {
      LOG.info("{}", why);
    }
    listeners.forEach(l -> l.onOverload(on, why));
  }

  public boolean partitioned() {
    return scorer.partitioned();
  }

  /**
   * Per environment, the mean of the targets' scores as of their last polls (the per-target gauges),
   * as metrics-v1 defines the fleet score; targets not polled yet are left out. A sum over the
   * kept scores, not a window recomputed per target: it runs every second over every target.
   */
  public Map<String, Double> fleetScores() {
    Map<String, double[]> sums = new java.util.HashMap<>();
    for (Map.Entry<TargetId, State> e : states.entrySet()) {
      Double score = e.getValue().score;
      if (score != null) {
        double[] acc = sums.computeIfAbsent(e.getKey().environment(), env -> new double[2]);
        acc[0] += score;
        acc[1]++;
      }
    }
    Map<String, Double> out = new java.util.TreeMap<>();
    sums.forEach((env, acc) -> out.put(env, acc[0] / acc[1]));
    return java.util.Collections.unmodifiableMap(out);
  }

  public List<Breach> openBreaches() {
    return scorer.openBreaches();
  }

  /** The most recently resolved breaches, newest first. */
  public List<Breach> recentlyResolved() {
    return List.copyOf(resolved);
  }

  public List<TargetStatus> targets() {
    return targets(false);
  }

  /** @param lastScores each target's score as of its last poll instead of now */
  private List<TargetStatus> targets(boolean lastScores) {
    Instant now = clock.instant();
    List<TargetStatus> out = new ArrayList<>(states.size());
    for (Map.Entry<TargetId, State> e : states.entrySet()) {
      State s = e.getValue();
      TargetConfig c = s.target.config();
      OptionalDouble score = lastScores
          ? (s.score == null ? OptionalDouble.empty() : OptionalDouble.of(s.score))
          : scorer.score(e.getKey(), now);
      boolean polled = s.lastVerdict != null;
      out.add(new TargetStatus(e.getKey(), s.target.endpoint(c.mode() == TargetConfig.Mode.LEGACY_HEALTH ? "/health"
          : c.attestationPath()).toString(), c.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          s.lastVerdict, polled ? s.lastDetail : "not polled yet", polled && s.lastSigned, polled && s.lastResponded,
          s.lastAt, s.changedAt, score.isPresent() ? score.getAsDouble() : null, s.polls,
          scorer.openBreaches(e.getKey())));
    }
    return out;
  }

  private Scorer newScorer(VigilConfig c) {
    return new Scorer(c.rules(), c.scoring().window(), c.polling().partitionThreshold(), c.polling().partitionMinTargets());
  }

  private void applyTargets(VigilConfig c) {
    Map<TargetId, PollTarget> wanted = new LinkedHashMap<>();
    for (TargetConfig t : c.targets()) {
      if (!owned.test(t.id())) {
        continue;
      }
      PolicyConfig policy = c.policyFor(t.environment());
      wanted.put(t.id(), PollTarget.of(t, policy, c.polling().maxResponseBytes(), c.polling().retryBackoff()));
    }
    for (TargetId id : List.copyOf(states.keySet())) {
      if (!wanted.containsKey(id)) {
        scheduler.unschedule(id);
        states.remove(id);
      }
    }
    java.util.Set<TargetId> removed = new java.util.TreeSet<>(scorer.known());
    removed.removeAll(wanted.keySet());
    for (Map.Entry<TargetId, PollTarget> e : wanted.entrySet()) {
      State s = states.computeIfAbsent(e.getKey(), k -> new State());
      s.target = e.getValue();
      TargetId id = e.getKey();
      scheduler.schedule(id, e.getValue().config().interval(), () -> pollOnce(id));
    }
    poller.retain(wanted.keySet());
    history.retain(wanted);
    metrics.setTargets(wanted.keySet());
    metrics.setTlsRelaxed(wanted.keySet(), dev.vigil.config.RelaxedVerification.targets(c));
    relaxed = dev.vigil.config.RelaxedVerification.of(c).stream().map(Object::toString).toList();
    List<BreachTransition> gone = scorer.setTargets(wanted.keySet(), clock.instant());
    gone.forEach(t -> LOG.info("breach {} resolved: target removed from configuration", t.breach().breachId()));
    handle(gone);
    if (state != null && !removed.isEmpty()) {
      LOG.info("target(s) removed from configuration, their state dropped: {}", removed);
      state.drop(removed).onFailure(e -> LOG.error("cannot drop the state of {}: {}", removed, e.getMessage()));
    }
    announcePartition();
    targetCount = states.size();
    ready = ready();
    version.incrementAndGet();
  }

  private Future<?> pollOnce(TargetId id) {
    State s = states.get(id);
    if (s == null) {
      return Future.succeededFuture();
    }
    PollTarget target = s.target;
    long started = System.nanoTime();
    io.opentelemetry.api.trace.Span span = PollSpans.start(id);
    // After stopJudging no poll succeeds: the poller ends them all with Poller.Abandoned.
    return poller.poll(target, span).onSuccess(r -> {
      PollSpans.result(span, r);
      try {
        current = span;
        onResult(id, target, r, overload.overlapped(started, System.nanoTime()));
      } finally {
        current = null;
        span.end();
      }
    }).onFailure(e -> {
      span.end();
      if (!(e instanceof Poller.Abandoned)) {
        LOG.error("poll of {} failed unexpectedly", id, e);
      }
    });
  }

  /** The poll span whose result is being handled (event loop only; null outside onResult). */
  private io.opentelemetry.api.trace.Span current;

  /** @param monitorFault the poll ran while the monitor was overloaded */
  private void onResult(TargetId id, PollTarget target, PollResult r, boolean monitorFault) {
    State s = states.get(id);
    if (s == null || s.target != target && !s.target.config().equals(target.config())) {
      return;
    }
    Verdict previous = s.lastVerdict;
    if (previous != r.verification().verdict()) {
      s.changedAt = r.finishedAt();
      version.incrementAndGet();
    }
    String detail = r.verification().detail();
    s.lastVerdict = r.verification().verdict();
    s.lastDetail = detail.equals(s.lastDetail) ? s.lastDetail : detail;
    s.lastSigned = r.verification().signed();
    s.lastResponded = r.responded();
    s.lastAt = r.finishedAt();
    s.polls++;
    if (r.attesterRestart()) {
      LOG.info("attester of {} restarted: its sequence stepped back once to {}; the baseline restarts from it",
          id, r.verification().statement().sequence());
    }
    if (!ready) {
      ready = ready();
    }
    List<BreachTransition> transitions =
        scorer.observe(r.toObservation(), target.policy().expectedHash(), monitorFault);
    OptionalDouble score = scorer.lastScore(id);
    s.score = score.isPresent() ? score.getAsDouble() : null;
    metrics.recordPoll(r, score);
    history.record(r, s.score);
    if (state != null) {
      state.changed(id);
      if (!transitions.isEmpty()) {
        state.flush(List.of(id)).onFailure(e -> {
          state.changed(id);
          LOG.error("cannot save the state of {} after a breach transition: {}", id, e.getMessage());
        });
      }
    }
    announcePartition();
    for (MonitorListener l : listeners) {
      l.onPoll(r, previous);
    }
    handle(transitions);
  }

  /** Tells metrics, logs and listeners when the scorer's partition flag differs from the one last told. */
  private void announcePartition() {
    if (scorer.partitioned() != announcedPartitioned) {
      version.incrementAndGet();
      boolean p = scorer.partitioned();
      announcedPartitioned = p;
      metrics.setPartitioned(p);
      String why = p
          ? "most targets failed with transport verdicts at once: the monitor is likely cut off; availability and latency breaches are held"
          : "targets answer again: partition cleared";
      if (p) {
        LOG.error("monitor partitioned: {}", why);
      } else {
        LOG.warn("{}", why);
      }
      listeners.forEach(l -> l.onPartition(p, why));
    }
  }

  private void handle(List<BreachTransition> transitions) {
    if (!transitions.isEmpty()) {
      version.incrementAndGet();
    }
    for (BreachTransition t : transitions) {
      metrics.recordTransition(t);
      if (t.kind() == BreachTransition.Kind.RESOLVED) {
        resolved.addFirst(t.breach());
        while (resolved.size() > RECENT_RESOLVED) {
          resolved.removeLast();
        }
      }
      PollSpans.Transition traced = PollSpans.transition(t, current);
      try {
        sink.publish(t);
      } catch (RuntimeException e) {
        LOG.error("event sink refused {} for {}", t.kind(), t.breach().breachId(), e);
      } finally {
        traced.close();
      }
      listeners.forEach(l -> l.onTransition(t));
    }
  }
}

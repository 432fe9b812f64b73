package dev.vigil.score;

import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns poll observations into compliance scores and breach transitions: sliding windows per
 * target, the breach rules, open/resolved breach state, and partition detection.
 *
 * <p><b>Pure and single-threaded.</b> No I/O, no clock, no Vert.x: every time is passed in
 * ({@link Observation#at()} or a {@code now} argument). Not thread-safe: call it from one context
 * only (e.g. one Vert.x event loop or verticle).
 *
 * <h2>Targets and windows</h2>
 * Only the targets given to {@link #setTargets} are known; observations of any other target are
 * ignored. Per target the scorer keeps the observations younger than the <em>retention</em>, the
 * longest of the scoring window and every rule's window, pruned on each {@link #observe}. A window
 * of length {@code w} ending at {@code t} holds the observations with {@code t - w < at <= t}, so
 * with 30 s polls a 180 s window holds 6 of them. An observation older than the target's newest
 * recorded one is ignored (per target, time only moves forward); one at the same instant is
 * recorded.
 *
 * <h2>Score</h2>
 * A target's score at {@code now} is the share of {@link Verdict#COMPLIANT} observations in the
 * scoring window ending at {@code now}; every other verdict, including the transport ones, counts
 * against it.
 *
 * <h2>Partition</h2>
 * After each observation is recorded (and after {@link #setTargets}), the monitor is
 * <em>partitioned</em> when at least {@code partitionMinTargets} targets are known and the share of
 * known targets whose last observation has an availability verdict ({@link
 * Verdict#isAvailability()}) is at least {@code partitionThreshold}; a known target with no
 * observation yet counts as not unreachable. While partitioned, rules of kind {@link
 * RuleKind#AVAILABILITY}, {@link RuleKind#LATENCY_P95} and {@link RuleKind#COMPLIANCE_SCORE} (the
 * kinds a cut-off monitor cannot judge) are not evaluated at all: their counts
 * are not touched, and their breaches are neither opened nor resolved. Every other rule is
 * evaluated as usual. Callers that act on a change compare {@link #partitioned()} with what they last saw.
 * Polls made while the monitor judged itself partitioned (every observation recorded while
 * partitioned, and each target's last observation when a partition begins if it has an
 * availability verdict) are attributed to the partition ({@link TargetMemory.Attribution#PARTITION}):
 * they stay out of every window, the score's included, during and after the partition. They are
 * evidence of the monitor's reachability, not the target's: counting them would open availability
 * and latency breaches on every target the moment the partition heals, and keep every score below
 * the compliance alert's threshold for a scoring window. They are still the target's last
 * observation (partition detection reads it), and the verdict rules ({@code hash_mismatch},
 * {@code integrity}) still judge them. Where partition detection applies, the kinds a partition
 * suspends also need at least two consecutive failing evaluations (whatever the rule says), so
 * the first targets of the poll round that cuts the monitor off do not open breaches before the
 * partition is recognised: a single target that is down opens one poll later.
 *
 * <h2>Overload</h2>
 * The monitor's own overload (its event loop or verification workers running late, measured by
 * the caller and given to {@link #setOverloaded}) is handled like a partition: while overloaded,
 * the kinds a partition suspends are not evaluated, and the transport failures recorded meanwhile
 * (and each target's last observation when the overload begins, if it is a transport failure) stay
 * out of their windows afterwards ({@link TargetMemory.Attribution#MONITOR}). An observation the caller marks as the monitor's fault ({@link
 * #observe(Observation, String, boolean)}: the poll ran while the monitor was overloaded, even if
 * it finished after) is treated the same way whatever its verdict: those kinds are not evaluated
 * for it and it stays out of their windows (a slow probe is then the monitor's delay, not the
 * target's). It still counts in the score and in every other rule.
 *
 * <h2>Rules and breaches</h2>
 * Each enabled rule is evaluated once per recorded observation of a target, in the order the
 * rules were given, to FAILING, HOLDING or NO_EVIDENCE:
 * <ul>
 *   <li>{@code HASH_MISMATCH}: failing on {@code hash_mismatch}; holding on {@code compliant} or
 *       {@code compliance_inactive} (the hash was verified); otherwise no evidence.
 *   <li>{@code INTEGRITY}: failing on any other integrity verdict; holding on {@code compliant},
 *       {@code compliance_inactive} or {@code hash_mismatch}; otherwise no evidence. An
 *       unreachable service is never an integrity failure.
 *   <li>{@code COMPLIANCE_SCORE}: the score over the rule's window; failing below the threshold.
 *   <li>{@code AVAILABILITY}: the share of observations with {@link Observation#responded()};
 *       failing below the threshold.
 *   <li>{@code LATENCY_P95}: in seconds, the larger of the nearest-rank p95 of the probe durations
 *       and the largest signed {@code slo.p95LatencyMs}; failing above the threshold.
 *   <li>{@code ERROR_RATE}: the mean signed {@code slo.errorRate}; failing above the threshold;
 *       no evidence when no observation in the window carries one.
 *   <li>{@code THROUGHPUT}: the mean signed {@code slo.requestsPerSecond}; failing below the
 *       threshold; no evidence likewise.
 * </ul>
 * Per (target, rule) the scorer counts consecutive failing evaluations: no evidence leaves the
 * count alone, holding resets it to 0. When the count reaches {@link Rule#consecutive()} and no
 * breach of that (target, rule name) is open, one is opened (see {@link #observe} for its fields).
 * An open breach is never opened again; the first holding evaluation resolves it. So per (target,
 * rule) the transitions alternate opened, resolved, opened, ... starting with opened. Disabled
 * rules are never evaluated. A target removed by {@link #setTargets} has its open breaches
 * resolved and its state dropped.
 *
 * <h2>Memory</h2>
 * {@link #memory} takes what the scorer remembers of a target as a value ({@link TargetMemory}),
 * {@link #restore} puts it back (a restart, a target moving between monitors): the same scores,
 * counts and open breaches follow. {@link #release} forgets targets without resolving anything.
 */
public final class Scorer {
  private List<Rule> rules;
  private Duration scoringWindow;
  private Duration retention;
  private double partitionThreshold;
  private int partitionMinTargets;
  private final Map<TargetId, TargetState> targets = new TreeMap<>();
  private boolean partitioned;
  private boolean overloaded;
  private Instant overloadedSince;
  /** Known targets whose newest observation has an availability verdict; kept incrementally. */
  private int unreachable;

  /**
   * @param rules the breach rules, evaluated in this order; names must be unique
   * @param scoringWindow the window of {@link #score}, positive
   * @param partitionThreshold share of unreachable targets, in (0, 1], at which the monitor judges
   *     itself cut off
   * @param partitionMinTargets fewest known targets (at least 1) for which a partition is detected
   * @throws IllegalArgumentException for a duplicate rule name, a windowed rule without a positive
   *     window, a non-finite threshold, or a parameter out of range
   */
  public Scorer(List<Rule> rules, Duration scoringWindow, double partitionThreshold, int partitionMinTargets) {
    configure(rules, scoringWindow, partitionThreshold, partitionMinTargets);
  }

  /**
   * Replaces the rules, scoring window and partition settings (a configuration reload), keeping
   * every target's observations, counts and open breaches. Open breaches of rules that are gone or
   * now disabled are resolved at {@code now}.
   *
   * @return the RESOLVED transitions of those breaches, by target then rule name
   * @throws IllegalArgumentException as the constructor; then nothing changes
   */
  public List<BreachTransition> reconfigure(List<Rule> newRules, Duration newScoringWindow, double newPartitionThreshold,
      int newPartitionMinTargets, Instant now) {
    configure(newRules, newScoringWindow, newPartitionThreshold, newPartitionMinTargets);
    Set<String> active = new HashSet<>();
    for (Rule r : rules) {
      if (r.enabled()) {
        active.add(r.name());
      }
    }
    List<BreachTransition> out = new ArrayList<>();
    targets.forEach((id, state) -> {
      double score = scoreOf(state, now).orElse(0);
      for (Map.Entry<String, TargetState.RuleState> e : state.rules().entrySet()) {
        TargetState.RuleState rs = e.getValue();
        if (!active.contains(e.getKey()) && rs.open != null) {
          Breach b = rs.open.resolved(now, state.window.last().map(Observation::verdict).orElse(rs.open.verdict()), score);
          rs.open = null;
          rs.consecutiveFailures = 0;
          out.add(new BreachTransition(BreachTransition.Kind.RESOLVED, b));
        }
      }
      state.rules().keySet().removeIf(name -> !active.contains(name) && state.rules().get(name).open == null);
    });
    updatePartition();
    return List.copyOf(out);
  }

  private void configure(List<Rule> newRules, Duration newScoringWindow, double newPartitionThreshold,
      int newPartitionMinTargets) {
    List<Rule> checkedRules = List.copyOf(Objects.requireNonNull(newRules, "rules"));
    Objects.requireNonNull(newScoringWindow, "scoringWindow");
    if (newScoringWindow.isNegative() || newScoringWindow.isZero()) {
      throw new IllegalArgumentException("scoringWindow must be positive, got " + newScoringWindow);
    }
    if (!(newPartitionThreshold > 0 && newPartitionThreshold <= 1)) {
      throw new IllegalArgumentException("partitionThreshold must be in (0, 1], got " + newPartitionThreshold);
    }
    if (newPartitionMinTargets < 1) {
      throw new IllegalArgumentException("partitionMinTargets must be at least 1, got " + newPartitionMinTargets);
    }
    Set<String> names = new HashSet<>();
    Duration longest = newScoringWindow;
    for (Rule r : checkedRules) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("duplicate rule name '" + r.name() + "'");
      }
      if (!Double.isFinite(r.threshold())) {
        throw new IllegalArgumentException("rule '" + r.name() + "': threshold must be finite");
      }
      if (!RuleEvaluator.isVerdictKind(r.kind()) && (r.window().isNegative() || r.window().isZero())) {
        throw new IllegalArgumentException("rule '" + r.name() + "': window must be positive");
      }
      if (r.window().compareTo(longest) > 0) {
        longest = r.window();
      }
    }
    this.rules = checkedRules;
    this.scoringWindow = newScoringWindow;
    this.retention = longest;
    this.partitionThreshold = newPartitionThreshold;
    this.partitionMinTargets = newPartitionMinTargets;
  }

  /**
   * The rule as applied: where partition detection applies (at least {@code partitionMinTargets}
   * targets), a kind a partition suspends needs at least two consecutive failing evaluations, so
   * that a monitor being cut off is recognised (one poll round later) before any such breach opens.
   */
  private Rule applied(Rule rule) {
    if (rule.consecutive() >= 2 || !RuleEvaluator.suspendedByPartition(rule.kind())
        || targets.size() < partitionMinTargets) {
      return rule;
    }
    return new Rule(rule.name(), rule.kind(), rule.enabled(), rule.threshold(), rule.window(), 2, rule.severity());
  }

  /**
   * Sets the known targets, e.g. at start and on every configuration reload. New targets start
   * with no observations; targets no longer present drop their state, and their open breaches are
   * resolved at {@code now} (with the target's last verdict and its score at {@code now}, 0 if
   * none). The partition flag is re-evaluated.
   *
   * @return the RESOLVED transitions of removed targets, by target then rule name
   */
  public List<BreachTransition> setTargets(Collection<TargetId> targets, Instant now) {
    Objects.requireNonNull(now, "now");
    Set<TargetId> wanted = new HashSet<>(Objects.requireNonNull(targets, "targets"));
    if (wanted.contains(null)) {
      throw new NullPointerException("targets contains null");
    }
    List<BreachTransition> resolved = new ArrayList<>();
    for (Iterator<Map.Entry<TargetId, TargetState>> it = this.targets.entrySet().iterator(); it.hasNext();) {
      Map.Entry<TargetId, TargetState> e = it.next();
      if (wanted.contains(e.getKey())) {
        continue;
      }
      TargetState state = e.getValue();
      double score = scoreOf(state, now).orElse(0);
      for (TargetState.RuleState rs : state.rules().values()) {
        if (rs.open != null) {
          Verdict last = state.window.last().map(Observation::verdict).orElse(rs.open.verdict());
          resolved.add(new BreachTransition(BreachTransition.Kind.RESOLVED, rs.open.resolved(now, last, score)));
        }
      }
      it.remove();
    }
    for (TargetId id : wanted) {
      this.targets.putIfAbsent(id, new TargetState());
    }
    recountUnreachable();
    updatePartition();
    return List.copyOf(resolved);
  }

  /**
   * Records {@code o}, re-evaluates the partition flag, then evaluates every enabled rule (not
   * suspended by a partition) for {@code o.target()} at {@code o.at()}.
   *
   * <p>An opened breach has: {@code breachId = Breach.idFor(target, rule name, o.at())}; the
   * verdict of {@code o}; {@code observed}/{@code expected} = for {@code HASH_MISMATCH} the
   * reported hash and {@code expectedHash} ({@code "unknown"} when null), for {@code INTEGRITY} the
   * verdict label and {@code "compliant"}, for windowed rules the value and the threshold with at
   * most 3 decimals, locale-independent ({@code "0.833"}, {@code "0.95"}); the target's score over
   * the scoring window (0 if none); the rule's window in seconds (the scoring window for the two
   * verdict rules); the consecutive count; {@code openedAt = o.at()}. A resolved breach is {@link
   * Breach#resolved} at {@code o.at()} with {@code o}'s verdict and the target's current score.
   *
   * @param expectedHash the constitutional hash this target should report, or null if unknown
   * @return the OPENED transitions, then the RESOLVED ones, each in rule order; empty when the
   *     target is unknown or {@code o} is older than the target's newest observation
   */
  public List<BreachTransition> observe(Observation o, String expectedHash) {
    return observe(o, expectedHash, false);
  }

  /**
   * As {@link #observe(Observation, String)}; with {@code monitorFault}, {@code o} is the
   * monitor's fault (see the class comment, "Overload"): it is recorded and attributed to the
   * monitor, and the kinds a partition suspends are not evaluated for it.
   */
  public List<BreachTransition> observe(Observation o, String expectedHash, boolean monitorFault) {
    Objects.requireNonNull(o, "o");
    TargetState state = targets.get(o.target());
    if (state == null) {
      return List.of();
    }
    Optional<Observation> newest = state.window.last();
    if (newest.isPresent() && o.at().isBefore(newest.get().at())) {
      return List.of();
    }
    boolean wasUnreachable = isUnreachable(state);
    o = o.sharingStrings(newest.orElse(null), expectedHash);
    state.window.add(o);
    unreachable += (isUnreachable(state) ? 1 : 0) - (wasUnreachable ? 1 : 0);
    state.window.prune(o.at(), retention);
    updatePartition();
    if (partitioned) {
      state.window.attributeNewest(TargetMemory.Attribution.PARTITION, false);
    } else if (monitorFault) {
      state.window.attributeNewest(TargetMemory.Attribution.MONITOR, false);
    } else if (overloaded) {
      state.window.attributeNewest(TargetMemory.Attribution.MONITOR, true);
    }
    boolean hold = partitioned || overloaded || monitorFault;

    state.lastScore = scoreOf(state, o.at());
    double score = state.lastScore.orElse(0);
    List<BreachTransition> opened = new ArrayList<>();
    List<BreachTransition> resolved = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.enabled() || (hold && RuleEvaluator.suspendedByPartition(rule.kind()))) {
        continue;
      }
      Evaluation e = RuleEvaluator.evaluate(rule, o, state.window, expectedHash);
      TargetState.RuleState rs = state.existingRule(rule.name());
      if (rs == null) {
        if (e.status() != Evaluation.Status.FAILING) {
          continue;
        }
        rs = state.rule(rule.name());
      }
      BreachTransition t = rs.apply(applied(rule), e, o, score, RuleEvaluator.windowSeconds(rule, scoringWindow));
      state.dropIfIdle(rule.name(), rs);
      if (t != null) {
        (t.kind() == BreachTransition.Kind.OPENED ? opened : resolved).add(t);
      }
    }
    opened.addAll(resolved);
    return List.copyOf(opened);
  }

  /**
   * The share of compliant observations of {@code id} in the scoring window ending at {@code now};
   * empty when the target is unknown or has no observation in that window. Meant for {@code now}
   * at or after the newest observation: older ones are pruned relative to the newest, so a window
   * ending further back than the retention may miss some.
   */
  public OptionalDouble score(TargetId id, Instant now) {
    Objects.requireNonNull(now, "now");
    TargetState state = targets.get(id);
    return state == null ? OptionalDouble.empty() : scoreOf(state, now);
  }

  /**
   * The score of {@code id} as computed by its last {@link #observe} (over the window ending at that
   * observation's time): what {@link #score} returns for that time, without computing it again.
   * Empty when the target is unknown or has not been observed since it was added or restored.
   */
  public OptionalDouble lastScore(TargetId id) {
    TargetState state = targets.get(id);
    return state == null ? OptionalDouble.empty() : state.lastScore;
  }

  /** Whether the monitor judges itself cut off, as of the last {@link #observe} or {@link #setTargets}. */
  public boolean partitioned() {
    return partitioned;
  }

  /**
   * Sets whether the monitor is overloaded at {@code now} (see the class comment, "Overload").
   * Entering an overload attributes each target's last observation to it if that is a transport
   * failure. Opens and resolves nothing: held rules are evaluated again at the next observation.
   */
  public void setOverloaded(boolean on, Instant now) {
    Objects.requireNonNull(now, "now");
    if (on == overloaded) {
      return;
    }
    overloaded = on;
    overloadedSince = on ? now : null;
    if (on) {
      targets.values().forEach(t -> t.window.attributeNewest(TargetMemory.Attribution.MONITOR, true));
    }
  }

  /** Whether the monitor is overloaded, as last given to {@link #setOverloaded}. */
  public boolean overloaded() {
    return overloaded;
  }

  /** When the current overload began; empty when not overloaded. */
  public Optional<Instant> overloadedSince() {
    return Optional.ofNullable(overloadedSince);
  }

  /** The newest recorded observation of {@code id}; empty for an unknown or never-observed target. */
  public Optional<Observation> last(TargetId id) {
    TargetState state = targets.get(id);
    return state == null ? Optional.empty() : state.window.last();
  }

  /**
   * What the scorer remembers of {@code id} (see {@link TargetMemory}), to be kept across a restart
   * or a move to another monitor; empty for an unknown target.
   */
  public Optional<TargetMemory> memory(TargetId id) {
    TargetState state = targets.get(id);
    return state == null ? Optional.empty() : Optional.of(state.memory());
  }

  /**
   * Makes {@code id} known with {@code memory} instead of what it had (a restart, or a target moved
   * here from another monitor): the same window, counts and open breaches, so scoring continues and
   * an open breach stays the same breach. Open breaches of rules that are no longer enabled are
   * resolved at {@code now}. The partition flag is re-evaluated.
   *
   * @return the RESOLVED transitions of those breaches, by rule name
   * @throws IllegalArgumentException when a breach of {@code memory} belongs to another target
   */
  public List<BreachTransition> restore(TargetId id, TargetMemory memory, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    TargetState state = TargetState.of(id, memory);
    Set<String> active = new HashSet<>();
    rules.stream().filter(Rule::enabled).forEach(r -> active.add(r.name()));
    List<BreachTransition> out = new ArrayList<>();
    double score = scoreOf(state, now).orElse(0);
    for (Iterator<Map.Entry<String, TargetState.RuleState>> it = state.rules().entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, TargetState.RuleState> e = it.next();
      if (!active.contains(e.getKey())) {
        Breach open = e.getValue().open;
        if (open != null) {
          Verdict last = state.window.last().map(Observation::verdict).orElse(open.verdict());
          out.add(new BreachTransition(BreachTransition.Kind.RESOLVED, open.resolved(now, last, score)));
        }
        it.remove();
      }
    }
    TargetState before = targets.put(id, state);
    unreachable += (isUnreachable(state) ? 1 : 0) - (before != null && isUnreachable(before) ? 1 : 0);
    updatePartition();
    return List.copyOf(out);
  }

  /**
   * Forgets {@code ids} without resolving anything (their targets moved to another monitor, which
   * continues their breaches). The partition flag is re-evaluated.
   */
  public void release(Collection<TargetId> ids) {
    for (TargetId id : ids) {
      TargetState gone = targets.remove(id);
      if (gone != null && isUnreachable(gone)) {
        unreachable--;
      }
    }
    updatePartition();
  }

  /** The known targets, sorted. */
  public Set<TargetId> known() {
    return Collections.unmodifiableSet(new java.util.TreeSet<>(targets.keySet()));
  }

  /** Every open breach, sorted by target then rule name. */
  public List<Breach> openBreaches() {
    List<Breach> out = new ArrayList<>();
    targets.values().forEach(state -> collectOpen(state, out));
    return List.copyOf(out);
  }

  /** Rule states held for {@code id} (for tests: a rule with no failure counted and no breach open holds none). */
  int ruleStatesHeld(TargetId id) {
    TargetState state = targets.get(id);
    return state == null ? 0 : state.rules().size();
  }

  /** The open breaches of {@code id}, sorted by rule name; empty for an unknown target. */
  public List<Breach> openBreaches(TargetId id) {
    TargetState state = targets.get(id);
    if (state == null) {
      return List.of();
    }
    List<Breach> out = new ArrayList<>();
    collectOpen(state, out);
    return List.copyOf(out);
  }

  private static void collectOpen(TargetState state, List<Breach> out) {
    for (TargetState.RuleState rs : state.rules().values()) {
      if (rs.open != null) {
        out.add(rs.open);
      }
    }
  }

  private OptionalDouble scoreOf(TargetState state, Instant now) {
    return RuleEvaluator.complianceShare(state.window.within(now, scoringWindow));
  }

  private static boolean isUnreachable(TargetState state) {
    return state.window.last().map(o -> o.verdict().isAvailability()).orElse(false);
  }

  private void recountUnreachable() {
    unreachable = (int) targets.values().stream().filter(Scorer::isUnreachable).count();
  }

  private void updatePartition() {
    boolean was = partitioned;
    int known = targets.size();
    if (known < partitionMinTargets) {
      partitioned = false;
    } else {
      partitioned = (double) unreachable / known >= partitionThreshold;
    }
    if (partitioned && !was) {
      targets.values().forEach(t -> t.window.attributeNewest(TargetMemory.Attribution.PARTITION, true));
    }
  }
}

package dev.vigil.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the {@link Scorer} remembers about one known target: its recent observations and, per
 * rule name, the count of consecutive failing evaluations and the open breach, if any.
 *
 * <p>Not thread-safe: owned by one {@link Scorer}.
 */
final class TargetState {
  final TargetWindow window = new TargetWindow();
  /** The score computed at the last {@link Scorer#observe}, empty before the first. */
  java.util.OptionalDouble lastScore = java.util.OptionalDouble.empty();
  private final Map<String, RuleState> rules = new TreeMap<>();

  /** The state {@code memory} describes, for target {@code id}. */
  static TargetState of(TargetId id, TargetMemory memory) {
    TargetState s = new TargetState();
    s.window.restore(memory.window());
    memory.consecutiveFailures().forEach((rule, count) -> s.rule(rule).consecutiveFailures = count);
    for (Breach b : memory.openBreaches()) {
      if (!b.target().equals(id)) {
        throw new IllegalArgumentException("breach " + b.breachId() + " belongs to " + b.target() + ", not " + id);
      }
      s.rule(b.rule()).open = b;
    }
    return s;
  }

  /** This state as a value. */
  TargetMemory memory() {
    Map<String, Integer> counts = new TreeMap<>();
    List<Breach> open = new ArrayList<>();
    rules.forEach((name, rs) -> {
      if (rs.consecutiveFailures > 0) {
        counts.put(name, rs.consecutiveFailures);
      }
      if (rs.open != null) {
        open.add(rs.open);
      }
    });
    return new TargetMemory(window.entries(), counts, open);
  }

  RuleState rule(String name) {
    return rules.computeIfAbsent(name, n -> new RuleState());
  }

  /** The state of rule {@code name}, or null while it has none (no failure counted, no breach open). */
  RuleState existingRule(String name) {
    return rules.get(name);
  }

  /** Forgets the state of rule {@code name} once it holds nothing (most rules of most targets, most of the time). */
  void dropIfIdle(String name, RuleState rs) {
    if (rs.consecutiveFailures == 0 && rs.open == null) {
      rules.remove(name);
    }
  }

  /** Rule states by rule name, in name order. */
  Map<String, RuleState> rules() {
    return rules;
  }

  /** Per (target, rule): consecutive failing evaluations and the breach they opened. */
  static final class RuleState {
    int consecutiveFailures;
    /** The open breach of this (target, rule), or null. */
    Breach open;

    /**
     * Applies one evaluation of {@code rule} for {@code o}: counts it, and opens or resolves the
     * breach as the {@link Scorer} documents.
     *
     * @param score the target's current compliance score (0 if none), for the breach
     * @return the transition it caused, or null
     */
    BreachTransition apply(Rule rule, Evaluation e, Observation o, double score, long windowSeconds) {
      switch (e.status()) {
        case FAILING:
          if (consecutiveFailures < Integer.MAX_VALUE) {
            consecutiveFailures++;
          }
          if (open != null || consecutiveFailures < rule.consecutive()) {
            return null;
          }
          open = new Breach(Breach.idFor(o.target(), rule.name(), o.at()), o.target(), rule.name(),
              rule.severity(), o.verdict(), e.observed(), e.expected(), score, windowSeconds,
              consecutiveFailures, o.at(), null);
          return new BreachTransition(BreachTransition.Kind.OPENED, open);
        case HOLDING:
          consecutiveFailures = 0;
          if (open == null) {
            return null;
          }
          Breach resolved = open.resolved(o.at(), o.verdict(), score);
          open = null;
          return new BreachTransition(BreachTransition.Kind.RESOLVED, resolved);
        case NO_EVIDENCE:
        default:
          return null;
      }
    }
  }
}

package dev.vigil.rollout;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about one rollout at one moment: what the {@link StepMachine} decides from, what
 * the store records, what the API shows. A new value per transition. Immutable.
 *
 * @param steps the {@code to} side's weight at each step
 * @param pausedFrom the state a {@code resume} returns to, while paused
 * @param step steps applied so far (0: none; {@code steps.size()}: all traffic on {@code to})
 * @param target the step whose weight is being set (the recorded intent), null when none; 0 is the way back
 * @param dwellUntil when the dwell at the current step ends
 * @param nextAnalysis when the next periodic analysis is due
 * @param ready an analysis passed after the dwell ended: the next step may be applied
 * @param failures failed analyses in a row
 * @param inconclusive inconclusive analyses in a row
 * @param analysis the checks of the last analysis
 * @param finishedAt when it reached a final state, null before
 * @param events events published so far (the next event's id derives from it: stable across retries)
 * @param then services of the plan still to migrate after this one is promoted
 */
public record Rollout(String id, String service, String from, String to, List<Integer> steps, RolloutState state,
    RolloutState pausedFrom, int step, Integer target, Instant dwellUntil, Instant nextAnalysis, boolean ready,
    int failures, int inconclusive, List<Check> analysis, String detail, Instant startedAt, Instant finishedAt,
    int events, List<String> then) {

  public Rollout {
    steps = List.copyOf(steps);
    analysis = List.copyOf(analysis);
    then = List.copyOf(then);
  }

  /** The {@code to} side's weight now: the applied step's. */
  public int weight() {
    return weightOf(step);
  }

  /** The {@code to} side's weight of step {@code k} (0 for step 0). */
  public int weightOf(int k) {
    return k == 0 ? 0 : steps.get(k - 1);
  }

  /** True while traffic still moves or waits. */
  public boolean running() {
    return !state.finished();
  }

  Builder with() {
    return new Builder(this);
  }

  /** A copy with some fields changed; used by the machine only. Not thread-safe. */
  static final class Builder {
    RolloutState state;
    RolloutState pausedFrom;
    int step;
    Integer target;
    Instant dwellUntil;
    Instant nextAnalysis;
    boolean ready;
    int failures;
    int inconclusive;
    List<Check> analysis;
    String detail;
    Instant finishedAt;
    private final Rollout r;

    Builder(Rollout r) {
      this.r = r;
      state = r.state;
      pausedFrom = r.pausedFrom;
      step = r.step;
      target = r.target;
      dwellUntil = r.dwellUntil;
      nextAnalysis = r.nextAnalysis;
      ready = r.ready;
      failures = r.failures;
      inconclusive = r.inconclusive;
      analysis = r.analysis;
      detail = r.detail;
      finishedAt = r.finishedAt;
    }

    Rollout build() {
      return new Rollout(r.id, r.service, r.from, r.to, r.steps, state, pausedFrom, step, target, dwellUntil,
          nextAnalysis, ready, failures, inconclusive, analysis, detail, r.startedAt, finishedAt, r.events, r.then);
    }
  }

  /** This rollout with one more event published. */
  public Rollout published() {
    return new Rollout(id, service, from, to, steps, state, pausedFrom, step, target, dwellUntil, nextAnalysis, ready,
        failures, inconclusive, analysis, detail, startedAt, finishedAt, events + 1, then);
  }
}

package dev.vigil.rollout;

import dev.vigil.config.RolloutConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The timing and limits the {@link StepMachine} applies, taken from {@code rollout}. Immutable.
 *
 * @param inconclusiveLimit inconclusive analyses in a row that count as one failed analysis
 */
public record StepPolicy(List<Integer> steps, Duration stepInterval, Duration analysisInterval, int failureLimit,
    int inconclusiveLimit, Set<Integer> manualGates) {

  public StepPolicy {
    steps = List.copyOf(steps);
    manualGates = Set.copyOf(manualGates);
  }

  public static StepPolicy of(RolloutConfig c) {
    return new StepPolicy(c.steps(), c.stepInterval(), c.analysisInterval(), c.failureLimit(),
        c.prometheus() == null ? 1 : c.prometheus().inconclusiveLimit(), c.manualGates());
  }
}

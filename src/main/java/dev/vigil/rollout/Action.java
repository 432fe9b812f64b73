package dev.vigil.rollout;

import java.time.Instant;

/** What the runtime does next for a rollout ({@link StepMachine#next}). Immutable values. */
public sealed interface Action {
  /** Nothing until {@code until}; null: until an operator acts. */
  record Wait(Instant until) implements Action {}

  /** Run one analysis of the {@code to} side and hand it to {@link StepMachine#analysed}. */
  record Analyze() implements Action {}

  /**
   * Set the {@code to} side's weight to {@code weight} (the weight of step {@code step}; step 0,
   * weight 0, is the way back); then {@link StepMachine#applied} or {@link StepMachine#notApplied}.
   */
  record SetWeight(int step, int weight) implements Action {}

  /** Traffic is back on {@code from}: validate it by its own attestations, then {@link StepMachine#reverted}. */
  record ValidateFrom() implements Action {}

  /** The last step is applied: read the weights back and attest {@code to}, then {@link StepMachine#promotion}. */
  record VerifyPromotion() implements Action {}

  /** The rollout is finished. */
  record Done() implements Action {}
}

package dev.vigil.score;

/**
 * The outcome of evaluating one rule for one observation, with the {@code observed} and
 * {@code expected} strings a breach opened by it would carry. Immutable.
 */
record Evaluation(Status status, String observed, String expected) {

  /** Whether the rule's condition is violated, holds, or cannot be judged from this evidence. */
  enum Status {
    /** The condition is violated: counts towards {@link Rule#consecutive()}. */
    FAILING,
    /** The condition holds: resets the count and resolves an open breach. */
    HOLDING,
    /** Nothing to judge by (e.g. no hash was read): leaves count and breach as they are. */
    NO_EVIDENCE
  }

  static final Evaluation NO_EVIDENCE = new Evaluation(Status.NO_EVIDENCE, "", "");

  static Evaluation of(boolean failing, String observed, String expected) {
    return new Evaluation(failing ? Status.FAILING : Status.HOLDING, observed, expected);
  }
}

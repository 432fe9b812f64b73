package dev.vigil.score;

/**
 * The outcome of evaluating one rule for one observation, with the {@code observed} and
 * {@code expected} strings a breach opened by it would carry. A windowed rule's figures are kept as
 * numbers and formatted only when asked: nearly every evaluation opens and resolves nothing, and
 * formatting them on every poll cost more than evaluating the rule. Immutable.
 */
final class Evaluation {

  /** Whether the rule's condition is violated, holds, or cannot be judged from this evidence. */
  enum Status {
    /** The condition is violated: counts towards {@link Rule#consecutive()}. */
    FAILING,
    /** The condition holds: resets the count and resolves an open breach. */
    HOLDING,
    /** Nothing to judge by (e.g. no hash was read): leaves count and breach as they are. */
    NO_EVIDENCE
  }

  static final Evaluation NO_EVIDENCE = new Evaluation(Status.NO_EVIDENCE, "", "", 0, 0);

  private final Status status;
  private final String observed;
  private final String expected;
  private final double observedValue;
  private final double expectedValue;

  private Evaluation(Status status, String observed, String expected, double observedValue, double expectedValue) {
    this.status = status;
    this.observed = observed;
    this.expected = expected;
    this.observedValue = observedValue;
    this.expectedValue = expectedValue;
  }

  static Evaluation of(boolean failing, String observed, String expected) {
    return new Evaluation(failing ? Status.FAILING : Status.HOLDING, observed, expected, 0, 0);
  }

  /** A windowed rule's outcome: its value and threshold, formatted by {@link RuleEvaluator#format} when read. */
  static Evaluation of(boolean failing, double observed, double expected) {
    return new Evaluation(failing ? Status.FAILING : Status.HOLDING, null, null, observed, expected);
  }

  Status status() {
    return status;
  }

  String observed() {
    return observed != null ? observed : RuleEvaluator.format(observedValue);
  }

  String expected() {
    return expected != null ? expected : RuleEvaluator.format(expectedValue);
  }
}

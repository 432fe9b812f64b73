package dev.vigil.rollout;

/**
 * One check of an analysis, as {@code rollout.step} carries it: its name, the value measured (null
 * when there was none: an inconclusive check), the threshold it was held against, and whether it
 * passed. Counts are integers, measures doubles, so the event writes {@code 3} and {@code 2.0} as
 * events-v1 shows them. Immutable.
 *
 * @param inconclusive no data to judge (a PromQL query that returned nothing); never passed
 */
public record Check(String check, Number value, Number threshold, boolean passed, boolean inconclusive) {
  public Check {
    if (passed && inconclusive) {
      throw new IllegalArgumentException("an inconclusive check cannot pass");
    }
  }

  public static Check of(String check, double value, double threshold, boolean passed) {
    return new Check(check, value, threshold, passed, false);
  }

  /** A counted check, e.g. {@code attestations}: integer value and threshold. */
  public static Check count(String check, int value, int threshold, boolean passed) {
    return new Check(check, value, threshold, passed, false);
  }

  public static Check noData(String check, double threshold) {
    return new Check(check, null, threshold, false, true);
  }

  /** Failed with a value (not merely inconclusive). */
  public boolean failed() {
    return !passed && !inconclusive;
  }
}

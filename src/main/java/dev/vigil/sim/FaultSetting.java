package dev.vigil.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The fault an instance currently shows, with its delay (non-zero only for {@link Fault#SLOW} and
 * {@link Fault#SLOW_TRAFFIC}).
 * Immutable.
 */
record FaultSetting(Fault fault, Duration delay) {
  /** Delay of {@link Fault#SLOW} and {@link Fault#SLOW_TRAFFIC} when none is given. */
  static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(3);
  /** The longest delay accepted, so a typo cannot park requests for days. */
  static final Duration MAX_DELAY = Duration.ofMinutes(10);
  /** Declared after the limits its constructor checks, so that they are initialised first. */
  static final FaultSetting NONE = new FaultSetting(Fault.NONE, Duration.ZERO);

  FaultSetting {
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(delay, "delay");
    if (!fault.delayed() && !delay.isZero()) {
      throw new IllegalArgumentException("a delay applies only to the faults slow and slow_traffic, not to " + fault);
    }
    if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException("the delay of " + fault + " must be between 0 and " + MAX_DELAY.toMillis()
          + " ms, got " + delay.toMillis() + " ms");
    }
  }

  /** {@code fault} with its default delay (3 s for slow and slow_traffic, none otherwise). */
  static FaultSetting of(Fault fault) {
    return new FaultSetting(fault, fault.delayed() ? DEFAULT_SLOW_DELAY : Duration.ZERO);
  }
}

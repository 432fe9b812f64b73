package dev.vigil.rollout;

import java.util.Locale;

/**
 * Where a rollout is (events-v1 {@code state}/{@code status}, metrics-v1 {@code
 * constitutional_rollout_state}): running states first, then the three final ones.
 */
public enum RolloutState {
  PROGRESSING, PAUSED, WAITING_APPROVAL, ABORTING, PROMOTED, ABORTED, FAILED;

  /** The wire form: lowercase. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for {@code promoted}, {@code aborted} and {@code failed}: nothing moves any more. */
  public boolean finished() {
    return this == PROMOTED || this == ABORTED || this == FAILED;
  }

  public static RolloutState fromLabel(String label) {
    for (RolloutState s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown rollout state '" + label + "'");
  }
}

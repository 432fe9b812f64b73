package dev.vigil.monitor;

import dev.vigil.attest.Verdict;
import dev.vigil.poll.PollResult;
import dev.vigil.score.BreachTransition;

/**
 * Observes what the monitor decides (the demo's timeline, tests). Called on the monitor's context:
 * implementations must return quickly and never block.
 */
public interface MonitorListener {
  /** A poll finished; {@code previous} is the target's verdict before it, or null for its first poll. */
  default void onPoll(PollResult result, Verdict previous) {}

  default void onTransition(BreachTransition transition) {}

  default void onPartition(boolean partitioned, String why) {}

  default void onOverload(boolean overloaded, String why) {}

  default void onReload(boolean ok, java.util.List<String> errors) {}
}

package dev.vigil.events;

import dev.vigil.score.BreachTransition;

/**
 * Where the monitor sends breach transitions. Implementations must not block the caller for long:
 * the monitor calls {@link #publish} from its event loop. Implementations say whether they are
 * thread-safe.
 */
public interface EventSink {
  void publish(BreachTransition transition);
}

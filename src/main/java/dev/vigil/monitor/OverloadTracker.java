package dev.vigil.monitor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides from measured delays whether the monitor is overloaded, and remembers when it was, so a
 * poll that ran during an overload is blamed on the monitor even when it finishes after it.
 *
 * <p>Two channels are measured: the polling event loop's delay and the verification workers' queue
 * wait. Each measurement says how long a probe task submitted at {@code submittedAt} has waited
 * (so far, or in all) as of {@code now}. A measurement above its channel's threshold makes the
 * monitor overloaded and records an episode from {@code submittedAt} (the earliest moment known to
 * be late) to {@code now}; the monitor stays overloaded until no measurement has been above its
 * threshold for {@code clearAfter}. A probe {@linkplain #submitted submitted} and not yet run
 * counts as well: while it has waited longer than its threshold, every poll ending now {@linkplain
 * #overlapped overlaps} an overload, even before the sampler has reported it (after a stall, the
 * loop may handle poll results before the probe). Times are {@link System#nanoTime()}-style
 * nanoseconds, passed in. Thread-safe (synchronized): measured on one thread, read on others.
 */
public final class OverloadTracker {
  /** Which delay a measurement is of. */
  public enum Channel { EVENT_LOOP, WORKER_QUEUE }

  private static final int MAX_EPISODES = 256;

  private final long loopThreshold;
  private final long queueThreshold;
  private final long clearAfter;
  private final Deque<long[]> episodes = new ArrayDeque<>();
  private long lastLoopDelay;
  private long lastQueueWait;
  private long lastOverAt;
  private final long[] pending = {-1, -1};
  private boolean overloaded;

  public OverloadTracker(Duration eventLoopDelay, Duration workerQueueWait, Duration clearAfter) {
    this.loopThreshold = eventLoopDelay.toNanos();
    this.queueThreshold = workerQueueWait.toNanos();
    this.clearAfter = clearAfter.toNanos();
  }

  /** A probe of {@code channel} was submitted at {@code at} and has not run yet. */
  public synchronized void submitted(Channel channel, long at) {
    pending[channel.ordinal()] = at;
  }

  /** The probe of {@code channel} submitted at {@code submittedAt} ran at {@code now}: measured, no longer pending. */
  public synchronized boolean ran(Channel channel, long submittedAt, long now) {
    if (pending[channel.ordinal()] == submittedAt) {
      pending[channel.ordinal()] = -1;
    }
    return measure(channel, submittedAt, now);
  }

  /**
   * Records that a probe of {@code channel} submitted at {@code submittedAt} has waited until
   * {@code now} (it ran then, or is still waiting).
   *
   * @return true when this flipped {@link #overloaded()}
   */
  public synchronized boolean measure(Channel channel, long submittedAt, long now) {
    long waited = Math.max(0, now - submittedAt);
    if (channel == Channel.EVENT_LOOP) {
      lastLoopDelay = waited;
    } else {
      lastQueueWait = waited;
    }
    boolean over = waited > (channel == Channel.EVENT_LOOP ? loopThreshold : queueThreshold);
    boolean was = overloaded;
    if (over) {
      lastOverAt = now;
      overloaded = true;
      record(submittedAt, now);
    } else if (overloaded && now - lastOverAt >= clearAfter) {
      overloaded = false;
    }
    return overloaded != was;
  }

  /** Whether the monitor is overloaded as of the last measurement. */
  public synchronized boolean overloaded() {
    return overloaded;
  }

  /**
   * Whether any recorded overload overlaps {@code [from, to]}, the monitor is overloaded now, or a
   * pending probe had waited longer than its threshold by {@code to}.
   */
  public synchronized boolean overlapped(long from, long to) {
    if (overloaded || late(Channel.EVENT_LOOP, loopThreshold, to) || late(Channel.WORKER_QUEUE, queueThreshold, to)) {
      return true;
    }
    for (long[] e : episodes) {
      if (e[0] <= to && e[1] >= from) {
        return true;
      }
    }
    return false;
  }

  /** The latest event-loop delay measured. */
  public synchronized Duration eventLoopDelay() {
    return Duration.ofNanos(lastLoopDelay);
  }

  /** The latest worker queue wait measured. */
  public synchronized Duration workerQueueWait() {
    return Duration.ofNanos(lastQueueWait);
  }

  private boolean late(Channel channel, long threshold, long now) {
    long at = pending[channel.ordinal()];
    return at >= 0 && now - at > threshold;
  }

  private void record(long from, long to) {
    long[] last = episodes.peekLast();
    if (last != null && from <= last[1]) {
      last[0] = Math.min(last[0], from);
      last[1] = Math.max(last[1], to);
      return;
    }
    episodes.addLast(new long[] {from, to});
    while (episodes.size() > MAX_EPISODES) {
      episodes.removeFirst();
    }
  }
}

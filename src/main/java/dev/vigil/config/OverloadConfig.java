package dev.vigil.config;

import java.time.Duration;

/**
 * When the monitor judges itself overloaded: while its polling event loop runs tasks later than
 * {@code eventLoopDelay}, or a verification waits longer than {@code workerQueueWait} for a thread,
 * reachability rules are held (as when partitioned) and polls that ran meanwhile count as the
 * monitor's fault. Measured every {@code sampleInterval}. Immutable.
 */
public record OverloadConfig(Duration eventLoopDelay, Duration workerQueueWait, Duration sampleInterval) {
  public static OverloadConfig defaults() {
    return new OverloadConfig(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(100));
  }
}

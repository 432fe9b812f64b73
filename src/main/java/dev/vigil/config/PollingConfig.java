package dev.vigil.config;

import java.time.Duration;

/**
 * Fleet-wide polling settings and the defaults targets inherit. Immutable.
 *
 * @param concurrency most polls in flight at once, across all targets
 * @param jitter share of the interval (0..1) by which start times are spread
 * @param partitionThreshold share of targets (0..1] whose last verdict is a transport failure at
 *     which the monitor judges itself cut off
 * @param partitionMinTargets fewest targets for which partition detection applies (a sidecar
 *     watching one service is never "partitioned")
 * @param retryBackoff delay before the first retry; doubles for each further one
 */
public record PollingConfig(
    Duration interval,
    Duration timeout,
    int retries,
    Duration retryBackoff,
    int concurrency,
    double jitter,
    double partitionThreshold,
    int partitionMinTargets,
    int maxResponseBytes) {

  public static PollingConfig defaults() {
    return new PollingConfig(Duration.ofSeconds(30), Duration.ofSeconds(5), 2, Duration.ofMillis(200), 256, 0.5,
        0.8, 3, 65_536);
  }
}

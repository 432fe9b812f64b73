package dev.vigil.config;

import java.time.Duration;
import java.util.List;

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

  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  static final int MAX_RETRIES = 10;
  private static final List<String> KEYS = List.of("interval", "timeout", "retries", "retryBackoff",
      "concurrency", "jitter", "partitionThreshold", "partitionMinTargets", "maxResponseBytes");

  /** {@code polling}: fleet-wide polling settings, and the interval/timeout rules targets share. */
  static PollingConfig read(Node node) {
    PollingConfig d = PollingConfig.defaults();
    Mapping m = Mapping.of(node, KEYS);
    Duration interval = m.duration("interval", d.interval());
    Duration timeout = m.duration("timeout", d.timeout());
    checkTiming(m, interval, timeout);
    int retries = m.integer("retries", d.retries(), 0, MAX_RETRIES);
    Duration retryBackoff = m.duration("retryBackoff", d.retryBackoff());
    int concurrency = m.integer("concurrency", d.concurrency(), 1, 100_000);
    double jitter = m.number("jitter", d.jitter());
    m.check("jitter", jitter >= 0 && jitter <= 1, "must be from 0 to 1, got " + jitter);
    double partitionThreshold = m.number("partitionThreshold", d.partitionThreshold());
    m.check("partitionThreshold", partitionThreshold > 0 && partitionThreshold <= 1,
        "must be greater than 0 and at most 1, got " + partitionThreshold);
    int partitionMinTargets = m.integer("partitionMinTargets", d.partitionMinTargets(), 1, 100_000);
    int maxResponseBytes = m.integer("maxResponseBytes", d.maxResponseBytes(), 1024, 16 * 1024 * 1024);
    return new PollingConfig(interval, timeout, retries, retryBackoff, concurrency, jitter,
        partitionThreshold, partitionMinTargets, maxResponseBytes);
  }

  /**
   * interval at least 100ms, timeout positive and shorter than the interval. Only what {@code m}
   * gives is checked (inherited values were checked where they were given); when the pair
   * conflicts, the error goes to the one given, to the timeout when both are.
   */
  static void checkTiming(Mapping m, Duration interval, Duration timeout) {
    if (m.has("interval")) {
      m.check("interval", interval.compareTo(MIN_INTERVAL) >= 0,
          "must be at least " + Durations.format(MIN_INTERVAL) + ", got " + Durations.format(interval));
    }
    if (m.has("timeout")) {
      m.check("timeout", Mapping.positive(timeout), "must be greater than 0");
    }
    if ((m.has("interval") || m.has("timeout")) && m.ok("interval", "timeout") && timeout.compareTo(interval) >= 0) {
      if (m.has("timeout")) {
        m.check("timeout", false, "must be less than the interval (" + Durations.format(interval)
            + "), got " + Durations.format(timeout));
      } else {
        m.check("interval", false, "must be greater than the timeout (" + Durations.format(timeout)
            + "), got " + Durations.format(interval));
      }
    }
  }
}

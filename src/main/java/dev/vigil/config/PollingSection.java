package dev.vigil.config;

import java.time.Duration;
import java.util.List;

/** {@code polling}: fleet-wide polling settings, and the interval/timeout rules targets share. */
final class PollingSection {
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  static final int MAX_RETRIES = 10;
  private static final List<String> KEYS = List.of("interval", "timeout", "retries", "retryBackoff",
      "concurrency", "jitter", "partitionThreshold", "partitionMinTargets", "maxResponseBytes");

  private PollingSection() {}

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

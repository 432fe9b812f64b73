package dev.vigil.config;

import java.time.Duration;
import java.util.List;

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

  static final Duration MIN_SAMPLE = Duration.ofMillis(10);
  private static final List<String> KEYS = List.of("eventLoopDelay", "workerQueueWait", "sampleInterval");

  /** {@code overload}: the thresholds above which the monitor blames itself, not its targets. */
  static OverloadConfig read(Node node) {
    OverloadConfig d = OverloadConfig.defaults();
    Mapping m = Mapping.of(node, KEYS);
    Duration sample = m.duration("sampleInterval", d.sampleInterval());
    m.check("sampleInterval", sample.compareTo(MIN_SAMPLE) >= 0 && sample.compareTo(Duration.ofSeconds(10)) <= 0,
        "must be from " + Durations.format(MIN_SAMPLE) + " to 10s, got " + Durations.format(sample));
    Duration loop = m.duration("eventLoopDelay", d.eventLoopDelay());
    m.check("eventLoopDelay", Mapping.positive(loop), "must be greater than 0");
    Duration queue = m.duration("workerQueueWait", d.workerQueueWait());
    m.check("workerQueueWait", Mapping.positive(queue), "must be greater than 0");
    return new OverloadConfig(loop, queue, sample);
  }
}

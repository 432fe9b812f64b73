package dev.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code state}: the monitor's durable target state (windows, counts, open breaches). Kept in the
 * record log {@code dir}/{@code state.log}, or, with {@code kafka.bootstrapServers} set, in the
 * compacted topic {@code constitutional.monitor-state}; written at most every {@code flushInterval}
 * and at shutdown, restored at start. A snapshot older than {@code maxAge} at restore does not
 * judge: its window is discarded. Immutable.
 *
 * @param dir the local snapshot's directory (relative paths resolve against the configuration
 *     file); null when durable state is off (a configuration built in code, e.g. a benchmark)
 */
public record StateConfig(Path dir, Duration flushInterval, Duration maxAge) {
  public static final String DEFAULT_DIR = "vigil-state";
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
  static final Duration MIN_FLUSH = Duration.ofMillis(100);
  private static final List<String> KEYS = List.of("dir", "flushInterval", "maxAge");

  /** No durable state: the monitor forgets everything at exit (what a configuration built in code gets). */
  public static StateConfig disabled() {
    return new StateConfig(null, DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_AGE);
  }

  /** True when state is kept (locally, or in Kafka when it is configured). */
  public boolean enabled() {
    return dir != null;
  }

  /** {@code state}: the directory, the flush interval and the oldest state trusted at restore. */
  static StateConfig read(Node node) {
    Mapping m = Mapping.of(node, KEYS);
    String dir = m.string("dir", DEFAULT_DIR);
    m.check("dir", !dir.isBlank(), "must not be empty");
    Duration flush = m.duration("flushInterval", DEFAULT_FLUSH_INTERVAL);
    m.check("flushInterval", flush.compareTo(MIN_FLUSH) >= 0 && flush.compareTo(Duration.ofMinutes(10)) <= 0,
        "must be from " + Durations.format(MIN_FLUSH) + " to 10m, got " + Durations.format(flush));
    Duration maxAge = m.duration("maxAge", DEFAULT_MAX_AGE);
    m.check("maxAge", maxAge.compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s, got " + Durations.format(maxAge));
    if (m.ok("flushInterval", "maxAge")) {
      m.check("maxAge", maxAge.compareTo(flush) > 0,
          "must be longer than state.flushInterval (" + Durations.format(flush) + ")");
    }
    return new StateConfig(node.context().resolve(dir.isBlank() ? DEFAULT_DIR : dir), flush, maxAge);
  }
}

package dev.vigil.rollback;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the controller is behind on each partition of the breaches topic it holds, and for how
 * long a partition has had records waiting without advancing: the gauges
 * {@code constitutional_rollback_consumer_lag{partition}} and
 * {@code constitutional_rollback_oldest_unfinished_seconds{partition}} (0 when none wait), and the
 * stall that turns {@code /health/ready} to 503.
 *
 * <p>The age counts from when this controller saw the record waiting (or from the partition's last
 * advance, whichever is later), on the injected clock; a record's own Kafka timestamp is written
 * by whoever produced it and is not trusted. Thread-safe: the consumer thread writes, the
 * registry and the health check read.
 */
public final class PartitionProgress {
  private static final class State {
    volatile long unfinished;
    volatile long waitingSinceMillis = -1;
    Gauge lag;
    Gauge oldest;
  }

  private final Clock clock;
  private final MeterRegistry registry;
  private final Map<Integer, State> states = new ConcurrentHashMap<>();

  public PartitionProgress(Clock clock, MeterRegistry registry) {
    this.clock = clock;
    this.registry = registry;
  }

  /** {@code partition} is now this instance's: its gauges appear, at 0. */
  public void assigned(int partition) {
    states.computeIfAbsent(partition, p -> {
      State s = new State();
      String label = Integer.toString(p);
      s.lag = Gauge.builder("constitutional.rollback.consumer.lag", s, st -> st.unfinished)
          .description("Records on the breaches topic not yet finished by this controller")
          .tag("partition", label).register(registry);
      s.oldest = Gauge.builder("constitutional.rollback.oldest.unfinished.seconds", s, this::ageSeconds)
          .description("Age of the oldest record waiting on a partition (0 when none)")
          .tag("partition", label).register(registry);
      return s;
    });
  }

  /** {@code partition} left this instance: its gauges go (its new owner exports them). */
  public void revoked(int partition) {
    State s = states.remove(partition);
    if (s != null) {
      registry.remove(s.lag);
      registry.remove(s.oldest);
    }
  }

  /**
   * The consumer's view of {@code partition} now: {@code unfinished} records (fetched or not), and
   * whether a record of it finished since the last update.
   */
  public void update(int partition, long unfinished, boolean advanced) {
    State s = states.get(partition);
    if (s == null) {
      return;
    }
    s.unfinished = Math.max(0, unfinished);
    if (unfinished <= 0) {
      s.waitingSinceMillis = -1;
    } else if (advanced || s.waitingSinceMillis < 0) {
      s.waitingSinceMillis = clock.millis();
    }
  }

  /** Records of {@code partition} not yet finished (0 when it is not held). */
  public long lag(int partition) {
    State s = states.get(partition);
    return s == null ? 0 : s.unfinished;
  }

  /** Seconds {@code partition} has had records waiting without advancing, 0 when none wait. */
  public double ageSeconds(int partition) {
    State s = states.get(partition);
    return s == null ? 0 : ageSeconds(s);
  }

  private double ageSeconds(State s) {
    long since = s.waitingSinceMillis;
    return since < 0 ? 0 : Math.max(0, clock.millis() - since) / 1000.0;
  }

  /** Why the controller is stuck, when a partition has waited longer than {@code threshold} without advancing. */
  public Optional<String> stalled(Duration threshold) {
    for (Map.Entry<Integer, State> e : new TreeMap<>(states).entrySet()) {
      double age = ageSeconds(e.getValue());
      if (age * 1000 > threshold.toMillis()) {
        return Optional.of(String.format(java.util.Locale.ROOT, "partition %d of the breaches topic has had %d"
            + " records waiting for %.0f s without advancing (threshold %d s)", e.getKey(), e.getValue().unfinished,
            age, threshold.toSeconds()));
      }
    }
    return Optional.empty();
  }
}

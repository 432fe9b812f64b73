package dev.vigil.monitor;

import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The one way a monitor is composed (the daemon, the demo, the fleet benchmark, the tests): the
 * configuration plus what a caller may replace. Unset parts get the daemon's defaults: the system
 * clock, a {@link SecureRandom}, a configuration that never changes on reload, metrics of its own
 * (closed with the monitor), and events from the configuration (the Kafka pipeline through the
 * outbox when {@code kafka.bootstrapServers} is set, else logged), which the verticle opens at
 * deploy and closes at undeploy. Not thread-safe: build on one thread.
 */
public final class MonitorBuilder {
  final VigilConfig config;
  ConfigSource source;
  Clock clock = Clock.systemUTC();
  Random random;
  EventSink sink;
  MonitorMetrics metrics;
  final List<MonitorListener> listeners = new ArrayList<>();

  private MonitorBuilder(VigilConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public static MonitorBuilder of(VigilConfig config) {
    return new MonitorBuilder(config);
  }

  /** Where a reload reads the configuration (a file, usually); without it a reload re-applies the initial one. */
  public MonitorBuilder configSource(ConfigSource source) {
    this.source = source;
    return this;
  }

  public MonitorBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The jitter's source. */
  public MonitorBuilder random(Random random) {
    this.random = random;
    return this;
  }

  /** Sends events to {@code sink} instead of what the configuration says (tests, benchmarks). */
  public MonitorBuilder events(EventSink sink) {
    this.sink = sink;
    return this;
  }

  /** Records into {@code metrics}, which the caller closes (e.g. to share its registry with a controller). */
  public MonitorBuilder metrics(MonitorMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public MonitorBuilder listener(MonitorListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public MonitorVerticle build() {
    return new MonitorVerticle(this);
  }
}

package dev.vigil.sim;

import dev.vigil.http.MetricsRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated fleet's own traffic as Prometheus metrics, what a service mesh would measure in
 * front of each instance: {@code vigil_sim_requests_total{service,environment,status_class}}
 * ({@code 2xx}, {@code 5xx}) and the histogram {@code
 * vigil_sim_request_duration_seconds{service,environment}}. A steady synthetic load of {@link
 * #rps()} requests per second per service is split between an instance's environments by the
 * {@link TrafficRouter}'s weights (an environment the router does not weigh, neither green nor
 * blue, takes the whole load) and shaped by each instance's fault ({@link LoadModel}).
 *
 * <p>{@link #advance(Instant)} accounts for the traffic up to a point in time; the simulator calls
 * it every second and before each scrape. Thread-safe: {@link #advance} and {@link #scrape()} are
 * synchronized, the load is volatile.
 */
final class TrafficMetrics implements AutoCloseable {
  /** The default load per service: the throughput the instances sign in their SLO report. */
  static final double DEFAULT_RPS = 1200;
  /** Latency buckets, seconds: fine around the instances' 120-200 ms, then up past the 2 s SLO. */
  static final Duration[] BUCKETS = {ms(50), ms(100), ms(150), ms(200), ms(250), ms(300), ms(400), ms(500), ms(750),
      ms(1000), ms(1500), ms(2000), ms(2500), ms(3000), ms(4000), ms(5000), ms(7500), ms(10_000)};

  private final MetricsRegistry registry = new MetricsRegistry();
  private final TrafficRouter router;
  private final Map<Instance, Meters> meters = new HashMap<>();
  private volatile double rps;
  private Instant last;

  TrafficMetrics(TrafficRouter router, double rps) {
    this.router = router;
    rps(rps);
  }

  /** Requests per second per service. */
  double rps() {
    return rps;
  }

  /** Sets the load per service, from the next interval on. */
  void rps(double value) {
    if (!(value >= 0 && value <= 1_000_000)) {
      throw new IllegalArgumentException("the load must be between 0 and 1000000 requests per second per service, got "
          + value);
    }
    rps = value;
  }

  /**
   * Records the traffic of every instance from the previous call to {@code now}. The first call
   * starts the clock and creates every instance's series at zero; a {@code now} that is not later
   * than the previous one records nothing.
   */
  synchronized void advance(Instant now, Collection<Instance> instances) {
    Instant from = last;
    if (from != null && !now.isAfter(from)) {
      return;
    }
    last = now;
    double load = rps;
    if (load == 0) {
      return;
    }
    for (Instance i : instances) {
      Meters m = meters.computeIfAbsent(i, this::register);
      if (from == null) {
        continue;
      }
      Duration interval = Duration.between(from, now);
      LoadModel.Profile p = LoadModel.profile(load, weight(i), i.fault(), i.baseLatencyMs());
      LoadModel.Batch b = m.load.advance(p, interval);
      m.ok.increment(b.ok());
      m.failed.increment(b.errors());
      long n = b.requests();
      for (long k = 0; k < n; k++) {
        m.latency.record((long) (LoadModel.latencyMs(p, (k + 0.5) / n) * 1_000_000), TimeUnit.NANOSECONDS);
      }
    }
  }

  /** The Prometheus text exposition: these metrics and the process's JVM metrics. */
  synchronized String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    registry.close();
  }

  private int weight(Instance i) {
    String service = i.id().service();
    String environment = i.id().environment();
    if (!router.routes(service)) {
      return 100;
    }
    TrafficRouter.Split split = router.split(service);
    return switch (environment) {
      case "green" -> split.green();
      case "blue" -> split.blue();
      default -> 100;
    };
  }

  private Meters register(Instance i) {
    String service = i.id().service();
    String environment = i.id().environment();
    var r = registry.registry();
    Counter ok = Counter.builder("vigil.sim.requests").description("Requests the simulated instance served")
        .tags("service", service, "environment", environment, "status_class", "2xx").register(r);
    Counter failed = Counter.builder("vigil.sim.requests").description("Requests the simulated instance served")
        .tags("service", service, "environment", environment, "status_class", "5xx").register(r);
    Timer latency = Timer.builder("vigil.sim.request.duration").description("Latency of the simulated instance's requests")
        .tags("service", service, "environment", environment).serviceLevelObjectives(BUCKETS).register(r);
    return new Meters(ok, failed, latency, new LoadModel.Accumulator());
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private record Meters(Counter ok, Counter failed, Timer latency, LoadModel.Accumulator load) {}
}

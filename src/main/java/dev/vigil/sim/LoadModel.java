package dev.vigil.sim;

import java.time.Duration;

/**
 * The synthetic traffic of one simulated instance: how many requests it serves in an interval, how
 * many of them fail, and how their latencies are spread, from the service's load, the instance's
 * share of it (the traffic router's weight) and the fault it shows. Pure: no clock, no I/O; time
 * enters as the length of the interval.
 *
 * <p>Faults move the traffic as they move the signed report: {@link Fault#HIGH_LATENCY_REPORT} p95
 * {@value #HIGH_LATENCY_P95_MS} ms, {@link Fault#HIGH_ERROR_RATE} {@value #HIGH_ERROR_RATE} of the
 * requests fail, {@link Fault#LOW_THROUGHPUT} at most {@value #LOW_THROUGHPUT_RPS} requests per
 * second. {@link Fault#SLOW_TRAFFIC} and {@link Fault#SLOW} add their delay to every request (the
 * former without changing the signed report); {@link Fault#HTTP_500} and {@link
 * Fault#CONNECTION_REFUSED} fail every request, as a mesh in front of the instance would see it.
 * Other faults change what the instance attests, not its traffic.
 *
 * <p>Latencies follow a fixed piecewise-linear quantile function whose 95th percentile is the
 * profile's p95: 0.4·p95 at q = 0, 0.6·p95 at the median, p95 at q = 0.95, 1.5·p95 at q = 1.
 * Thread safety: the static methods are pure; an {@link Accumulator} is confined to its caller.
 */
final class LoadModel {
  static final double HIGH_LATENCY_P95_MS = 5000;
  static final double HIGH_ERROR_RATE = 0.2;
  static final double BASE_ERROR_RATE = 0.001;
  static final double LOW_THROUGHPUT_RPS = 10;

  private LoadModel() {}

  /**
   * What one instance serves.
   *
   * @param rps requests per second
   * @param p95Ms 95th percentile latency, milliseconds
   * @param errorRate share of requests answered 5xx, 0..1
   */
  record Profile(double rps, double p95Ms, double errorRate) {}

  /** Requests served and failed in one interval; latencies come from {@link #latencyMs(Profile, double)}. */
  record Batch(long requests, long errors) {
    long ok() {
      return requests - errors;
    }
  }

  /**
   * The profile of an instance taking {@code weightPercent} of {@code serviceRps}.
   *
   * @param baseLatencyMs the instance's p95 without a fault
   */
  static Profile profile(double serviceRps, int weightPercent, FaultSetting fault, double baseLatencyMs) {
    double rps = serviceRps * weightPercent / 100.0;
    double p95 = baseLatencyMs;
    double errors = BASE_ERROR_RATE;
    switch (fault.fault()) {
      case HIGH_LATENCY_REPORT -> p95 = HIGH_LATENCY_P95_MS;
      case HIGH_ERROR_RATE -> errors = HIGH_ERROR_RATE;
      case LOW_THROUGHPUT -> rps = Math.min(rps, LOW_THROUGHPUT_RPS);
      case SLOW, SLOW_TRAFFIC -> p95 += fault.delay().toMillis();
      case HTTP_500, CONNECTION_REFUSED -> errors = 1.0;
      default -> {
        // the fault changes the attestation only
      }
    }
    return new Profile(rps, p95, errors);
  }

  /** The latency at quantile {@code q} (0..1) of {@code p}'s distribution, milliseconds. */
  static double latencyMs(Profile p, double q) {
    double x = Math.max(0, Math.min(1, q));
    double f;
    if (x <= 0.5) {
      f = 0.4 + 0.2 * (x / 0.5);
    } else if (x <= 0.95) {
      f = 0.6 + 0.4 * ((x - 0.5) / 0.45);
    } else {
      f = 1.0 + 0.5 * ((x - 0.95) / 0.05);
    }
    return p.p95Ms() * f;
  }

  /**
   * Whole requests of one instance interval by interval: fractions left over from one interval
   * carry into the next, so a long run serves exactly rate × time. Not thread-safe.
   */
  static final class Accumulator {
    /** Absorbs the rounding of sums such as 10 × 0.1, which must make 1 request, not 0. */
    private static final double EPSILON = 1e-9;
    private double requestCarry;
    private double errorCarry;

    /** The requests of {@code p} during {@code interval} (negative intervals count as none). */
    Batch advance(Profile p, Duration interval) {
      double seconds = Math.max(0, interval.toNanos() / 1e9);
      requestCarry += p.rps() * seconds;
      long requests = (long) Math.floor(requestCarry + EPSILON);
      requestCarry -= requests;
      errorCarry += requests * p.errorRate();
      long errors = Math.min(requests, (long) Math.floor(errorCarry + EPSILON));
      errorCarry -= errors;
      return new Batch(requests, errors);
    }
  }
}

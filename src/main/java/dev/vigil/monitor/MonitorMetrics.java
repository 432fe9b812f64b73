package dev.vigil.monitor;

import dev.vigil.http.MetricsRegistry;
import dev.vigil.poll.PollResult;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The monitor metrics of metrics-v1, exactly named, on the daemon's {@link MetricsRegistry} (beside the
 * JVM and process binders). Micrometer's dotted names become the contract's names in the exposition:
 * {@code constitutional_hash_valid}, {@code constitutional_compliance_score},
 * {@code constitutional_fleet_compliance_score}, {@code constitutional_attestation_checks_total},
 * {@code constitutional_attestation_signed}, {@code constitutional_target_up},
 * {@code constitutional_probe_duration_seconds}, {@code constitutional_breach_active},
 * {@code constitutional_breaches_opened_total}, {@code constitutional_poll_lag_seconds},
 * {@code constitutional_monitor_targets}, {@code constitutional_monitor_config_last_reload_successful},
 * {@code constitutional_monitor_partitioned}, {@code constitutional_monitor_overloaded},
 * {@code constitutional_attester_restarts_total}, {@code constitutional_tls_verification_relaxed}
 * ({@code MonitorMetricsTest} checks each in a scrape). The per-target series are one collector over a
 * small record per target ({@link TargetSeries}, a few hundred bytes where eight Micrometer meters
 * took about 4.8 KB); the others are Micrometer meters. Gauges read volatile holders, so a scrape
 * from any thread is safe; updates come from the monitor's context only.
 */
public final class MonitorMetrics implements AutoCloseable {
  private static final Duration[] PROBE_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MetricsRegistry shared = new MetricsRegistry();
  private final PrometheusMeterRegistry registry;
  private final TargetSeries targets;
  private java.util.Set<TargetId> known = java.util.Set.of();
  private final Map<String, Value> fleet = new HashMap<>();
  private final Map<List<String>, Value> breachActive = new HashMap<>();
  private final Value targetCount = new Value(0);
  private final Value reloadOk = new Value(1);
  private final Value partitioned = new Value(0);
  private final Value overloaded = new Value(0);
  private final Timer pollLag;
  private volatile java.util.function.Consumer<Duration> lagTap;

  /** A double a gauge reads; written by one thread, read by any. */
  static final class Value {
    private volatile double v;

    Value(double v) {
      this.v = v;
    }

    double get() {
      return v;
    }

    void set(double value) {
      v = value;
    }
  }

  public MonitorMetrics() {
    this(System::currentTimeMillis);
  }

  /** @param millis the wall clock in milliseconds, for the probe duration's time-window max */
  MonitorMetrics(java.util.function.LongSupplier millis) {
    registry = shared.registry();
    targets = new TargetSeries(PROBE_BUCKETS, millis);
    registry.getPrometheusRegistry().register(targets);
    gauge("constitutional.monitor.targets", "Targets this instance polls", Tags.empty(), targetCount);
    gauge("constitutional.monitor.config.last.reload.successful", "1 if the last configuration (re)load succeeded",
        Tags.empty(), reloadOk);
    gauge("constitutional.monitor.partitioned", "1 while the monitor judges itself cut off (most targets unreachable at once)",
        Tags.empty(), partitioned);
    gauge("constitutional.monitor.overloaded", "1 while the monitor's own event-loop delay or worker queue wait is above "
        + "its threshold (reachability rules held, as when partitioned)", Tags.empty(), overloaded);
    pollLag = Timer.builder("constitutional.poll.lag").description("How late a poll started against its schedule")
        .serviceLevelObjectives(PROBE_BUCKETS).register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The registry {@code /metrics} serves, with the JVM and process meters. */
  public MetricsRegistry shared() {
    return shared;
  }

  /** The Prometheus text exposition. Safe from any thread. */
  public String scrape() {
    return shared.scrape();
  }

  /**
   * Makes the per-target series match {@code ids}: removed targets' series disappear at once; a
   * new target's series appear with its first poll.
   */
  public void setTargets(java.util.Collection<TargetId> ids) {
    known = java.util.Set.copyOf(ids);
    targets.retain(known);
    targetCount.set(ids.size());
  }

  public void recordPoll(PollResult r, OptionalDouble score) {
    if (!known.contains(r.target())) {
      return;
    }
    targets.record(r.target(), r.verification().verdict(), r.verification().signed(), r.responded(),
        score.orElse(Double.NaN), r.duration(), r.attesterRestart());
  }

  public void recordLag(Duration lag) {
    pollLag.record(lag);
    java.util.function.Consumer<Duration> tap = lagTap;
    if (tap != null) {
      tap.accept(lag);
    }
  }

  /** Also hands every poll lag to {@code tap} (benchmarks); called on the monitor's context. */
  public void tapLag(java.util.function.Consumer<Duration> tap) {
    this.lagTap = tap;
  }

  public void setFleetScores(Map<String, Double> scores) {
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      fleet.computeIfAbsent(e.getKey(), env -> {
        Value v = new Value(Double.NaN);
        gauge("constitutional.fleet.compliance.score", "Mean of the per-service compliance scores",
            Tags.of("environment", env), v);
        return v;
      }).set(e.getValue());
    }
  }

  public void recordTransition(BreachTransition t) {
    Breach b = t.breach();
    List<String> key = List.of(b.target().service(), b.target().environment(), b.rule(), b.severity().label());
    Value v = breachActive.computeIfAbsent(key, k -> {
      Value nv = new Value(0);
      gauge("constitutional.breach.active", "1 while a breach is open",
          Tags.of("service", k.get(0), "environment", k.get(1), "rule", k.get(2), "severity", k.get(3)), nv);
      return nv;
    });
    if (t.kind() == BreachTransition.Kind.OPENED) {
      v.set(1);
      Counter.builder("constitutional.breaches.opened").description("Breaches opened")
          .tags("rule", b.rule(), "severity", b.severity().label()).register(registry).increment();
    } else {
      v.set(0);
    }
  }

  /** {@code constitutional_monitor_state_restored_total{source}}: adds {@code n} (0 makes the series appear). */
  public void recordRestored(String source, int n) {
    Counter.builder("constitutional.monitor.state.restored")
        .description("Target states restored at start or on a shard move").tag("source", source)
        .register(registry).increment(n);
  }

  public void setReloadSuccessful(boolean ok) {
    reloadOk.set(ok ? 1 : 0);
  }

  public void setPartitioned(boolean p) {
    partitioned.set(p ? 1 : 0);
  }

  /**
   * {@code constitutional_tls_verification_relaxed}: 1 for the targets in {@code relaxed} (TLS
   * verification weakened by configuration), 0 for the other targets in {@code all}; the series of
   * targets no longer in {@code all} disappear.
   */
  public void setTlsRelaxed(java.util.Collection<TargetId> all, java.util.Set<TargetId> relaxed) {
    targets.setTlsRelaxed(all, relaxed);
  }

  public void setOverloaded(boolean o) {
    overloaded.set(o ? 1 : 0);
  }

  private Gauge gauge(String name, String help, Tags tags, Value v) {
    return Gauge.builder(name, v, Value::get).description(help).tags(tags).register(registry);
  }

  @Override
  public void close() {
    shared.close();
  }
}

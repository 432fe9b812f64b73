package dev.vigil.rollout;

import dev.vigil.rollback.RollbackMetrics;
import dev.vigil.rollback.Weights;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rollout metrics of metrics-v1: {@code constitutional_rollout_step{service}} (absent when the
 * service never had a rollout), {@code constitutional_rollout_state{service,state}} (1 for the
 * current state, 0 for the others), {@code constitutional_rollouts_total{service,status}} and
 * {@code constitutional_rollout_analysis_failures_total{service,check}}; and the weights it sets,
 * on the rollback's {@code constitutional_traffic_weight}. Labels are service names and check names,
 * both validated by the configuration.
 *
 * <p>Thread-safe: meters are registered idempotently and gauges read atomic holders.
 */
public final class RolloutMetrics {
  private final MeterRegistry registry;
  private final RollbackMetrics rollback;
  private final Map<String, AtomicInteger> steps = new ConcurrentHashMap<>();
  private final Map<List<String>, AtomicInteger> states = new ConcurrentHashMap<>();

  public RolloutMetrics(RollbackMetrics rollback) {
    this.rollback = rollback;
    this.registry = rollback.registry();
  }

  /** Exports {@code r}'s step and state. */
  public void show(Rollout r) {
    steps.computeIfAbsent(r.service(), s -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder("constitutional.rollout.step", v, AtomicInteger::get)
          .description("Index of the current step of a rollout (0 before the first)")
          .tags("service", s).register(registry);
      return v;
    }).set(r.step());
    for (RolloutState s : RolloutState.values()) {
      state(r.service(), s).set(s == r.state() ? 1 : 0);
    }
  }

  /** A finished rollout, by status. */
  public void finished(Rollout r) {
    Counter.builder("constitutional.rollouts").description("Finished rollouts by status")
        .tags("service", r.service(), "status", r.state().label()).register(registry).increment();
  }

  /** Counts the failed checks of one analysis. */
  public void analysed(String service, List<Check> checks) {
    for (Check c : checks) {
      if (!c.passed()) {
        Counter.builder("constitutional.rollout.analysis.failures")
            .description("Analysis checks that failed during rollouts").tags("service", service, "check", c.check())
            .register(registry).increment();
      }
    }
  }

  /** The weights now in effect after a step (also {@code constitutional_traffic_weight}). */
  public void weights(Rollout r, int toWeight) {
    Weights w = new Weights(toWeight, 100 - toWeight);
    rollback.weights(r.service(), r.to(), r.from(), w);
  }

  private AtomicInteger state(String service, RolloutState s) {
    return states.computeIfAbsent(List.of(service, s.label()), k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder("constitutional.rollout.state", v, AtomicInteger::get)
          .description("1 for the rollout's current state").tags(Tags.of("service", service, "state", s.label()))
          .register(registry);
      return v;
    });
  }
}

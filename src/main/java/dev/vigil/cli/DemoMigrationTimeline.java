package dev.vigil.cli;

import dev.vigil.events.RollbackFinished;
import dev.vigil.rollout.Check;
import dev.vigil.rollout.Rollout;
import dev.vigil.rollout.RolloutState;
import dev.vigil.score.TargetId;
import dev.vigil.sim.TrafficRouter;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The migration demo's timeline: from the rollouts as the controller lists them (read every 100
 * ms), each started rollout, applied step (with the analysis that let it through), failed analysis,
 * abort and outcome, and at the end the figures: time per step, per service, end to end, and from
 * the failing analysis to traffic back on blue and validated. Observed times are accurate to the
 * 100 ms of the reading. Called from one thread at a time (the demo's Vert.x timer, then the demo's
 * thread after it stopped).
 */
final class DemoMigrationTimeline {
  private final DemoTimeline line;
  private final Clock clock;
  private final Function<String, TrafficRouter.Split> router;
  private final Map<String, Rollout> seen = new LinkedHashMap<>();
  private final Map<String, Instant> stepAt = new HashMap<>();
  private final Map<String, Instant> firstFailure = new HashMap<>();
  private final Map<String, Instant> abortingAt = new HashMap<>();
  private final List<Duration> stepTimes = new ArrayList<>();
  private final Map<String, Duration> abortTimes = new LinkedHashMap<>();
  private Instant planStart;
  private Instant planEnd;

  /** @param router a service's weights as the traffic router has them now */
  DemoMigrationTimeline(PrintWriter out, Clock clock, Function<String, TrafficRouter.Split> router) {
    this.line = new DemoTimeline(out, clock);
    this.clock = clock;
    this.router = router;
  }

  void fault(TargetId id, String what) {
    line.fault(id, what);
  }

  /** A rollback the controller finished (a breach during the migration); from any thread. */
  void rollback(RollbackFinished o) {
    line.rollback(o);
  }

  /** Prints what changed since the last reading. */
  void observe(List<Rollout> all) {
    Instant now = clock.instant();
    for (Rollout r : all) {
      Rollout before = seen.put(r.service(), r);
      if (before == null || !before.id().equals(r.id())) {
        started(r, now);
      } else {
        changed(before, r, now);
      }
    }
  }

  private void started(Rollout r, Instant now) {
    if (planStart == null) {
      planStart = r.startedAt();
    }
    stepAt.put(r.service(), r.startedAt());
    line.line("ROLLOUT", r.service() + " started: " + r.from() + " -> " + r.to() + " in steps " + r.steps() + " %"
        + (r.then().isEmpty() ? "" : "; then " + r.then().size() + " more service(s)"));
    if (r.step() > 0) {
      step(r, now);
    }
    if (r.state().finished()) {
      finished(r, now);
    }
  }

  private void changed(Rollout before, Rollout r, Instant now) {
    if (r.failures() > before.failures() || r.inconclusive() > before.inconclusive()) {
      firstFailure.putIfAbsent(r.service(), now);
      line.line("ANALYSIS", r.service() + " " + (r.failures() > before.failures() ? "FAILED" : "inconclusive") + " ("
          + r.failures() + " failed in a row): " + checks(r.analysis(), false));
    }
    if (r.step() > before.step()) {
      step(r, now);
    }
    if (r.state() != before.state()) {
      if (r.state() == RolloutState.ABORTING) {
        abortingAt.put(r.service(), now);
        line.line("ROLLOUT", r.service() + " ABORTING: " + r.detail() + "; moving all traffic back to " + r.from());
      } else if (r.state().finished()) {
        finished(r, now);
      } else {
        line.line("ROLLOUT", r.service() + " " + r.state().label() + ": " + r.detail());
      }
    }
  }

  private void step(Rollout r, Instant now) {
    Instant prev = stepAt.put(r.service(), now);
    Duration at = Duration.between(prev, now);
    stepTimes.add(at);
    line.line("STEP", String.format(Locale.ROOT, "%s step %d/%d: %s %d %% / %s %d %% (%.1f s after the previous; "
        + "analysis: %s)", r.service(), r.step(), r.steps().size(), r.to(), r.weight(), r.from(), 100 - r.weight(),
        at.toMillis() / 1000.0, checks(r.analysis(), true)));
  }

  private void finished(Rollout r, Instant now) {
    planEnd = now;
    TrafficRouter.Split split = router.apply(r.service());
    String router = "router: " + r.from() + " " + weight(split, r.from()) + " % / " + r.to() + " " + weight(split, r.to())
        + " %";
    Duration took = Duration.between(r.startedAt(), r.finishedAt() == null ? now : r.finishedAt());
    if (r.state() == RolloutState.PROMOTED) {
      line.line("ROLLOUT", String.format(Locale.ROOT, "%s PROMOTED in %.1f s (%s): %s", r.service(),
          took.toMillis() / 1000.0, router, r.detail()));
      return;
    }
    Instant failed = firstFailure.getOrDefault(r.service(), abortingAt.get(r.service()));
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %s after %.1f s (%s): %s", r.service(),
        r.state().label().toUpperCase(Locale.ROOT), took.toMillis() / 1000.0, router, r.detail()));
    if (failed != null && r.state() == RolloutState.ABORTED) {
      Duration back = Duration.between(failed, now);
      abortTimes.put(r.service(), back);
      b.append(String.format(Locale.ROOT, "; first failing analysis -> traffic back on %s and validated: %.1f s",
          r.from(), back.toMillis() / 1000.0));
    }
    line.line("ROLLOUT", b.toString());
  }

  /** True once no rollout runs and the plan either promoted every service or stopped at one. */
  boolean planOver(List<Rollout> all, List<String> order) {
    if (all.isEmpty() || all.stream().anyMatch(Rollout::running)) {
      return false;
    }
    long promoted = all.stream().filter(r -> r.state() == RolloutState.PROMOTED).count();
    return promoted == order.size() || all.stream().anyMatch(r -> r.state() != RolloutState.PROMOTED);
  }

  /** Where every service ended, where the plan stopped, and the figures. */
  void summary(List<String> order) {
    List<String> untouched = order.stream().filter(s -> !seen.containsKey(s)).toList();
    seen.values().stream().filter(r -> r.state().finished() && r.state() != RolloutState.PROMOTED).findFirst()
        .ifPresent(r -> line.line("PLAN", "stopped at " + r.service() + " (" + r.state().label() + ": " + r.detail() + ")"
            + (untouched.isEmpty() ? "" : "; " + String.join(", ", untouched) + " stay on " + r.from())));
    line.line("PLAN", order.stream().map(s -> s + " " + (seen.containsKey(s) ? seen.get(s).state().label() : "not started"))
        .collect(Collectors.joining(", ")));
    if (!stepTimes.isEmpty()) {
      double mean = stepTimes.stream().mapToLong(Duration::toMillis).average().orElse(0) / 1000.0;
      double max = stepTimes.stream().mapToLong(Duration::toMillis).max().orElse(0) / 1000.0;
      line.line("FIGURES", String.format(Locale.ROOT, "%d steps applied: %.1f s per step on average, %.1f s at most",
          stepTimes.size(), mean, max));
    }
    if (planStart != null && planEnd != null) {
      line.line("FIGURES", String.format(Locale.ROOT, "plan end to end: %.1f s",
          Duration.between(planStart, planEnd).toMillis() / 1000.0));
    }
    abortTimes.forEach((service, d) -> line.line("FIGURES", String.format(Locale.ROOT,
        "%s: first failing analysis -> traffic back on blue and validated in %.1f s", service, d.toMillis() / 1000.0)));
  }

  /** What the controller published on {@code topic}, as read back and verified. */
  void events(String topic, DemoEvents.Tally t) {
    line.line("EVENTS", t.total() + " signed events on " + topic + (t.rejected() == 0 ? ", every one verified"
        : ", " + t.rejected() + " record(s) did NOT verify") + ": " + t.verified().entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
  }

  /**
   * True when every service before {@code degraded} was promoted and {@code degraded} aborted with
   * the rest untouched, or, without a degraded service, when all were promoted.
   */
  boolean outcomeAsExpected(String degraded, List<String> order) {
    for (String s : order) {
      Rollout r = seen.get(s);
      if (s.equals(degraded)) {
        return r != null && r.state() == RolloutState.ABORTED
            && order.subList(order.indexOf(s) + 1, order.size()).stream().noneMatch(seen::containsKey);
      }
      if (r == null || r.state() != RolloutState.PROMOTED) {
        return false;
      }
    }
    return true;
  }

  private static String checks(List<Check> checks, boolean passedToo) {
    return checks.stream().filter(c -> passedToo || !c.passed()).map(DemoMigrationTimeline::check)
        .collect(Collectors.joining(", "));
  }

  private static String check(Check c) {
    if (c.inconclusive()) {
      return c.check() + " no data";
    }
    String value = c.value() instanceof Double d ? String.format(Locale.ROOT, "%.3g", d) : String.valueOf(c.value());
    return c.check() + " " + value + (c.passed() ? " ok" : " FAILED (threshold " + c.threshold() + ")");
  }

  private static int weight(TrafficRouter.Split s, String environment) {
    return "green".equals(environment) ? s.green() : s.blue();
  }
}

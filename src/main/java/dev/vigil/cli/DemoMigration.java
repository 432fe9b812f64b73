package dev.vigil.cli;

import static dev.vigil.cli.DemoCommand.await;

import dev.vigil.config.Durations;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EmbeddedKafka;
import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.rollback.RollbackController;
import dev.vigil.rollout.Rollouts;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code vigil demo --scenario migration}: the simulator with every service on blue, a rollback
 * controller running the seed's migration plan blue → green step by step, a real Prometheus
 * scraping the simulator's traffic when the binary is installed, and one service's green side
 * degrading once it takes half the traffic: its analysis fails, it aborts back to blue and the plan
 * stops there. The timeline ({@link DemoMigrationTimeline}) says what happened and why, with the
 * figures of docs/benchmarks.md. Blocking; run once.
 */
final class DemoMigration {
  /** The longest the scenario runs before it gives up waiting for the plan to end. */
  static final Duration CAP = Duration.ofMinutes(10);
  private static final int DEGRADE_AT = 50;

  private final DemoCommand options;
  private final PrintWriter out;
  private final CountDownLatch stop;

  DemoMigration(DemoCommand options, PrintWriter out, CountDownLatch stop) {
    this.options = options;
    this.out = out;
    this.stop = stop;
  }

  int run() throws Exception {
    if (options.stepInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new Main.InputException("--step-interval must be at least 1s");
    }
    String degraded = "none".equals(options.degrade) ? null : options.degrade;
    if (degraded != null && !SimulatorOptions.ACGS_SERVICES.contains(degraded)) {
      throw new Main.InputException("--degrade: unknown service '" + degraded + "'; services: "
          + String.join(", ", SimulatorOptions.ACGS_SERVICES) + ", or none");
    }
    Clock clock = Clock.systemUTC();
    Vertx vertx = Vertx.vertx();
    EmbeddedKafka kafka = null;
    DemoPrometheus prometheus = null;
    RollbackController controller = null;
    MonitorMetrics metrics = new MonitorMetrics();
    try {
      FleetSimulator sim = await(FleetSimulator.start(vertx, options.simulatorOptions()), "start the simulator");
      for (String s : SimulatorOptions.ACGS_SERVICES) {
        sim.traffic().set(s, new TrafficRouter.Split(0, 100));
      }
      Path dir = DemoCommand.writeKeys(sim);
      Path binary = options.noPrometheus ? null : DemoPrometheus.executable().orElse(null);
      if (binary != null) {
        prometheus = DemoPrometheus.start(binary, dir.resolve("prometheus"), sim.adminUrl().getAuthority());
      }
      kafka = EmbeddedKafka.create().start();
      Duration analysisInterval = options.stepInterval.dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0
          ? Duration.ofSeconds(1) : options.stepInterval.dividedBy(4);
      VigilConfig config = options.config("migration.yaml", sim, dir, kafka.bootstrapServers(), Map.of(
          "DEMO_STEP_INTERVAL", Durations.format(options.stepInterval),
          "DEMO_ANALYSIS_INTERVAL", Durations.format(analysisInterval)),
          prometheus == null ? "" : DemoQueries.yaml(prometheus.url()));
      DemoMigrationTimeline timeline = new DemoMigrationTimeline(out, clock, sim.traffic()::split);
      controller = await(DemoCommand.startController(vertx, config, metrics, clock, timeline::rollback),
          "start the rollback controller");
      DemoCommand.awaitReady(controller);
      header(sim, prometheus, kafka.bootstrapServers(), degraded, analysisInterval);
      if (degraded != null) {
        degradeAtHalf(vertx, sim, new TargetId(degraded, "green"), prometheus != null, timeline);
      }
      if (prometheus != null && !prometheus.awaitData(
          "sum(rate(vigil_sim_requests_total{environment=\"blue\"}[5s])) > 0", Duration.ofSeconds(30))) {
        throw new Main.InputException("Prometheus at " + prometheus.url() + " has no data from the simulator after 30 s");
      }
      Rollouts rollouts = controller.rollouts();
      Rollouts.Result started = await(rollouts.startPlan(), "start the migration plan");
      if (started.error() != null) {
        throw new Main.InputException("the controller refused the plan (" + started.status() + "): " + started.error());
      }
      CountDownLatch over = new CountDownLatch(1);
      long watch = vertx.setPeriodic(100, id -> rollouts.list().onSuccess(all -> {
        timeline.observe(all);
        if (timeline.planOver(all, config.rollout().order())) {
          over.countDown();
        }
      }));
      waitForEither(over, stop);
      vertx.cancelTimer(watch);
      timeline.observe(await(rollouts.list(), "read the rollouts"));
      timeline.summary(config.rollout().order());
      timeline.events(config.rollout().topic(), DemoEvents.read(kafka.bootstrapServers(), config.rollout().topic(),
          config.controller().trustStore(), clock.instant(), Duration.ofSeconds(10)));
      await(controller.close(), "stop the rollback controller");
      controller = null;
      await(sim.stop(), "stop the simulator");
      return timeline.outcomeAsExpected(degraded, config.rollout().order()) ? 0 : 1;
    } finally {
      (controller == null ? Future.<Void>succeededFuture() : controller.close()).eventually(vertx::close)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      metrics.close();
      if (prometheus != null) {
        prometheus.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** Ctrl-C or the plan's end, whichever comes first (at most {@link #CAP}). */
  private static void waitForEither(CountDownLatch over, CountDownLatch stop) throws InterruptedException {
    long deadline = System.nanoTime() + CAP.toNanos();
    while (System.nanoTime() < deadline && stop.getCount() > 0) {
      if (over.await(200, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  /**
   * Slows {@code green}'s traffic (or, without Prometheus, makes its signed report say so) once the
   * router gives it {@value #DEGRADE_AT} % or more: a green side that cannot take half the load.
   */
  private static void degradeAtHalf(Vertx vertx, FleetSimulator sim, TargetId green, boolean measured,
      DemoMigrationTimeline timeline) {
    AtomicBoolean done = new AtomicBoolean();
    Fault fault = measured ? Fault.SLOW_TRAFFIC : Fault.HIGH_LATENCY_REPORT;
    vertx.setPeriodic(50, id -> {
      if (!done.get() && sim.traffic().split(green.service()).green() >= DEGRADE_AT && done.compareAndSet(false, true)) {
        vertx.cancelTimer(id);
        sim.setFault(green, fault).onSuccess(v -> timeline.fault(green, measured
            ? green + " takes " + DEGRADE_AT + " % of the traffic and slows down: its measured p95 rises by 3 s,"
                + " its signed SLO report does not change (fault slow_traffic)"
            : green + " takes " + DEGRADE_AT + " % of the traffic and slows down: its signed SLO report says p95 5 s"
                + " (fault high_latency_report; without Prometheus only what the service signs is seen)"));
      }
    });
  }

  private void header(FleetSimulator sim, DemoPrometheus prometheus, String bootstrap, String degraded,
      Duration analysisInterval) {
    List<String> order = SimulatorOptions.ACGS_SERVICES;
    out.println("Vigil demo, migration: " + order.size() + " simulated ACGS services move blue -> green one after"
        + " another, in steps " + List.of(10, 50, 90, 100) + " % with " + Durations.format(options.stepInterval)
        + " per step, an analysis before each step and every " + Durations.format(analysisInterval) + ".");
    out.println("  analysis        green attested compliant 3 times in a row (fresh nonces), its signed SLO report"
        + " within the rules" + (prometheus == null ? "" : ", PromQL p95 <= 2 s and error rate <= 1 % of its traffic"));
    if (prometheus == null) {
      out.println("  Prometheus      " + (options.noPrometheus ? "off (--no-prometheus)" : "not installed (Debian package"
          + " prometheus)") + ": the rollouts gate on signed evidence only");
    } else {
      out.println("  Prometheus      " + prometheus.url() + " scrapes the simulator's traffic at " + sim.adminUrl()
          + "/metrics every second");
    }
    out.println("  traffic router  " + sim.adminUrl() + "/traffic");
    out.println("  Kafka (embedded) " + bootstrap + "  topic constitutional.rollouts");
    out.println("  " + (degraded == null ? "no service degrades: the whole plan should promote"
        : degraded + "'s green side degrades at " + DEGRADE_AT + " %: the plan should stop there"));
    out.flush();
  }

  /** The PromQL checks of the demo, against the simulator's traffic metrics. */
  static final class DemoQueries {
    private DemoQueries() {}

    /**
     * {@code rollout.analysis.prometheus} for {@code url}. A side that demonstrably serves no
     * request (before the first step) reads 0, not "no data": the counter is scraped and flat.
     */
    static String yaml(java.net.URI url) {
      String sel = "service=\\\"{{service}}\\\",environment=\\\"{{environment}}\\\"";
      String rps = "sum(rate(vigil_sim_requests_total{" + sel + "}[5s]))";
      String idle = " and on() " + rps + " > 0 or on() " + rps + " == 0";
      String p95 = "histogram_quantile(0.95, sum by (le) (rate(vigil_sim_request_duration_seconds_bucket{" + sel
          + "}[5s])))" + idle;
      String errors = "sum(rate(vigil_sim_requests_total{" + sel + ",status_class=\\\"5xx\\\"}[5s])) / " + rps + idle;
      return "    prometheus:\n"
          + "      url: " + url + "\n"
          + "      timeout: 2s\n"
          + "      inconclusiveLimit: 2\n"
          + "      queries:\n"
          + "        - {name: measured_p95, max: 2, query: \"" + p95 + "\"}\n"
          + "        - {name: measured_error_rate, max: 0.01, query: \"" + errors + "\"}\n";
    }
  }
}

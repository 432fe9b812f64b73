package dev.vigil.cli;

import dev.vigil.attest.Verdict;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.Durations;
import dev.vigil.config.VigilConfig;
import dev.vigil.monitor.MonitorBuilder;
import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.monitor.MonitorVerticle;
import dev.vigil.http.TargetStatus;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.events.EmbeddedKafka;
import dev.vigil.rollback.RollbackController;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil demo}: the simulator and a monitor in one process, a tamper, and a readable
 * timeline; or, with {@code --scenario migration}, the progressive migration ({@link DemoMigration}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run the simulated ACGS-PGP fleet (7 services, green and blue) and a monitor on the shipped demo",
        "configuration, tamper with integrity-service/green's constitutional hash, and print the timeline.",
        "With --scenario migration: migrate the fleet blue -> green service by service, gated on evidence.",
        "Ctrl-C ends it cleanly."
    })
final class DemoCommand implements Callable<Integer> {
  static final TargetId TAMPERED = new TargetId("integrity-service", "green");

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin LogOptions logging = new LogOptions();

  /** What the demo shows. */
  enum Scenario {
    TAMPER, MIGRATION
  }

  @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "tamper", converter = ScenarioConverter.class,
      description = {"tamper (default): a tampered service is rolled back to blue;",
          "migration: all seven services rolled out blue -> green step by step, gated on signed evidence",
          "(and PromQL when prometheus is installed); formal-verification-service's green side slows at 50 %%."})
  Scenario scenario;

  @Option(names = "--step-interval", paramLabel = "DURATION", defaultValue = "4s", converter = Converters.HumanDuration.class,
      description = "migration: dwell per step (default: ${DEFAULT-VALUE}).")
  Duration stepInterval;

  @Option(names = "--degrade", paramLabel = "SERVICE", defaultValue = "formal-verification-service",
      description = "migration: the service whose green side degrades at 50 %% (default: ${DEFAULT-VALUE}; none: no service).")
  String degrade;

  @Option(names = "--no-prometheus", description = "migration: gate on signed evidence only, even when prometheus is installed.")
  boolean noPrometheus;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "90s", converter = Converters.HumanDuration.class,
      description = "How long to run (default: ${DEFAULT-VALUE}; 0s runs until Ctrl-C).")
  Duration duration;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = Converters.HumanDuration.class,
      description = "Poll interval (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--tamper-at", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.HumanDuration.class,
      description = "When to tamper with integrity-service/green's hash (default: ${DEFAULT-VALUE}).")
  Duration tamperAt;

  @Option(names = "--clear-after", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.HumanDuration.class,
      description = "How long the tamper lasts before it is cleared (default: ${DEFAULT-VALUE}; 0s keeps it).")
  Duration clearAfter;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9470", description = "Monitor HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "8000",
      description = "Simulator green ports start here, blue at +100 (default: ${DEFAULT-VALUE}; 0 picks free ones).")
  int basePort;

  @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "8099",
      description = "Simulator fault-injection API port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int adminPort;

  /** Parses {@code tamper} or {@code migration}; the error lists both. */
  static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
    @Override
    public Scenario convert(String value) {
      for (Scenario s : Scenario.values()) {
        if (s.name().toLowerCase(java.util.Locale.ROOT).equals(value)) {
          return s;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("unknown scenario '" + value + "'; accepted: tamper, migration");
    }
  }

  @Override
  public Integer call() throws Exception {
    logging.apply(dev.vigil.logging.Logging.Profile.DEMO);
    checkPort("--port", port);
    checkPort("--base-port", basePort);
    checkPort("--admin-port", adminPort);
    try {
      simulatorOptions();
    } catch (IllegalArgumentException layout) {
      // In range but unusable together (the last instance port past 65535, the admin port on an instance's).
      throw new Main.InputException("--base-port " + basePort + " / --admin-port " + adminPort + ": " + layout.getMessage());
    }
    if (port != 0) {
      // Before the broker, the simulator and the monitor start: a taken port is one line, not their shutdown.
      try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
        probe.bind(new java.net.InetSocketAddress(host, port));
      } catch (java.io.IOException taken) {
        throw new Main.InputException("--port " + port + ": cannot listen on " + host + " (" + taken.getMessage()
            + "); pick another, or 0 for any free port");
      }
    }
    if (interval.compareTo(Duration.ofMillis(200)) < 0) {
      throw new Main.InputException("--interval must be at least 200ms");
    }
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      awaitQuietly(finished, 15);
    }, "vigil-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return scenario == Scenario.MIGRATION ? new DemoMigration(this, out, stop).run() : tamper(out, stop);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running: it waits for `finished`
      }
    }
  }

  private int tamper(PrintWriter out, CountDownLatch stop) throws Exception {
    Clock clock = Clock.systemUTC();
    Vertx vertx = Vertx.vertx();
    EmbeddedKafka kafka = null;
    RollbackController controller = null;
    try {
      FleetSimulator sim = await(FleetSimulator.start(vertx, simulatorOptions()), "start the simulator");
      Path dir = writeKeys(sim);
      kafka = EmbeddedKafka.create().start();
      VigilConfig config = DemoEvidence.configure(config(sim, dir, kafka.bootstrapServers()), dir, interval);
      java.time.Instant began = clock.instant();
      DemoTimeline timeline = new DemoTimeline(out, clock);
      MonitorMetrics metrics = new MonitorMetrics();
      controller = await(startController(vertx, config, metrics, clock, timeline::rollback),
          "start the rollback controller");
      awaitReady(controller);
      MonitorVerticle verticle = MonitorBuilder.of(config).clock(clock).metrics(metrics).listener(timeline).build();
      await(vertx.deployVerticle(verticle), "start the monitor");
      header(out, sim, verticle.port(), kafka.bootstrapServers());
      vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> verticle.inspect(m -> {
        List<TargetStatus> ts = m.targets();
        long ok = ts.stream().filter(t -> t.verdict() == Verdict.COMPLIANT).count();
        timeline.cycle(m.fleetScores(), ok, ts.size());
        return null;
      }));
      vertx.setTimer(Math.max(1, tamperAt.toMillis()), id -> sim.setFault(TAMPERED, Fault.TAMPERED_HASH)
          .onSuccess(v -> timeline.fault(TAMPERED, "tampering " + TAMPERED + ": its constitutional hash is now deadbeefdeadbeef")));
      if (!clearAfter.isZero()) {
        vertx.setTimer(tamperAt.plus(clearAfter).toMillis(), id -> sim.clearFault(TAMPERED)
            .onSuccess(v -> timeline.note("cleared the tamper on " + TAMPERED + ": it attests the approved hash again")));
      }
      if (duration.isZero()) {
        stop.await();
      } else {
        stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      }
      String traffic = "traffic " + TAMPERED.service() + " green " + sim.traffic().split(TAMPERED.service()).green()
          + " % / blue " + sim.traffic().split(TAMPERED.service()).blue() + " %";
      List<String> summary = await(verticle.inspect(m -> DemoSummary.lines(m.openBreaches(), m.recentlyResolved().size(),
          traffic, clock.instant())), "summarise");
      summary.forEach(timeline::note);
      // The controller first: stopping it takes a moment, and the monitor (with its outbox) just before Vert.x.
      await(controller.close(), "stop the rollback controller");
      controller = null;
      await(vertx.undeploy(verticle.deploymentID()), "stop the monitor");
      await(sim.stop(), "stop the simulator");
      metrics.close();
      DemoEvidence.printCommands(out, config, dir, began, clock.instant());
      return 0;
    } finally {
      (controller == null ? Future.<Void>succeededFuture() : controller.close()).eventually(vertx::close)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** A port option outside 0..65535 is a usage error naming the option, before anything starts. */
  private static void checkPort(String option, int value) {
    if (value < 0 || value > 65_535) {
      throw new Main.InputException(option + ": invalid port " + value + ": use 0 to 65535 (0 picks a free one)");
    }
  }

  SimulatorOptions simulatorOptions() {
    return SimulatorOptions.defaults().withHost(host).withBasePort(basePort).withAdminPort(adminPort);
  }

  /**
   * A fresh directory holding the simulator's public keys and the events key of this demo only
   * ({@code demo-event.key.pem}, {@code .pub.pem}): the monitor signs breach events and the
   * controller its own events with it; the controller trusts it.
   */
  static Path writeKeys(FleetSimulator sim) throws IOException {
    Path dir = Files.createTempDirectory("vigil-demo-");
    sim.writePublicKeys(dir);
    SigningKey eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("demo-event.key.pem"), eventKey.privatePem());
    Files.writeString(dir.resolve("demo-event.pub.pem"), eventKey.publicKey().toPem());
    return dir;
  }

  static Future<RollbackController> startController(Vertx vertx, VigilConfig config, MonitorMetrics metrics,
      Clock clock, java.util.function.Consumer<dev.vigil.events.RollbackFinished> rollbacks) {
    return RollbackController.start(vertx, config, metrics.registry(), clock, () -> {
      throw new IllegalStateException("the demo has no Kubernetes: its actuator is the simulator's router");
    }, rollbacks::accept);
  }

  static void awaitReady(RollbackController c) throws InterruptedException {
    long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!c.ready() && System.nanoTime() < ready) {
      Thread.sleep(50); // not a test: waiting (bounded) for the consumer group to assign the breaches topic
    }
  }

  private VigilConfig config(FleetSimulator sim, Path keys, String bootstrap) throws IOException {
    return config("demo.yaml", sim, keys, bootstrap, Map.of(), "");
  }

  /**
   * The shipped demo configuration {@code resource} (below {@code /dev/vigil/demo/}) with its
   * {@code DEMO_*} variables set from the options, {@code env} and the simulator, {@code appended}
   * YAML at its end.
   */
  VigilConfig config(String resource, FleetSimulator sim, Path keys, String bootstrap, Map<String, String> more,
      String appended) throws IOException {
    Map<String, String> env = new HashMap<>(more);
    env.put("DEMO_BOOTSTRAP", bootstrap);
    env.put("DEMO_SIM_ADMIN", sim.adminUrl().toString());
    env.put("DEMO_KEYS", keys.toString());
    env.put("DEMO_HOST", host);
    env.put("DEMO_PORT", Integer.toString(port));
    byte[] token = new byte[24];
    new SecureRandom().nextBytes(token);
    env.put("DEMO_ADMIN_TOKEN", HexFormat.of().formatHex(token));
    env.put("DEMO_INTERVAL", Durations.format(interval));
    Duration timeout = interval.dividedBy(2).compareTo(Duration.ofSeconds(2)) < 0 ? interval.dividedBy(2) : Duration.ofSeconds(2);
    env.put("DEMO_TIMEOUT", Durations.format(timeout));
    List<String> services = SimulatorOptions.ACGS_SERVICES;
    for (int i = 0; i < services.size(); i++) {
      env.put("DEMO_GREEN_" + i, Integer.toString(sim.baseUrl(new TargetId(services.get(i), "green")).getPort()));
      env.put("DEMO_BLUE_" + i, Integer.toString(sim.baseUrl(new TargetId(services.get(i), "blue")).getPort()));
    }
    String yaml;
    try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/vigil/demo/" + resource)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8) + appended;
    }
    ConfigResult r = ConfigLoader.parse(yaml, keys, env);
    if (!r.isValid()) {
      throw new IllegalStateException("the shipped demo configuration " + resource + " is invalid: " + r.errors());
    }
    return r.orElseThrow();
  }

  private void header(PrintWriter out, FleetSimulator sim, int monitorPort, String bootstrap) {
    String base = "http://" + host + ":" + monitorPort;
    out.println("Vigil demo: " + SimulatorOptions.ACGS_SERVICES.size() + " simulated ACGS services, green and blue ("
        + sim.targets().size() + " instances), sign attestations; the monitor polls every " + Durations.format(interval) + ".");
    out.println("  status page     " + base + "/");
    out.println("  metrics         " + base + "/metrics");
    out.println("  API             " + base + "/api/v1/targets");
    out.println("  fault injection " + sim.adminUrl() + "/faults");
    out.println("  traffic router  " + sim.adminUrl() + "/traffic");
    out.println("  Kafka (embedded) " + bootstrap + "  topics constitutional.breaches, constitutional.rollbacks");
    out.println("  rollback controller: consumes the breaches, moves traffic green -> blue, validates blue;"
        + " its metrics are on the same /metrics");
    out.println("  tamper with " + TAMPERED + " at " + Durations.format(tamperAt)
        + (duration.isZero() ? "; runs until Ctrl-C" : "; ends after " + Durations.format(duration)));
    out.flush();
  }

  static <T> T await(Future<T> f, String what) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new Main.InputException("cannot " + what + ": " + e.getCause().getMessage());
    }
  }

  private static void awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

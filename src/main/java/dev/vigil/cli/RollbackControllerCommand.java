package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.http.MetricsRegistry;
import dev.vigil.rollback.ControllerHttp;
import dev.vigil.rollback.RollbackController;
import dev.vigil.rollout.RolloutApi;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil rollback-controller}: consumes breach events and rolls traffic back to blue. */
@Command(
    name = "rollback-controller",
    mixinStandardHelpOptions = true,
    description = {
        "Consume signed breach events (events-v1) from the breaches topic in a consumer group, move a",
        "breached service's traffic from green back to blue with its configured actuator, validate blue",
        "by its own attestation, and publish rollback.finished. Runs progressive rollouts (vigil rollout).",
        "Serves /metrics, /health/live, /health/ready and /api/v1/rollouts (bearer server.adminToken) on",
        "controller.port (default 9471). Runs until SIGINT/SIGTERM."
    })
final class RollbackControllerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin LogOptions logging = new LogOptions();

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration (see config/vigil.yaml).")
  Path config;

  @Override
  public Integer call() throws Exception {
    logging.apply(dev.vigil.logging.Logging.Profile.DAEMON);
    VigilConfig vigil = CliFiles.config(config, spec.commandLine().getErr());
    List<dev.vigil.config.ConfigError> problems = dev.vigil.config.ControllerConfig.requirements(vigil);
    if (!problems.isEmpty()) {
      for (dev.vigil.config.ConfigError p : problems) {
        spec.commandLine().getErr().println(config + ": " + p);
      }
      throw new Main.InputException("--config " + config + ": " + problems.size() + " error(s); nothing started");
    }
    dev.vigil.tracing.Tracing.install(dev.vigil.tracing.Tracing.start(vigil.tracing(), System.getenv(),
        "vigil-rollback-controller"));
    MetricsRegistry metrics = new MetricsRegistry();
    PrometheusMeterRegistry registry = metrics.registry();
    Vertx vertx = Vertx.vertx();
    Started started;
    try {
      started = RollbackController.start(vertx, vigil, registry, Clock.systemUTC(), null)
          .compose(c -> ControllerHttp.start(vertx, vigil.controller(), vigil.server().adminToken(), registry,
              c::notReady, new RolloutApi(c::rollouts, vigil.server().adminToken())::install, Clock.systemUTC())
              .map(s -> new Started(c, s)))
          .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      vertx.close();
      metrics.close();
      throw new Main.InputException(String.valueOf(e.getCause().getMessage()));
    }
    spec.commandLine().getOut().println("vigil rollback-controller " + vigil.monitorId() + ": group "
        + vigil.controller().consumerGroup() + " on " + vigil.kafka().breachesTopic() + " at "
        + vigil.kafka().bootstrapServers() + "; " + started.server().security().scheme() + "://" + vigil.controller().host()
        + ":" + (started.server().metrics() != null ? started.server().metrics() : started.server().main()).actualPort()
        + "/metrics");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        started.controller().close().eventually(vertx::close)
            .toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      metrics.close();
      dev.vigil.tracing.Tracing.current().close(); // exports the last spans
      stopped.countDown();
    }, "vigil-rollback-controller-shutdown"));
    stopped.await();
    return 0;
  }

  private record Started(RollbackController controller, ControllerHttp.Listening server) {}
}

package dev.vigil.cli;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.monitor.ConfigSource;
import dev.vigil.monitor.MonitorBuilder;
import dev.vigil.monitor.MonitorVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil monitor}: the daemon. */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
        "Poll every configured target, verify its signed attestation, score compliance, open and resolve",
        "breaches, and serve /metrics, /health/live, /health/ready, /api/v1/targets, /api/v1/breaches and a",
        "status page. SIGHUP or POST /-/reload (bearer admin token) re-reads the configuration; an invalid",
        "one is refused and the running one stays. Runs until SIGINT/SIGTERM."
    })
final class MonitorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin LogOptions logging = new LogOptions();

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration (see config/vigil.yaml).")
  Path config;

  @Override
  public Integer call() throws Exception {
    logging.apply(dev.vigil.logging.Logging.Profile.DAEMON);
    VigilConfig initial = CliFiles.config(config, spec.commandLine().getErr());
    dev.vigil.tracing.Tracing.install(dev.vigil.tracing.Tracing.start(initial.tracing(), System.getenv(), "vigil-monitor"));
    ConfigSource source = () -> {
      ConfigResult r = ConfigLoader.load(config, System.getenv());
      return new ConfigSource.Loaded(r.isValid() ? r.orElseThrow() : null,
          r.errors().stream().map(Object::toString).toList());
    };
    // With kafka.bootstrapServers set, the verticle sends events through the durable outbox to Kafka; else they are logged.
    Vertx vertx = Vertx.vertx();
    MonitorVerticle verticle = MonitorBuilder.of(initial).configSource(source).build();
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      vertx.close();
      throw new Main.InputException(e.getCause().getMessage());
    }
    Signals.onHangup(verticle::reloadFromAnyThread);
    spec.commandLine().getOut().println("vigil monitor " + initial.monitorId() + ": " + initial.targets().size()
        + " targets; " + (initial.server().web().tls() == null ? "http" : "https") + "://" + initial.server().host() + ":"
        + verticle.port() + "/");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS); // undeploys: the outbox closes too
      } catch (Exception ignored) {
        // exiting anyway
      }
      dev.vigil.tracing.Tracing.current().close(); // exports the last spans
      stopped.countDown();
    }, "vigil-monitor-shutdown"));
    stopped.await();
    return 0;
  }
}

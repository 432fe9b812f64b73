package dev.vigil.cli;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.events.KafkaEventPipeline;
import dev.vigil.events.LoggingEventSink;
import java.io.IOException;
import dev.vigil.monitor.ConfigSource;
import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.monitor.MonitorVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
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

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration (see config/vigil.yaml).")
  Path config;

  @Override
  public Integer call() throws Exception {
    VigilConfig initial = CliFiles.config(config, spec.commandLine().getErr());
    ConfigSource source = () -> {
      ConfigResult r = ConfigLoader.load(config, System.getenv());
      return new ConfigSource.Loaded(r.isValid() ? r.orElseThrow() : null,
          r.errors().stream().map(Object::toString).toList());
    };
    MonitorMetrics metrics = new MonitorMetrics();
    // With kafka.bootstrapServers set, events go through the durable outbox to Kafka; else they are logged.
    KafkaEventPipeline events = null;
    EventSink sink = new LoggingEventSink();
    if (initial.kafka().enabled()) {
      try {
        events = KafkaEventPipeline.start(initial.monitorId(), initial.kafka(), initial.events(), metrics.registry());
      } catch (IOException e) {
        metrics.close();
        throw new Main.InputException("cannot open the event outbox " + initial.events().outboxDir() + ": " + e);
      }
      sink = events.sink();
    }
    Vertx vertx = Vertx.vertx();
    MonitorVerticle verticle = new MonitorVerticle(initial, source, Clock.systemUTC(), sink, metrics,
        new SecureRandom(), List.of());
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      vertx.close();
      if (events != null) {
        events.close();
      }
      throw new Main.InputException(e.getCause().getMessage());
    }
    KafkaEventPipeline pipeline = events;
    Signals.onHangup(verticle::reloadFromAnyThread);
    spec.commandLine().getOut().println("vigil monitor " + initial.monitorId() + ": " + initial.targets().size()
        + " targets; http://" + initial.server().host() + ":" + verticle.port() + "/");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      if (pipeline != null) {
        pipeline.close();
      }
      metrics.close();
      stopped.countDown();
    }, "vigil-monitor-shutdown"));
    stopped.await();
    return 0;
  }
}

package dev.vigil.monitor;

import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.http.MonitorServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the monitor and its HTTP server on one event loop, so the server reads the monitor
 * without locks. Reloads re-read the configuration on a worker thread and apply it on the loop;
 * a refused configuration leaves the running one in place.
 */
public final class MonitorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  private final VigilConfig initial;
  private final ConfigSource source;
  private final Clock clock;
  private final EventSink sink;
  private final MonitorMetrics metrics;
  private final Random random;
  private final List<MonitorListener> listeners;
  private Monitor monitor;
  private MonitorServer server;
  private volatile int port = -1;

  public MonitorVerticle(VigilConfig initial, ConfigSource source, Clock clock, EventSink sink, MonitorMetrics metrics,
      Random random, List<MonitorListener> listeners) {
    this.initial = initial;
    this.source = source;
    this.clock = clock;
    this.sink = sink;
    this.metrics = metrics;
    this.random = random;
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public Future<?> start() {
    monitor = new Monitor(vertx, clock, sink, metrics, random);
    listeners.forEach(monitor::addListener);
    server = new MonitorServer(vertx, monitor, metrics, initial.server(), this::reload, clock);
    return monitor.start(initial).compose(v -> server.start()).onSuccess(p -> port = p);
  }

  @Override
  public Future<?> stop() {
    return server.stop().eventually(() -> monitor.stop());
  }

  /** The port the HTTP server listens on (useful with port 0), or -1 before it listens. */
  public int port() {
    return port;
  }

  /** Re-reads and applies the configuration; completes with the errors that refused it (empty when applied). */
  public Future<List<String>> reload() {
    return vertx.executeBlocking(source::load, false).map(loaded -> {
      if (loaded.config() == null) {
        monitor.reloadFailed(loaded.errors());
        return loaded.errors();
      }
      if (!loaded.config().server().equals(monitor.config().server())) {
        LOG.warn("server settings changed; they take effect at the next restart");
      }
      if (eventSettingsChanged(loaded.config(), monitor.config())) {
        LOG.warn("kafka or events settings changed; they take effect at the next restart");
      }
      monitor.reload(loaded.config());
      return List.<String>of();
    }).recover(e -> {
      List<String> errors = List.of("cannot read the configuration: " + e.getMessage());
      monitor.reloadFailed(errors);
      return Future.succeededFuture(errors);
    });
  }

  private static boolean eventSettingsChanged(VigilConfig next, VigilConfig running) {
    // EventsConfig holds a loaded key without equals(): compare where it came from instead
    return !next.kafka().equals(running.kafka())
        || !next.events().outboxDir().equals(running.events().outboxDir())
        || next.events().outboxCapacity() != running.events().outboxCapacity()
        || !java.util.Objects.equals(next.events().signingKeyFile(), running.events().signingKeyFile());
  }

  /** Reads the monitor on its own context, from any thread. */
  public <T> Future<T> inspect(java.util.function.Function<Monitor, T> read) {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        p.complete(read.apply(monitor));
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** Runs {@code reload} on this verticle's context, from any thread (e.g. a SIGHUP handler). */
  public void reloadFromAnyThread() {
    context.runOnContext(v -> reload());
  }
}

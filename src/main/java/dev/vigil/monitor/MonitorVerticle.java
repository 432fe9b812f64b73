package dev.vigil.monitor;

import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.http.MonitorServer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the monitor on this verticle's event loop (the polling loop) and its HTTP server on
 * another event loop of the same Vert.x, so that no amount of HTTP traffic delays a poll; the
 * server reads the monitor only through {@link MonitorView} (snapshots taken on the polling loop).
 * Reloads re-read the configuration on a worker thread and apply it on the polling loop; a refused
 * configuration leaves the running one in place. Thread-safe as a {@link MonitorView}.
 */
public final class MonitorVerticle extends VerticleBase implements MonitorView {
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
    Context serverContext = serverContext();
    server = new MonitorServer(vertx, this, metrics, initial.server(), clock);
    return monitor.start(initial).compose(v -> onContext(serverContext, server::start)).onSuccess(p -> port = p);
  }

  /**
   * A context on an event loop other than this verticle's, for the HTTP server; this verticle's
   * own when Vert.x has a single event loop (then logged).
   */
  private Context serverContext() {
    VertxInternal vi = (VertxInternal) vertx;
    EventLoop polling = ((ContextInternal) context).nettyEventLoop();
    EventLoop chosen = null;
    boolean after = false;
    for (EventExecutor e : vi.nettyEventLoopGroup()) {
      if (e == polling) {
        after = true;
      } else if (e instanceof EventLoop l && (chosen == null || after)) {
        chosen = l;
        if (after) {
          break;
        }
      }
    }
    if (chosen == null) {
      LOG.warn("Vert.x has a single event loop: the HTTP server shares it with polling");
      return context;
    }
    return vi.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP).withEventLoop(chosen).build();
  }

  /** Runs {@code action} on {@code target}; the result completes on this verticle's context. */
  private <T> Future<T> onContext(Context target, java.util.function.Supplier<Future<T>> action) {
    Context caller = vertx.getOrCreateContext();
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    target.runOnContext(v -> {
      Future<T> f;
      try {
        f = action.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(r -> caller.runOnContext(x -> p.handle(r)));
    });
    return p.future();
  }

  @Override
  public Future<MonitorSnapshot> snapshot() {
    return onContext(context, () -> Future.succeededFuture(monitor.snapshot()));
  }

  @Override
  public long version() {
    return monitor.version();
  }

  @Override
  public boolean ready() {
    return monitor.isReady();
  }

  @Override
  public int targetCount() {
    return monitor.targetCount();
  }

  @Override
  public Future<?> stop() {
    return server.stop().eventually(() -> monitor.stop());
  }

  /** The HTTP server's connection counts (open, refused at the cap, timed out); null before it starts. */
  public dev.vigil.http.ConnectionGuard connections() {
    return server == null ? null : server.connections();
  }

  /** The port the HTTP server listens on (useful with port 0), or -1 before it listens. */
  public int port() {
    return port;
  }

  /**
   * Re-reads and applies the configuration, from any thread; completes on the caller's context with
   * the errors that refused it (empty when applied).
   */
  @Override
  public Future<List<String>> reload() {
    return onContext(context, this::reloadHere);
  }

  private Future<List<String>> reloadHere() {
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
    context.runOnContext(v -> reloadHere());
  }
}

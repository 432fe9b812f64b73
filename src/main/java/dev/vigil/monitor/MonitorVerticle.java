package dev.vigil.monitor;

import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.events.KafkaEventPipeline;
import dev.vigil.events.LoggingEventSink;
import dev.vigil.http.MonitorServer;
import dev.vigil.http.MonitorSnapshot;
import dev.vigil.http.MonitorView;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the monitor on this verticle's event loop (the polling loop) and its HTTP server on
 * another event loop of the same Vert.x, so that no amount of HTTP traffic delays a poll; the
 * server reads the monitor only through {@link MonitorView} (snapshots taken on the polling loop).
 * Owns what it opens: the Kafka event pipeline (opened at deploy when the configuration asks for
 * it and no sink was given, closed at undeploy after the monitor stopped) and metrics it created.
 * Reloads re-read the configuration on a worker thread and apply it on the polling loop; a refused
 * configuration leaves the running one in place. Built by {@link MonitorBuilder}. Thread-safe as a
 * {@link MonitorView}.
 */
public final class MonitorVerticle extends VerticleBase implements MonitorView {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  private final VigilConfig initial;
  private final ConfigSource source;
  private final Clock clock;
  private final EventSink givenSink;
  private final MonitorMetrics metrics;
  private final boolean ownsMetrics;
  private final Random random;
  private final List<MonitorListener> listeners;
  private volatile KafkaEventPipeline pipeline;
  private Monitor monitor;
  private MonitorServer server;
  private volatile int port = -1;
  /** The evidence log's recorder; null without one. */
  private volatile EvidenceRecorder evidence;
  private volatile dev.vigil.events.CheckpointPublisher checkpoints;
  /** This instance's membership in a group of monitors; null without a group. */
  private volatile dev.vigil.group.MonitorGroup group;
  /** The rollback controller's events as the status pages show them; null before start. */
  private volatile ControllerEvents controllerEvents;

  MonitorVerticle(MonitorBuilder b) {
    this.initial = b.config;
    this.source = b.source != null ? b.source : () -> new ConfigSource.Loaded(b.config, List.of());
    this.clock = b.clock;
    this.givenSink = b.sink;
    this.ownsMetrics = b.metrics == null;
    this.metrics = ownsMetrics ? new MonitorMetrics() : b.metrics;
    this.random = b.random != null ? b.random : new SecureRandom();
    this.listeners = List.copyOf(b.listeners);
  }

  @Override
  public Future<?> start() {
    Context serverContext = serverContext();
    return events().compose(sink -> {
      monitor = new Monitor(vertx, clock, sink, metrics, random);
      listeners.forEach(monitor::addListener);
      server = new MonitorServer(vertx, this, metrics.shared(), initial.server(), clock);
      return vertx.executeBlocking(this::openEvidence, false).compose(x ->
          vertx.executeBlocking(() -> dev.vigil.state.StateStores.open(initial, clock), false))
          .compose(store -> {
            store.ifPresent(monitor::keepState);
            dev.vigil.group.MonitorShards shards = initial.group().enabled() ? dev.vigil.group.MonitorShards.attach(
                context, monitor, initial.group().shards(), initial.kafka().deliveryTimeout().multipliedBy(2)) : null;
            return monitor.start(initial).compose(v -> shards == null ? Future.succeededFuture() : vertx.executeBlocking(
                () -> group = dev.vigil.group.MonitorGroup.join(initial, clock, shards, metrics.registry()),
                false));
          });
    }).compose(v -> vertx.executeBlocking(() -> controllerEvents = ControllerEvents.open(initial, clock, f -> {
      EvidenceRecorder r = evidence;
      if (r != null) {
        r.onRollbackFinished(f);
      }
    }), false))
        .compose(v -> onContext(serverContext, server::start))
        .onSuccess(p -> port = p)
        .recover(e -> closeOwned().transform(x -> Future.failedFuture(e)));
  }

  /** The sink the monitor was given, else the Kafka pipeline when configured (opened on a worker), else the log. */
  private Future<EventSink> events() {
    if (givenSink != null) {
      return Future.succeededFuture(givenSink);
    }
    if (!initial.kafka().enabled()) {
      return Future.succeededFuture(new LoggingEventSink());
    }
    return vertx.executeBlocking(() -> {
      try {
        pipeline = KafkaEventPipeline.start(initial.monitorId(), initial.kafka(), initial.events(), metrics.registry());
      } catch (IOException e) {
        throw new IllegalStateException("cannot open the event outbox " + initial.events().outboxDir() + ": " + e, e);
      }
      return pipeline.sink();
    }, false);
  }

  /** Opens the evidence log and its recorder when configured (blocking: on a worker); see {@link EvidenceWiring}. */
  private Void openEvidence() throws IOException {
    EvidenceWiring.Opened o = EvidenceWiring.open(initial, clock, metrics.registry());
    if (o != null) {
      evidence = o.recorder();
      checkpoints = o.publisher();
      monitor.addListener(o.recorder());
      o.recorder().start();
    }
    return null;
  }

  /** Closes the pipeline and the metrics this verticle opened (blocking work: on a worker). */
  private Future<Void> closeOwned() {
    return vertx.executeBlocking(() -> {
      dev.vigil.group.MonitorGroup g = group;
      if (g != null) {
        g.close();
        group = null;
      }
      EvidenceRecorder ev = evidence;
      if (ev != null) {
        ev.close();
        evidence = null;
      }
      dev.vigil.events.CheckpointPublisher cps = checkpoints;
      if (cps != null) {
        cps.close();
        checkpoints = null;
      }
      ControllerEvents c = controllerEvents;
      if (c != null) {
        c.close();
        controllerEvents = null;
      }
      KafkaEventPipeline p = pipeline;
      if (p != null) {
        p.close();
        pipeline = null;
      }
      if (ownsMetrics) {
        metrics.close();
      }
      return null;
    }, false);
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
  public dev.vigil.http.PollHistory history() {
    return monitor.history();
  }

  @Override
  public dev.vigil.http.EvidenceApi evidence() {
    return evidence;
  }

  /** The evidence recorder (tests); null without an evidence log. */
  EvidenceRecorder recorder() {
    return evidence;
  }

  @Override
  public dev.vigil.http.GroupView group() {
    dev.vigil.group.MonitorGroup g = group;
    return g == null ? null : g.view();
  }

  @Override
  public dev.vigil.http.TrafficView traffic() {
    ControllerEvents c = controllerEvents;
    return c == null ? dev.vigil.http.TrafficView.none() : c.view();
  }

  @Override
  public boolean ready() {
    return monitor.isReady();
  }

  @Override
  public int targetCount() {
    return monitor.targetCount();
  }

  /**
   * Stops the monitor's judging first (its polls in flight abandoned, see {@link
   * Monitor#stopJudging}), then the HTTP server, then leaves the group (the shards' state as of the
   * stop handed over), then closes the monitor's clients and state (on its context), and last what
   * this verticle owns (the evidence log, the event pipeline): nothing is judged, recorded or
   * published from a poll the stop cut off.
   */
  @Override
  public Future<?> stop() {
    monitor.stopJudging();
    return server.stop().eventually(this::leaveGroup).eventually(() -> onContext(context, monitor::stop))
        .eventually(this::closeOwned);
  }

  /** Leaves the group (its shards handed over, their state saved first) on a worker: the handover runs on this context. */
  private Future<Void> leaveGroup() {
    dev.vigil.group.MonitorGroup g = group;
    return g == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      g.close();
      return null;
    }, false);
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

  /** Reads the monitor on its own context, from any thread; completes on the caller's context. */
  public <T> Future<T> inspect(java.util.function.Function<Monitor, T> read) {
    return onContext(context, () -> Future.succeededFuture(read.apply(monitor)));
  }

  /** Runs {@code reload} on this verticle's context, from any thread (e.g. a SIGHUP handler). */
  public void reloadFromAnyThread() {
    context.runOnContext(v -> reloadHere());
  }
}

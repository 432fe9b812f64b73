package dev.vigil.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.ServerConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The monitor's HTTP server: {@code /metrics} (Prometheus text), {@code /health/live},
 * {@code /health/ready} (ready after every target's first poll), {@code /api/v1/targets},
 * {@code /api/v1/breaches}, {@code /api/v1/fleet} (a group member's whole fleet), the status pages
 * and badges of {@link StatusRoutes} (each also for {@code HEAD}), and
 * {@code POST /-/reload} guarded by the bearer admin token (scheme case-insensitive; 401 without a
 * valid one, 403 when no token is configured).
 *
 * <p>{@code server.tls}, {@code server.auth} and {@code server.metricsPort} ({@link WebSecurity}): TLS with
 * certificate reload, client certificates, read credentials for the pages and {@code /api/*}, and a second
 * listener serving only {@code /metrics} and the probes.
 *
 * <p>Its work is bounded whatever the load: {@link ServerLimits} (connection cap, idle and request
 * timeouts), and every page is a {@link SharedRender}: concurrent requests share one rendering,
 * reused for {@link #CACHE_FOR} unless the monitor's {@link MonitorView#version()} moved, rendered
 * on a one-thread worker pool of its own. Start it on a context of its own (see {@code
 * MonitorVerticle}): every handler runs there, never on the polling loop.
 */
public final class MonitorServer {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** How long a rendering is reused when the monitor's version has not moved. */
  static final Duration CACHE_FOR = Duration.ofSeconds(1);
  private static final String JSON = "application/json; charset=utf-8";

  private final Vertx vertx;
  private final MonitorView view;
  private final MetricsRegistry metrics;
  private final ServerConfig config;
  private final Clock clock;
  private HttpServer server;
  private HttpServer metricsServer;
  private WebSecurity security;
  private ConnectionGuard guard;
  private WorkerExecutor renderPool;
  private SharedRender<MonitorSnapshot> snapshot;
  private SharedRender<Buffer> metricsPage;
  private SharedRender<Buffer> targetsPage;
  private SharedRender<Buffer> breachesPage;

  public MonitorServer(Vertx vertx, MonitorView view, MetricsRegistry metrics, ServerConfig config, Clock clock) {
    this.vertx = vertx;
    this.view = view;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Listens on the configured host and port (and {@code server.metricsPort}, when set), on the calling
   * context, with the TLS and auth of {@code server} ({@link WebSecurity}); completes with the bound port.
   */
  public Future<Integer> start() {
    return WebSecurity.load(vertx, config.web(), "server", config.adminToken(), clock).compose(this::start);
  }

  private Future<Integer> start(WebSecurity web) {
    security = web;
    renderPool = vertx.createSharedWorkerExecutor("vigil-http-render", 1);
    snapshot = new SharedRender<>(CACHE_FOR, clock, view::version, view::snapshot);
    metricsPage = new SharedRender<>(CACHE_FOR, clock, view::version, () -> render(() ->
        Buffer.buffer(metrics.scrape().getBytes(StandardCharsets.UTF_8))));
    targetsPage = fromSnapshot(s -> FleetJson.withGroup(ApiJson.targets(s), view.group()).toString());
    breachesPage = fromSnapshot(s -> ApiJson.breaches(s).toString());

    Router router = Router.router(vertx);
    router.route().handler(web.guard());
    if (config.web().metricsPort() == null) {
      both(router, "/metrics", rc -> serve(rc, metricsPage, PROMETHEUS_TEXT));
    }
    both(router, "/health/live", rc -> json(rc, 200, ApiJson.MAPPER.createObjectNode().put("status", "live")));
    both(router, "/health/ready", this::ready);
    both(router, "/api/v1/targets", rc -> serve(rc, targetsPage, JSON));
    both(router, "/api/v1/breaches", rc -> serve(rc, breachesPage, JSON));
    SharedRender<Buffer> fleetApi = fromSnapshot(s -> {
      GroupView g = view.group();
      return g == null ? "" : FleetJson.fleet(g).toString();
    });
    both(router, "/api/v1/fleet", rc -> {
      if (view.group() == null) {
        json(rc, 404, FleetJson.noGroup());
      } else {
        serve(rc, fleetApi, JSON);
      }
    });
    new StatusRoutes(view.history(), snapshot::get, this::render, this::serve).group(view::group).traffic(view.traffic())
        .install(router, this::fromSnapshot);
    new EvidenceRoutes(vertx, view::evidence).install(router);
    router.post("/-/reload").handler(this::reload);
    router.route().last().handler(rc -> json(rc, 404, ApiJson.error("no such endpoint: " + rc.request().path())));

    ServerLimits limits = ServerLimits.of(config);
    HttpServer s = vertx.createHttpServer(web.options(limits.options(new HttpServerOptions())));
    guard = limits.install(vertx, s, router);
    return s.listen(config.port(), config.host())
        .map(l -> {
          server = l;
          web.watch(l);
          return l.actualPort();
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e)))
        .compose(port -> config.web().metricsPort() == null ? Future.succeededFuture(port) : listenMetrics(limits)
            .map(port));
  }

  /** The second listener of {@code server.metricsPort}: {@code /metrics} and the health probes only. */
  private Future<Void> listenMetrics(ServerLimits limits) {
    Router router = Router.router(vertx);
    router.route().handler(security.guard());
    both(router, "/metrics", rc -> serve(rc, metricsPage, PROMETHEUS_TEXT));
    both(router, "/health/live", rc -> json(rc, 200, ApiJson.MAPPER.createObjectNode().put("status", "live")));
    both(router, "/health/ready", this::ready);
    router.route().last().handler(rc -> json(rc, 404, ApiJson.error("no such endpoint on the metrics port: "
        + rc.request().path())));
    HttpServer s = vertx.createHttpServer(security.options(limits.options(new HttpServerOptions())));
    limits.install(vertx, s, router);
    int port = config.web().metricsPort();
    return s.listen(port, config.host())
        .<Void>map(l -> {
          metricsServer = l;
          security.watch(l);
          return null;
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot listen on " + config.host() + ":" + port + " (server.metricsPort): " + e.getMessage(), e)));
  }

  public Future<Void> stop() {
    Future<Void> watcher = security == null ? Future.succeededFuture() : security.close();
    return watcher.eventually(() -> server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> metricsServer == null ? Future.succeededFuture() : metricsServer.close())
        .eventually(() -> renderPool == null ? Future.succeededFuture() : renderPool.close());
  }

  /** The bound port of {@code server.metricsPort}; -1 when not configured or not started. */
  public int metricsPort() {
    HttpServer m = metricsServer;
    return m == null ? -1 : m.actualPort();
  }

  /** The TLS and auth of this server; null before {@link #start()}. */
  public WebSecurity security() {
    return security;
  }

  /** The connection counts of this server; null before {@link #start()}. */
  public ConnectionGuard connections() {
    return guard;
  }

  private static void both(Router router, String path, Handler<RoutingContext> handler) {
    router.route(HttpMethod.GET, path).handler(handler);
    router.route(HttpMethod.HEAD, path).handler(handler);
  }

  private SharedRender<Buffer> fromSnapshot(Function<MonitorSnapshot, String> page) {
    return new SharedRender<>(CACHE_FOR, clock, view::version,
        () -> snapshot.get().compose(s -> render(() -> Buffer.buffer(page.apply(s).getBytes(StandardCharsets.UTF_8)))));
  }

  private Future<Buffer> render(Callable<Buffer> work) {
    return renderPool.executeBlocking(work, false);
  }

  /**
   * Answers from the shared rendering; each waiting request in an event-loop task of its own, so a
   * rendering that many requests wait for is written out between other I/O, not in one long turn.
   */
  private void serve(RoutingContext rc, SharedRender<Buffer> page, String contentType) {
    Context here = vertx.getOrCreateContext();
    page.get().onComplete(r -> here.runOnContext(v -> {
      if (rc.response().closed()) {
        return;
      }
      if (r.succeeded()) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(r.result());
      } else {
        json(rc, 500, ApiJson.error("rendering failed: " + r.cause()));
      }
    }));
  }

  private void ready(RoutingContext rc) {
    boolean ready = view.ready();
    json(rc, ready ? 200 : 503, ApiJson.MAPPER.createObjectNode().put("status", ready ? "ready" : "starting")
        .put("detail", ready ? "every target has been polled" : "waiting for the first poll of every target"));
  }

  private void reload(RoutingContext rc) {
    if (!admitted(rc, config.adminToken())) {
      return;
    }
    view.reload().onComplete(r -> {
      if (r.failed()) {
        json(rc, 500, ApiJson.error("reload failed: " + r.cause().getMessage()));
      } else if (r.result().isEmpty()) {
        json(rc, 200, ApiJson.MAPPER.createObjectNode().put("status", "reloaded").put("targets", view.targetCount()));
      } else {
        ObjectNode body = ApiJson.error("configuration refused; the previous configuration keeps running");
        ArrayNode errs = body.putArray("errors");
        r.result().forEach(errs::add);
        json(rc, 400, body);
      }
    });
  }

  /**
   * Whether {@code rc} carries the bearer admin {@code token}; if not, answers it: 403 when admin
   * endpoints are disabled (no token configured), 401 with {@code WWW-Authenticate} otherwise. Shared
   * by every admin endpoint (the rollback controller's rollouts API too).
   */
  public static boolean admitted(RoutingContext rc, String token) {
    if (token == null || token.isEmpty()) {
      json(rc, 403, ApiJson.error("admin endpoints are disabled: set server.adminToken in the configuration"));
      return false;
    }
    String presented = bearer(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (presented == null || !constantTimeEquals(presented, token)) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
      json(rc, 401, ApiJson.error("a valid bearer admin token is required"));
      return false;
    }
    return true;
  }

  /**
   * The credentials of a {@code Bearer} Authorization header (the scheme is case-insensitive, RFC
   * 7235 section 2.1, followed by one or more spaces), or null for any other header.
   */
  static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.strip();
    int sp = a.indexOf(' ');
    if (sp < 0 || !a.substring(0, sp).equalsIgnoreCase("Bearer")) {
      return null;
    }
    String credentials = a.substring(sp).strip();
    return credentials.isEmpty() ? null : credentials;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static void json(RoutingContext rc, int status, ObjectNode body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toString());
  }
}

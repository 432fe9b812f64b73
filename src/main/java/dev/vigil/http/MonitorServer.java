package dev.vigil.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.ServerConfig;
import dev.vigil.monitor.Monitor;
import dev.vigil.monitor.MonitorMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The monitor's HTTP server: {@code /metrics} (Prometheus text), {@code /health/live},
 * {@code /health/ready} (ready after every target's first poll), {@code /api/v1/targets},
 * {@code /api/v1/breaches}, the status page at {@code /}, and {@code POST /-/reload} guarded by
 * the bearer admin token (401 without it, 403 when no token is configured).
 *
 * <p>Runs on the monitor's context so handlers read the monitor without locks; the scrape runs on
 * a worker thread.
 */
public final class MonitorServer {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json; charset=utf-8";

  private final Vertx vertx;
  private final Monitor monitor;
  private final MonitorMetrics metrics;
  private final ServerConfig config;
  private final Supplier<Future<List<String>>> reloader;
  private final Clock clock;
  private HttpServer server;

  /**
   * @param reloader re-reads and applies the configuration; completes with the errors that refused
   *     it (empty when applied)
   */
  public MonitorServer(Vertx vertx, Monitor monitor, MonitorMetrics metrics, ServerConfig config,
      Supplier<Future<List<String>>> reloader, Clock clock) {
    this.vertx = vertx;
    this.monitor = monitor;
    this.metrics = metrics;
    this.config = config;
    this.reloader = reloader;
    this.clock = clock;
  }

  /** Listens on the configured host and port; completes with the bound port. */
  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::metrics);
    router.get("/health/live").handler(rc -> json(rc, 200, ApiJson.MAPPER.createObjectNode().put("status", "live")));
    router.get("/health/ready").handler(this::ready);
    router.get("/api/v1/targets").handler(rc -> json(rc, 200,
        ApiJson.targets(monitor.targets(), monitor.fleetScores(), monitor.partitioned(), monitor.config().monitorId())));
    router.get("/api/v1/breaches").handler(this::breaches);
    router.get("/").handler(this::statusPage);
    router.post("/-/reload").handler(this::reload);
    router.route().last().handler(rc -> json(rc, 404, ApiJson.error("no such endpoint: " + rc.request().path())));
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host())
        .map(s -> {
          server = s;
          return s.actualPort();
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e)));
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void metrics(RoutingContext rc) {
    vertx.executeBlocking(metrics::scrape, false).onComplete(r -> {
      if (r.succeeded()) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(r.result());
      } else {
        json(rc, 500, ApiJson.error("scrape failed: " + r.cause()));
      }
    });
  }

  private void ready(RoutingContext rc) {
    boolean ready = monitor.ready();
    json(rc, ready ? 200 : 503, ApiJson.MAPPER.createObjectNode().put("status", ready ? "ready" : "starting")
        .put("detail", ready ? "every target has been polled" : "waiting for the first poll of every target"));
  }

  private void breaches(RoutingContext rc) {
    String id = monitor.config().monitorId();
    ObjectNode root = ApiJson.MAPPER.createObjectNode();
    ArrayNode open = root.putArray("open");
    monitor.openBreaches().forEach(b -> open.add(ApiJson.breach(b, id)));
    ArrayNode resolved = root.putArray("recentlyResolved");
    monitor.recentlyResolved().forEach(b -> resolved.add(ApiJson.breach(b, id)));
    json(rc, 200, root);
  }

  private void statusPage(RoutingContext rc) {
    String html = StatusPage.render(monitor.config().monitorId(), monitor.targets(), monitor.fleetScores(),
        monitor.partitioned(), monitor.openBreaches(), clock.instant(), 5);
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .end(html);
  }

  private void reload(RoutingContext rc) {
    String token = config.adminToken();
    if (token == null || token.isEmpty()) {
      json(rc, 403, ApiJson.error("admin endpoints are disabled: set server.adminToken in the configuration"));
      return;
    }
    String auth = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (auth == null || !auth.startsWith("Bearer ") || !constantTimeEquals(auth.substring(7).trim(), token)) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
      json(rc, 401, ApiJson.error("a valid bearer admin token is required"));
      return;
    }
    reloader.get().onComplete(r -> {
      if (r.failed()) {
        json(rc, 500, ApiJson.error("reload failed: " + r.cause().getMessage()));
      } else if (r.result().isEmpty()) {
        json(rc, 200, ApiJson.MAPPER.createObjectNode().put("status", "reloaded")
            .put("targets", monitor.config().targets().size()));
      } else {
        ObjectNode body = ApiJson.error("configuration refused; the previous configuration keeps running");
        ArrayNode errs = body.putArray("errors");
        r.result().forEach(errs::add);
        json(rc, 400, body);
      }
    });
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static void json(RoutingContext rc, int status, ObjectNode body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toString());
  }
}

package dev.vigil.rollback;

import dev.vigil.config.ControllerConfig;
import dev.vigil.config.WebConfig;
import dev.vigil.http.ServerLimits;
import dev.vigil.http.WebSecurity;
import java.time.Clock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The controller's own HTTP endpoints: {@code GET /metrics} (Prometheus text of the rollback and
 * JVM metrics), {@code GET /health/live} (200 while the process runs) and {@code GET /health/ready}
 * (200 once the consumer joined its group and polls; 503 with the reason before, after, and while
 * a partition is stalled: see {@link RollbackController#notReady()}). The server has the monitor's
 * limits ({@link ServerLimits#defaults()}): a connection cap, idle and request-head timeouts; and, from
 * {@code controller.tls}, {@code controller.auth} and {@code controller.metricsPort}, the monitor's TLS,
 * client certificates, auth and separate metrics port ({@link WebSecurity}).
 */
public final class ControllerHttp {
  private ControllerHttp() {}

  public static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReady) {
    return start(vertx, host, port, registry, notReady, ServerLimits.defaults(), r -> { });
  }

  /** As above; {@code routes} adds its own routes (the rollouts API) to the router first. */
  public static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReady, java.util.function.Consumer<Router> routes) {
    return start(vertx, host, port, registry, notReady, ServerLimits.defaults(), routes);
  }

  static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReady, ServerLimits limits) {
    return start(vertx, host, port, registry, notReady, limits, r -> { });
  }

  private static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReady, ServerLimits limits, java.util.function.Consumer<Router> routes) {
    return listen(vertx, host, port, registry, notReady, limits, routes, WebSecurity.none(vertx), true);
  }

  /**
   * The controller's listeners once started: {@code main} on {@code controller.port}, {@code metrics} on
   * {@code controller.metricsPort} (null when not set), and their TLS and auth. Immutable.
   */
  public record Listening(HttpServer main, HttpServer metrics, WebSecurity security) {
    /** Closes both listeners and the security's watcher. */
    public Future<Void> close() {
      return security.close().eventually(main::close)
          .eventually(() -> metrics == null ? Future.succeededFuture() : metrics.close());
    }
  }

  /**
   * As above, with the TLS, client certificates, auth and metrics port of {@code controller} ({@link
   * ControllerConfig#web()}); {@code adminToken} (server.adminToken) is also accepted as a read credential.
   * Fails with a message naming controller.tls.* when the TLS files cannot serve.
   */
  public static Future<Listening> start(Vertx vertx, ControllerConfig controller, String adminToken,
      PrometheusMeterRegistry registry, Supplier<Optional<String>> notReady, java.util.function.Consumer<Router> routes,
      Clock clock) {
    ServerLimits limits = ServerLimits.defaults();
    WebConfig web = controller.web();
    return WebSecurity.load(vertx, web, "controller", adminToken, clock).compose(sec ->
        listen(vertx, controller.host(), controller.port(), registry, notReady, limits, routes, sec,
            web.metricsPort() == null)
            .compose(main -> web.metricsPort() == null ? Future.succeededFuture(new Listening(main, null, sec))
                : listen(vertx, controller.host(), web.metricsPort(), registry, notReady, limits, r -> { }, sec, true)
                    .map(m -> new Listening(main, m, sec))
                    .recover(e -> main.close().transform(x -> Future.failedFuture(e)))));
  }

  private static Future<HttpServer> listen(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReady, ServerLimits limits, java.util.function.Consumer<Router> routes,
      WebSecurity security, boolean metricsHere) {
    Router router = Router.router(vertx);
    router.route().handler(security.guard());
    routes.accept(router);
    if (metricsHere) {
      metrics(vertx, router, registry);
    }
    router.get("/health/live").handler(rc -> rc.response().putHeader("content-type", "application/json")
        .end("{\"status\":\"live\"}"));
    router.get("/health/ready").handler(rc -> {
      Optional<String> why = notReady.get();
      rc.response().setStatusCode(why.isEmpty() ? 200 : 503).putHeader("content-type", "application/json")
          .end(why.isEmpty() ? new JsonObject().put("status", "ready").encode()
              : new JsonObject().put("status", "not ready").put("detail", why.get()).encode());
    });
    HttpServer server = vertx.createHttpServer(security.options(limits.options(new HttpServerOptions())));
    limits.install(vertx, server, router);
    return server.listen(port, host).onSuccess(security::watch);
  }

  private static void metrics(Vertx vertx, Router router, PrometheusMeterRegistry registry) {
    router.get("/metrics").handler(rc -> vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        rc.fail(ar.cause());
      }
    }));
  }
}

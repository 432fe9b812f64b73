package dev.vigil.rollback;

import dev.vigil.http.ServerLimits;
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
 * limits ({@link ServerLimits#defaults()}): a connection cap, idle and request-head timeouts.
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
    Router router = Router.router(vertx);
    routes.accept(router);
    router.get("/metrics").handler(rc -> vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        rc.fail(ar.cause());
      }
    }));
    router.get("/health/live").handler(rc -> rc.response().putHeader("content-type", "application/json")
        .end("{\"status\":\"live\"}"));
    router.get("/health/ready").handler(rc -> {
      Optional<String> why = notReady.get();
      rc.response().setStatusCode(why.isEmpty() ? 200 : 503).putHeader("content-type", "application/json")
          .end(why.isEmpty() ? new JsonObject().put("status", "ready").encode()
              : new JsonObject().put("status", "not ready").put("detail", why.get()).encode());
    });
    HttpServer server = vertx.createHttpServer(limits.options(new HttpServerOptions()));
    limits.install(vertx, server, router);
    return server.listen(port, host);
  }
}

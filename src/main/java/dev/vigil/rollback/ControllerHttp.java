package dev.vigil.rollback;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/**
 * The controller's own HTTP endpoints: {@code GET /metrics} (Prometheus text of the rollback and
 * JVM metrics), {@code GET /health/live} (200 while the process runs) and {@code GET /health/ready}
 * (200 once the consumer joined its group and polls, 503 before and after).
 */
public final class ControllerHttp {
  private ControllerHttp() {}

  public static Future<HttpServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      BooleanSupplier ready) {
    Router router = Router.router(vertx);
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
      boolean ok = ready.getAsBoolean();
      rc.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
          .end(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\",\"detail\":\"the breach consumer has no"
              + " partition assignment yet\"}");
    });
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}

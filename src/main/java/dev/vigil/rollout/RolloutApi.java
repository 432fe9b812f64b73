package dev.vigil.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.http.MonitorServer;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The operator API of the rollouts on the controller's HTTP server, every route behind the bearer
 * admin token ({@code server.adminToken}; 403 when none is configured, 401 without it, as the
 * monitor's reload):
 *
 * <ul>
 *   <li>{@code GET /api/v1/rollouts}: {@code {"rollouts": [...]}}, each service's last rollout;
 *   <li>{@code POST /api/v1/rollouts} with {@code {"service": "auth-service"}} or {@code {"plan":
 *       true}}: 201 {@code {"rollout": {...}}}; 404 unknown service, 409 already rolling out;
 *   <li>{@code POST /api/v1/rollouts/{service}/pause|resume|promote|abort}: 200 with the rollout;
 *       404 no rollout of it, 409 with the reason when the command does not apply (promote with no
 *       gate waiting).
 * </ul>
 *
 * Errors are {@code {"error": "..."}}. Stateless; handlers run on the server's event loop and never block.
 */
public final class RolloutApi {
  static final String BASE = "/api/v1/rollouts";
  private static final Set<String> VERBS = Set.of("pause", "resume", "promote", "abort");
  private static final int MAX_BODY = 4096;
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

  private final Supplier<Rollouts> rollouts;
  private final String token;

  /** {@code rollouts} is read per request (the controller may still be starting: 503 until it is there). */
  public RolloutApi(Supplier<Rollouts> rollouts, String adminToken) {
    this.rollouts = rollouts;
    this.token = adminToken;
  }

  /** Adds the routes to {@code router}. */
  public void install(Router router) {
    router.route(BASE + "*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    router.route(BASE + "*").handler(rc -> {
      if (MonitorServer.admitted(rc, token)) {
        rc.next();
      }
    });
    router.get(BASE).handler(rc -> with(rc, r -> r.list().map(list -> {
      ObjectNode body = RolloutCodec.JSON.createObjectNode();
      ArrayNode a = body.putArray("rollouts");
      list.forEach(x -> a.add(RolloutCodec.tree(x)));
      return new Reply(200, body);
    })));
    router.post(BASE).handler(rc -> with(rc, r -> {
      JsonNode body;
      try {
        body = rc.body().length() == 0 ? null : RolloutCodec.JSON.readTree(rc.body().buffer().getBytes());
      } catch (IOException e) {
        return Future.succeededFuture(error(400, "the body is not JSON: give {\"service\": NAME} or {\"plan\": true}"));
      }
      if (body != null && body.path("plan").asBoolean(false) && !body.has("service")) {
        return r.startPlan().map(RolloutApi::reply);
      }
      if (body == null || !body.path("service").isTextual() || body.has("plan")) {
        return Future.succeededFuture(error(400, "give {\"service\": NAME} or {\"plan\": true}"));
      }
      String service = body.path("service").textValue();
      if (!NAME.matcher(service).matches()) {
        return Future.succeededFuture(error(400, "not a service name: " + clip(service)));
      }
      return r.start(service).map(RolloutApi::reply);
    }));
    router.post(BASE + "/:service/:verb").handler(rc -> with(rc, r -> {
      String verb = rc.pathParam("verb");
      if (!VERBS.contains(verb)) {
        return Future.succeededFuture(error(404, "unknown command " + clip(verb) + "; expected one of: "
            + String.join(", ", List.of("pause", "resume", "promote", "abort"))));
      }
      String service = rc.pathParam("service");
      if (!NAME.matcher(service).matches()) {
        return Future.succeededFuture(error(400, "not a service name: " + clip(service)));
      }
      return r.command(service, verb).map(RolloutApi::reply);
    }));
  }

  private record Reply(int status, ObjectNode body) {}

  private void with(RoutingContext rc, java.util.function.Function<Rollouts, Future<Reply>> work) {
    Rollouts r = rollouts.get();
    Future<Reply> f = r == null ? Future.succeededFuture(error(503, "the rollouts are starting")) : work.apply(r);
    f.onComplete(ar -> {
      Reply reply = ar.succeeded() ? ar.result() : error(500, "internal error: " + ar.cause().getMessage());
      rc.response().setStatusCode(reply.status()).putHeader("content-type", "application/json")
          .end(reply.body().toString());
    });
  }

  private static Reply reply(Rollouts.Result res) {
    if (res.error() != null) {
      return error(res.status(), res.error());
    }
    ObjectNode body = RolloutCodec.JSON.createObjectNode();
    body.set("rollout", RolloutCodec.tree(res.rollout()));
    return new Reply(res.status(), body);
  }

  private static Reply error(int status, String message) {
    return new Reply(status, RolloutCodec.JSON.createObjectNode().put("error", message));
  }

  private static String clip(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return "'" + t.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }
}

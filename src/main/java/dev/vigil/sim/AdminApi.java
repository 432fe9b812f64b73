package dev.vigil.sim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;

/**
 * The simulator's JSON admin API: list, set and clear faults, list targets. Every error is a JSON
 * object {@code {"error": "..."}} that names what was wrong.
 *
 * <p>The routes live on one {@link Router} ({@link #router()}), so later parts of the simulator
 * (a traffic router the rollback controller switches) can add their own routes beside these.
 * Thread-safe: handlers run on the event loop and only touch the simulator's thread-safe state.
 */
final class AdminApi {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminApi.class);
  static final int MAX_BODY_BYTES = 16 * 1024;
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final Vertx vertx;
  private final FleetSimulator sim;
  private final Router router;
  private volatile HttpServer server;
  private volatile String host;

  AdminApi(Vertx vertx, FleetSimulator sim) {
    this.vertx = vertx;
    this.sim = sim;
    this.router = Router.router(vertx);
    router.route("/faults*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.get("/faults").handler(this::listFaults);
    router.delete("/faults").handler(this::clearAll);
    router.put("/faults/:service/:environment").handler(this::setFault);
    router.delete("/faults/:service/:environment").handler(this::clearFault);
    router.get("/targets").handler(this::listTargets);
    router.route("/traffic*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.get("/traffic").handler(this::listTraffic);
    router.get("/traffic/:service").handler(this::getTraffic);
    router.put("/traffic/:service").handler(this::setTraffic);
    router.errorHandler(404, ctx -> error(ctx, 404, "not found: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, 405, "method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> error(ctx, 413, "body longer than " + MAX_BODY_BYTES + " bytes"));
    router.errorHandler(500, ctx -> error(ctx, 500, "internal error: " + describe(ctx.failure())));
  }

  /** The routes of the admin port. */
  Router router() {
    return router;
  }

  /**
   * Listens on {@code host}, which is loopback unless an operator named another address
   * ({@code --admin-host}); then a WARN says that the unauthenticated API is exposed.
   */
  Future<Void> listen(String host, int port) {
    this.host = host;
    if (!isLoopback(host)) {
      LOG.warn("the simulator's admin API has no authentication and listens on {} (--admin-host); anyone who"
          + " reaches it can inject faults and move traffic", host);
    }
    return vertx.createHttpServer().requestHandler(router).listen(port, host)
        .<Void>map(s -> {
          server = s;
          return null;
        })
        .recover(e -> {
          String reason = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("already in use")
              ? "address already in use" : describe(e);
          BindException out = new BindException(
              "cannot listen on " + FleetSimulator.hostPort(host, port) + " for the admin API: " + reason);
          out.initCause(e);
          return Future.failedFuture(out);
        });
  }

  /** True for a loopback address or a name that resolves only to loopback ones (localhost). */
  static boolean isLoopback(String host) {
    try {
      java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
      return java.util.Arrays.stream(all).allMatch(java.net.InetAddress::isLoopbackAddress);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  int port() {
    HttpServer s = server;
    return s == null ? 0 : s.actualPort();
  }

  Future<Void> close() {
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : Ports.close(vertx, s, host);
  }

  private void listFaults(RoutingContext ctx) {
    JsonArray faults = new JsonArray();
    for (Instance i : sim.instances()) {
      FaultSetting f = i.fault();
      if (f.fault() != Fault.NONE) {
        JsonObject o = new JsonObject().put("service", i.id().service()).put("environment", i.id().environment())
            .put("fault", f.fault().wireName());
        if (f.fault().delayed()) {
          o.put("delayMs", f.delay().toMillis());
        }
        faults.add(o);
      }
    }
    json(ctx, 200, new JsonObject().put("faults", faults));
  }

  private void listTargets(RoutingContext ctx) {
    JsonArray targets = new JsonArray();
    for (Instance i : sim.instances()) {
      targets.add(new JsonObject()
          .put("service", i.id().service())
          .put("environment", i.id().environment())
          .put("url", sim.baseUrl(i.id()).toString())
          .put("keyid", i.key().keyId())
          .put("fault", i.fault().fault().wireName())
          .put("requests", i.requests()));
    }
    json(ctx, 200, new JsonObject().put("targets", targets));
  }

  private void listTraffic(RoutingContext ctx) {
    JsonObject traffic = new JsonObject();
    sim.traffic().all().forEach((service, split) -> traffic.put(service, splitJson(split)));
    json(ctx, 200, new JsonObject().put("traffic", traffic));
  }

  private void getTraffic(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!sim.traffic().routes(service)) {
      error(ctx, 404, "unknown service '" + clip(service) + "'");
      return;
    }
    json(ctx, 200, splitJson(sim.traffic().split(service)));
  }

  private void setTraffic(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!sim.traffic().routes(service)) {
      error(ctx, 404, "unknown service '" + clip(service) + "'");
      return;
    }
    TrafficRouter.Split split;
    try {
      split = parseSplit(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    TrafficRouter.Split old = sim.traffic().set(service, split);
    json(ctx, 200, splitJson(split).put("previous", splitJson(old)));
  }

  private static JsonObject splitJson(TrafficRouter.Split s) {
    return new JsonObject().put("green", s.green()).put("blue", s.blue());
  }

  /** Parses {@code {"blue":100,"green":0}}; the error says what is accepted. */
  static TrafficRouter.Split parseSplit(byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object such as {\"blue\":100,\"green\":0}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("green") && !name.equals("blue")) {
        throw new IllegalArgumentException("unknown field '" + clip(name) + "'; accepted: green, blue");
      }
    }
    JsonNode green = root.get("green");
    JsonNode blue = root.get("blue");
    if (green == null || blue == null || !green.isInt() || !blue.isInt()) {
      throw new IllegalArgumentException("fields 'green' and 'blue' (integers 0..100 adding up to 100) are required");
    }
    return new TrafficRouter.Split(green.intValue(), blue.intValue());
  }

  private void setFault(RoutingContext ctx) {
    Instance instance = target(ctx);
    if (instance == null) {
      return;
    }
    FaultSetting setting;
    try {
      setting = parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    respond(ctx, sim.apply(instance, setting));
  }

  private void clearFault(RoutingContext ctx) {
    Instance instance = target(ctx);
    if (instance != null) {
      respond(ctx, sim.apply(instance, FaultSetting.NONE));
    }
  }

  private void clearAll(RoutingContext ctx) {
    respond(ctx, sim.clearAll());
  }

  /** Parses {@code {"fault": NAME, "delayMs": N}}; the error says what is accepted. */
  static FaultSetting parse(byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object such as {\"fault\":\"tampered_hash\"} or"
          + " {\"fault\":\"slow\",\"delayMs\":3000}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("fault") && !name.equals("delayMs")) {
        throw new IllegalArgumentException("unknown field '" + clip(name) + "'; accepted: fault, delayMs");
      }
    }
    JsonNode fault = root.get("fault");
    if (fault == null || !fault.isTextual()) {
      throw new IllegalArgumentException("field 'fault' (a string) is required; accepted: " + String.join(", ", Fault.wireNames()));
    }
    Fault f = Fault.fromWireName(fault.textValue());
    JsonNode delay = root.get("delayMs");
    if (delay == null || delay.isNull()) {
      return FaultSetting.of(f);
    }
    if (!f.delayed()) {
      throw new IllegalArgumentException("delayMs applies only to the faults slow and slow_traffic, not to " + f.wireName());
    }
    if (!delay.isIntegralNumber() || !delay.canConvertToLong()) {
      throw new IllegalArgumentException("delayMs must be an integer number of milliseconds");
    }
    return new FaultSetting(f, Duration.ofMillis(delay.longValue()));
  }

  /** The instance named by the path, or null after answering 404 naming what is unknown. */
  private Instance target(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    String environment = ctx.pathParam("environment");
    Instance instance = sim.find(new TargetId(service, environment));
    if (instance == null) {
      boolean knownService = sim.options().services().contains(service);
      error(ctx, 404, knownService
          ? "unknown environment '" + clip(environment) + "' for service " + service + "; environments: "
              + String.join(", ", sim.options().environments())
          : "unknown service '" + clip(service) + "'" + (sim.options().isGenerated() ? ""
              : "; services: " + String.join(", ", sim.options().services())));
    }
    return instance;
  }

  private static void respond(RoutingContext ctx, Future<Void> done) {
    done.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(204).end();
      } else {
        error(ctx, 500, describe(ar.cause()));
      }
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  private static String describe(Throwable e) {
    return e == null ? "unknown" : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}

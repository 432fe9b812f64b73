package dev.vigil.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP server of the simulator on one port. A dedicated listener serves exactly one instance
 * at the root ({@code /attestation}); a shared listener (generated mode) serves many, each under
 * {@code /s/<service>/<environment>}.
 *
 * <p>Opening and closing are serialised: every {@link #reconcile()} runs after the previous one
 * finished, and brings the server in line with the current fault of its instance, so a quick
 * refuse/clear/refuse sequence always ends in the state of the last call. Thread-safe.
 */
final class Listener {
  static final String SHARED_PREFIX = "/s/";
  /** Re-binding our own port is retried every 20 ms for up to 2 s. */
  static final int REBIND_ATTEMPTS = 100;
  static final long REBIND_INTERVAL_MS = 20;

  private final Vertx vertx;
  private final Attester attester;
  private final String host;
  private final boolean dedicated;
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private volatile int port;
  private volatile HttpServer server;
  private volatile boolean stopped;
  /** True once this listener has bound its port: later binds are re-binds of our own port. */
  private volatile boolean bound;
  private Future<Void> transitions = Future.succeededFuture();

  /** @param port the configured port; 0 for ephemeral (then the port bound first is kept) */
  Listener(Vertx vertx, Attester attester, String host, int port, boolean dedicated) {
    this.vertx = vertx;
    this.attester = attester;
    this.host = host;
    this.port = port;
    this.dedicated = dedicated;
  }

  /** Adds an instance; only before {@link #open()}. */
  void add(Instance instance) {
    if (dedicated && !instances.isEmpty()) {
      throw new IllegalStateException("a dedicated listener serves one instance");
    }
    instances.put(instance.id().service() + "/" + instance.id().environment(), instance);
    instance.listener(this);
  }

  /** The port; the bound one once the server has listened. */
  int port() {
    return port;
  }

  boolean dedicated() {
    return dedicated;
  }

  /** Starts listening, for the first time. */
  synchronized Future<Void> open() {
    transitions = transitions.transform(ignored -> listen());
    return transitions;
  }

  /** Opens or closes the server to match the instance's fault (dedicated listeners only). */
  synchronized Future<Void> reconcile() {
    transitions = transitions.transform(ignored -> {
      boolean refuse = dedicated && instances.values().iterator().next().fault().fault() == Fault.CONNECTION_REFUSED;
      if (stopped || refuse) {
        return closeServer();
      }
      return server == null ? listen() : Future.succeededFuture();
    });
    return transitions;
  }

  /** Closes the server for good. */
  synchronized Future<Void> close() {
    stopped = true;
    transitions = transitions.transform(ignored -> closeServer());
    return transitions;
  }

  private Future<Void> listen() {
    if (stopped) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    listen(bound ? REBIND_ATTEMPTS : 1, done);
    return done.future();
  }

  /**
   * Binds, retrying a re-bind of our own port for a while in case the OS has not released it yet
   * (see {@link Ports}), or a client connection that used it as its local port is going away.
   */
  private void listen(int attemptsLeft, Promise<Void> done) {
    vertx.createHttpServer().requestHandler(this::handle).listen(port, host).onComplete(ar -> {
      if (ar.succeeded()) {
        port = ar.result().actualPort();
        server = ar.result();
        bound = true;
        done.complete();
      } else if (attemptsLeft > 1 && !stopped && inUse(ar.cause())) {
        vertx.setTimer(REBIND_INTERVAL_MS, t -> listen(attemptsLeft - 1, done));
      } else {
        done.fail(bindFailure(ar.cause()));
      }
    });
  }

  private static boolean inUse(Throwable e) {
    return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("already in use");
  }

  private Future<Void> closeServer() {
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : Ports.close(vertx, s, host);
  }

  /** A bind failure naming the address and who wanted it. */
  private Throwable bindFailure(Throwable e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (inUse(e)) {
      reason = "address already in use";
    }
    BindException out = new BindException("cannot listen on " + FleetSimulator.hostPort(host, port) + " for "
        + describe() + ": " + reason);
    out.initCause(e);
    return out;
  }

  /** The instance (dedicated) or a summary of the instances (shared) this listener serves. */
  String describe() {
    List<Instance> all = List.copyOf(instances.values());
    if (dedicated) {
      return all.get(0).id().toString();
    }
    return "shared port of " + all.size() + " instances (" + all.get(0).id()
        + (all.size() > 1 ? " and " + (all.size() - 1) + " more)" : ")");
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    Instance instance;
    String rest;
    if (dedicated) {
      instance = instances.values().iterator().next();
      rest = path;
    } else {
      // "/s/<service>/<environment><rest>"
      int serviceEnd = path.startsWith(SHARED_PREFIX) ? path.indexOf('/', SHARED_PREFIX.length()) : -1;
      if (serviceEnd < 0) {
        send(request, Attester.json(404, new JsonObject().put("error",
            "not found: " + path + "; instances are under " + SHARED_PREFIX + "<service>/<environment>")));
        return;
      }
      int envEnd = path.indexOf('/', serviceEnd + 1);
      envEnd = envEnd < 0 ? path.length() : envEnd;
      String key = path.substring(SHARED_PREFIX.length(), envEnd);
      instance = instances.get(key);
      rest = path.substring(envEnd);
      if (instance == null) {
        send(request, Attester.json(404, new JsonObject().put("error",
            "no simulated instance at " + SHARED_PREFIX + key + " on this port")));
        return;
      }
    }
    instance.countRequest();
    FaultSetting fault = instance.fault();
    if (fault.fault() == Fault.CONNECTION_REFUSED) {
      // Shared port (or a dedicated one whose close is still in flight): drop the connection unanswered.
      request.connection().close();
      return;
    }
    Attester.Endpoint endpoint = Attester.Endpoint.at(rest);
    if (endpoint == null) {
      send(request, Attester.json(404, new JsonObject().put("error", "not found: " + path)));
      return;
    }
    if (request.method() != HttpMethod.GET) {
      request.response().putHeader("Allow", "GET");
      send(request, Attester.json(405, new JsonObject().put("error", "method " + request.method() + " not allowed; use GET")));
      return;
    }
    String nonce = request.getParam("nonce");
    if (fault.fault() == Fault.SLOW) {
      vertx.setTimer(Math.max(1, fault.delay().toMillis()),
          t -> send(request, attester.reply(instance, endpoint, nonce, Fault.NONE)));
      return;
    }
    send(request, attester.reply(instance, endpoint, nonce, fault.fault()));
  }

  private static void send(HttpServerRequest request, Attester.Reply reply) {
    HttpServerResponse response = request.response();
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(reply.status())
        .putHeader("Content-Type", reply.contentType())
        .putHeader("Cache-Control", "no-store")
        .end(reply.body());
  }
}

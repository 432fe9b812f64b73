package dev.vigil.rollback;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Switches the simulator's traffic router ({@code dev.vigil.sim.TrafficRouter}) through its admin
 * API: {@code GET /traffic/<service>}, then, unless already all blue, {@code PUT
 * /traffic/<service>} with {@code {"blue":100,"green":0}}. Non-blocking (Vert.x HTTP client);
 * thread-safe.
 */
public final class SimulatorActuator implements Actuator {
  private final HttpClientAgent client;
  private final URI admin;
  private final Duration timeout;

  public SimulatorActuator(HttpClientAgent client, URI adminUrl, Duration timeout) {
    this.client = client;
    String base = adminUrl.toString();
    this.admin = URI.create(base.endsWith("/") ? base : base + "/");
    this.timeout = timeout;
  }

  @Override
  public Future<ActuationResult> moveToBlue(String service, String breachId) {
    return setWeights(service, Weights.ALL_BLUE);
  }

  @Override
  public Future<ActuationResult> setWeights(String service, Weights target) {
    return weights(service).compose(w -> {
      if (w.equals(target)) {
        return Future.succeededFuture(new ActuationResult(w, false, "simulator router " + service + " already "
            + shown(target)));
      }
      return HttpCalls.call(client, HttpMethod.PUT, uri(service), new JsonObject().put("blue", target.blue())
          .put("green", target.green()), timeout).compose(r -> r.ok()
              ? Future.succeededFuture(new ActuationResult(target, true, "simulator router " + service + " green "
                  + w.green() + "/blue " + w.blue() + " -> " + shown(target)))
              : Future.failedFuture(new IOException("simulator router refused: " + r.describe())));
    });
  }

  private static String shown(Weights w) {
    return w.equals(Weights.ALL_BLUE) ? "blue 100" : "green " + w.green() + "/blue " + w.blue();
  }

  @Override
  public Future<Weights> weights(String service) {
    return HttpCalls.call(client, HttpMethod.GET, uri(service), null, timeout).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture(new IOException("simulator router: " + r.describe()));
      }
      JsonObject o = r.body().toJsonObject();
      return Future.succeededFuture(new Weights(o.getInteger("green"), o.getInteger("blue")));
    });
  }

  @Override
  public String type() {
    return "simulator";
  }

  private URI uri(String service) {
    return admin.resolve("traffic/" + java.net.URLEncoder.encode(service, java.nio.charset.StandardCharsets.UTF_8));
  }
}

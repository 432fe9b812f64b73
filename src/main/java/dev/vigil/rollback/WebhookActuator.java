package dev.vigil.rollback;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Asks an external system to switch: {@code POST <url>} with {@code {"service", "from", "to",
 * "breachId"}}; any 2xx means moved. The webhook must be idempotent (the same breachId may come
 * twice after a crash); this actuator cannot read weights back, so {@link #weights} reports the
 * weights it last set, or green 100 before. Non-blocking; thread-safe.
 */
public final class WebhookActuator implements Actuator {
  private final HttpClientAgent client;
  private final URI url;
  private final String from;
  private final String to;
  private final Duration timeout;
  private final java.util.Map<String, Weights> last = new java.util.concurrent.ConcurrentHashMap<>();

  public WebhookActuator(HttpClientAgent client, URI url, String from, String to, Duration timeout) {
    this.client = client;
    this.url = url;
    this.from = from;
    this.to = to;
    this.timeout = timeout;
  }

  @Override
  public Future<ActuationResult> moveToBlue(String service, String breachId) {
    JsonObject body = new JsonObject().put("service", service).put("from", from).put("to", to).put("breachId", breachId);
    return HttpCalls.call(client, HttpMethod.POST, url, body, timeout).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture(new IOException("webhook " + url + " answered " + r.describe()));
      }
      last.put(service, Weights.ALL_BLUE);
      return Future.succeededFuture(new ActuationResult(Weights.ALL_BLUE, true, "webhook " + url + " answered HTTP "
          + r.status()));
    });
  }

  @Override
  public Future<Weights> weights(String service) {
    return Future.succeededFuture(last.getOrDefault(service, Weights.ALL_GREEN));
  }

  @Override
  public String type() {
    return "webhook";
  }
}

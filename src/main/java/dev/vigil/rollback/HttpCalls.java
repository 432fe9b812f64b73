package dev.vigil.rollback;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;

/** Small JSON-over-HTTP calls of the HTTP actuators, on a Vert.x client: no redirects, a deadline. Stateless. */
final class HttpCalls {
  /** A response: status and body. */
  record Response(int status, Buffer body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String describe() {
      String b = body.toString();
      return "HTTP " + status + (b.isBlank() ? "" : ": " + (b.length() > 200 ? b.substring(0, 200) + "…" : b));
    }
  }

  private HttpCalls() {}

  static Future<Response> call(HttpClientAgent client, HttpMethod method, URI uri, JsonObject body, Duration timeout) {
    RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(uri.toString()).setFollowRedirects(false)
        .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis());
    if (body != null) {
      o.putHeader("Content-Type", "application/json");
    }
    o.putHeader("Accept", "application/json");
    // Actuator calls are rare (one per rollback): a fresh connection each time, never a pooled one
    // that the other side may have dropped in the meantime.
    o.putHeader("Connection", "close");
    return client.request(o)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b)))
        .timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(new java.io.IOException(method + " " + uri + ": "
            + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e)));
  }
}

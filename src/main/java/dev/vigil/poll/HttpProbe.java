package dev.vigil.poll;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Verdict;
import dev.vigil.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Non-blocking HTTP GET of one attestation (or legacy health document) with the rules of
 * attestation-v1 section 1: no redirects, an overall deadline, the body capped at
 * {@code maxBytes} (a longer body is a failure, never a truncation). Keep-alive pools per host;
 * one client per TLS configuration. Every outcome is a {@link FetchResult}, never a failed future.
 *
 * <p>Use from one Vert.x context; the futures complete on it. After {@link #close} (a retry
 * timer may still fire while the monitor stops) every request answers {@code unreachable} at once.
 */
public final class HttpProbe {
  private static final String ACCEPT = Envelope.MEDIA_TYPE + ", application/json";

  private final Vertx vertx;
  private final int poolSizePerHost;
  private final Map<TlsConfig, HttpClientAgent> clients = new HashMap<>();
  private final HttpClientAgent plain;
  private boolean closed;

  public HttpProbe(Vertx vertx, int poolSizePerHost) {
    this.vertx = vertx;
    this.poolSizePerHost = poolSizePerHost;
    this.plain = vertx.createHttpClient(baseOptions(), new PoolOptions().setHttp1MaxSize(poolSizePerHost));
  }

  /** GETs {@code uri} within {@code timeout}, reading at most {@code maxBytes} of the body. */
  public Future<FetchResult> get(URI uri, TlsConfig tls, Duration timeout, int maxBytes) {
    if (closed) {
      return Future.succeededFuture(FetchResult.failed(Verdict.UNREACHABLE, 0, "the monitor is stopping"));
    }
    Promise<FetchResult> result = Promise.promise();
    long timeoutMs = Math.max(1, timeout.toMillis());
    RequestOptions opts = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(uri.toString())
        .setFollowRedirects(false)
        .setConnectTimeout(timeoutMs)
        .putHeader(HttpHeaders.ACCEPT, ACCEPT);
    HttpClientAgent client = clientFor(tls);
    HttpClientRequest[] inFlight = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (result.tryComplete(FetchResult.failed(Verdict.TIMEOUT, 0, "no complete response within " + timeoutMs + " ms"))
          && inFlight[0] != null) {
        inFlight[0].reset();
      }
    });
    client.request(opts)
        .compose(req -> {
          inFlight[0] = req;
          return req.send();
        })
        .onSuccess(resp -> {
          int status = resp.statusCode();
          if (status != 200) {
            resp.request().reset();
            result.tryComplete(FetchResult.failed(Verdict.HTTP_ERROR, status, "HTTP status " + status));
            return;
          }
          Buffer body = Buffer.buffer();
          resp.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
              if (result.tryComplete(FetchResult.failed(Verdict.RESPONSE_TOO_LARGE, 200,
                  "body is longer than the limit of " + maxBytes + " bytes"))) {
                resp.request().reset();
              }
              return;
            }
            body.appendBuffer(chunk);
          });
          resp.exceptionHandler(e -> result.tryComplete(transportFailure(e, uri, 200)));
          resp.endHandler(v -> result.tryComplete(FetchResult.ok(body.getBytes())));
        })
        .onFailure(e -> result.tryComplete(transportFailure(e, uri, 0)));
    return result.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  /** Closes every client. */
  public Future<Void> close() {
    closed = true;
    Future<Void> f = plain.close();
    for (HttpClientAgent c : clients.values()) {
      f = f.compose(v -> c.close());
    }
    return f;
  }

  static FetchResult transportFailure(Throwable e, URI uri, int status) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof SSLException) {
        break;
      }
      root = root.getCause();
    }
    String where = uri.getHost() + ":" + (uri.getPort() < 0 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort());
    if (hasCause(e, SSLException.class)) {
      return FetchResult.failed(Verdict.TLS_ERROR, status, "TLS failure with " + where + ": " + message(root));
    }
    if (hasCause(e, TimeoutException.class) || root.getClass().getSimpleName().contains("Timeout")) {
      return FetchResult.failed(Verdict.TIMEOUT, status, "timed out connecting to " + where);
    }
    if (hasCause(e, ConnectException.class)) {
      return FetchResult.failed(Verdict.UNREACHABLE, status, "connection refused by " + where);
    }
    if (hasCause(e, UnknownHostException.class)) {
      return FetchResult.failed(Verdict.UNREACHABLE, status, "unknown host " + uri.getHost());
    }
    if (hasCause(e, ClosedChannelException.class)) {
      return FetchResult.failed(Verdict.UNREACHABLE, status, "connection to " + where + " was closed");
    }
    return FetchResult.failed(Verdict.UNREACHABLE, status, "connection to " + where + " failed: " + message(root));
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " " + m.lines().findFirst().orElse(""));
  }

  private HttpClientAgent clientFor(TlsConfig tls) {
    if (tls == null) {
      return plain;
    }
    return clients.computeIfAbsent(tls, t -> {
      HttpClientOptions o = baseOptions().setSsl(true).setVerifyHost(t.verifyHostname());
      if (t.caFile() != null) {
        o.setTrustOptions(new PemTrustOptions().addCertPath(t.caFile().toString()));
      }
      if (t.certFile() != null && t.keyFile() != null) {
        o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.certFile().toString()).setKeyPath(t.keyFile().toString()));
      }
      return vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(poolSizePerHost));
    });
  }

  private static HttpClientOptions baseOptions() {
    return new HttpClientOptions().setKeepAlive(true).setMaxRedirects(0);
  }
}

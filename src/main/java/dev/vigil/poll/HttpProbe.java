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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking HTTP GET of one attestation (or legacy health document) with the rules of
 * attestation-v1 section 1: no redirects, an overall deadline, the body capped at
 * {@code maxBytes} (a longer body is a failure, never a truncation). A fresh connection per request,
 * closed when the response ends or the deadline passes (the connect timeout too is bounded by the
 * deadline), so open sockets follow the polls in flight, not the size of the fleet; one client per
 * TLS configuration and deadline. A response that breaks HTTP (an oversized header, a bad chunk
 * size, interim responses where a final one was due) is {@code http_error} naming the violation.
 * Every outcome is a {@link FetchResult}, never a failed future; a target's misbehaviour is logged
 * at DEBUG at most.
 *
 * <p>Use from one Vert.x context; the futures complete on it. After {@link #close} (a retry
 * timer may still fire while the monitor stops) every request answers {@code unreachable} at once.
 */
public final class HttpProbe {
  private static final Logger LOG = LoggerFactory.getLogger(HttpProbe.class);
  private static final String ACCEPT = Envelope.MEDIA_TYPE + ", application/json";

  private final Vertx vertx;
  private final int poolSizePerHost;
  private final Map<ClientKey, HttpClientAgent> clients = new HashMap<>();
  private boolean closed;

  private record ClientKey(TlsConfig tls, long timeoutMs) {}

  public HttpProbe(Vertx vertx, int poolSizePerHost) {
    this.vertx = vertx;
    this.poolSizePerHost = poolSizePerHost;
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
    HttpClientAgent client = clientFor(tls, timeoutMs);
    HttpClientRequest[] inFlight = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (result.tryComplete(FetchResult.failed(Verdict.TIMEOUT, 0, "no complete response within " + timeoutMs + " ms"))
          && inFlight[0] != null) {
        inFlight[0].reset();
      }
    });
    client.request(opts)
        .compose(req -> {
          if (result.future().isComplete()) {
            req.reset();
            return Future.failedFuture("the deadline passed before the connection was ready");
          }
          inFlight[0] = req;
          return req.send();
        })
        .onSuccess(resp -> {
          int status = resp.statusCode();
          resp.exceptionHandler(e -> result.tryComplete(transportFailure(e, uri, status)));
          if (status >= 100 && status < 200) {
            result.tryComplete(FetchResult.failed(Verdict.HTTP_ERROR, status,
                "malformed HTTP response from " + where(uri) + ": interim status " + status + " where a final response was due"));
            resp.request().reset();
            return;
          }
          if (status != 200) {
            result.tryComplete(FetchResult.failed(Verdict.HTTP_ERROR, status, "HTTP status " + status));
            resp.request().reset();
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
          resp.endHandler(v -> result.tryComplete(FetchResult.ok(body.getBytes())));
        })
        .onFailure(e -> result.tryComplete(transportFailure(e, uri, 0)));
    return result.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  /** Closes every client. */
  public Future<Void> close() {
    closed = true;
    Future<Void> f = Future.succeededFuture();
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
    String where = where(uri);
    if (hasCause(e, SSLException.class)) {
      return FetchResult.failed(Verdict.TLS_ERROR, status, "TLS failure with " + where + ": " + message(root));
    }
    String violation = ProtocolViolation.describe(e);
    if (violation != null) {
      return FetchResult.failed(Verdict.HTTP_ERROR, status, "malformed HTTP response from " + where + ": " + violation);
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

  private static String where(URI uri) {
    return uri.getHost() + ":" + (uri.getPort() < 0 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort());
  }

  /**
   * One client per TLS configuration and deadline: the TCP connect timeout is a client option, and
   * it must not outlive the poll (Vert.x's default of 60 s kept sockets to blackholed targets open
   * long after their polls had timed out).
   */
  private HttpClientAgent clientFor(TlsConfig tls, long timeoutMs) {
    return clients.computeIfAbsent(new ClientKey(tls, timeoutMs), k -> {
      HttpClientOptions o = new HttpClientOptions()
          .setKeepAlive(false)
          .setMaxRedirects(0)
          .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
          .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
      if (tls != null) {
        o.setSsl(true).setVerifyHost(tls.verifyHostname());
        if (tls.caFile() != null) {
          o.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile().toString()));
        }
        if (tls.certFile() != null && tls.keyFile() != null) {
          o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile().toString())
              .setKeyPath(tls.keyFile().toString()));
        }
      }
      return vertx.httpClientBuilder().with(o).with(new PoolOptions().setHttp1MaxSize(poolSizePerHost))
          .withConnectHandler(conn -> conn.exceptionHandler(e -> LOG.debug("connection to a target failed: {}", e.toString())))
          .build();
    });
  }
}

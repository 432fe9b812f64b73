package dev.vigil.poll;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Verdict;
import dev.vigil.config.TlsConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking HTTP GET of one attestation (or legacy health document) with the rules of
 * attestation-v1 section 1: no redirects, an overall deadline, the body capped at
 * {@code maxBytes} (a longer body is a failure, never a truncation). Connections are kept alive and
 * reused, but only one whose last response ended cleanly: a poll that passes its deadline, gets a
 * status other than 200, an oversized body or a broken response resets its request, which closes
 * that connection, so a hung connection never returns to the pool. The TCP connect and TLS handshake
 * timeouts are the poll's deadline (one client per TLS configuration and deadline), and an idle
 * pooled connection is closed after {@value #KEEP_ALIVE_SECONDS} s (or the target's own
 * {@code Keep-Alive: timeout}); open sockets are thus the polls in flight plus at most one idle
 * connection per answering target. A response that breaks HTTP (an oversized header, a bad chunk
 * size, interim responses where a final one was due) is {@code http_error} naming the violation.
 * Every outcome is a {@link FetchResult}, never a failed future; a target's misbehaviour is logged
 * at DEBUG at most.
 *
 * <p>Use from one Vert.x context; the futures complete on it. A caller outside any context is
 * served on one context of its own. After {@link #close} (a retry
 * timer may still fire while the monitor stops) every request answers {@code unreachable} at once.
 */
public final class HttpProbe {
  private static final Logger LOG = LoggerFactory.getLogger(HttpProbe.class);
  private static final String ACCEPT = Envelope.MEDIA_TYPE + ", application/json";
  /** How long an idle kept-alive connection waits for the next poll of its target. */
  static final int KEEP_ALIVE_SECONDS = 60;

  private final Vertx vertx;
  private final int poolSizePerHost;
  private final Map<ClientKey, HttpClientAgent> clients = new HashMap<>();
  /** Connections that ended a response cleanly, so the next request on one is a reuse. */
  private final Set<HttpConnection> reused = Collections.newSetFromMap(new WeakHashMap<>());
  private boolean closed;
  private Context offContext;

  private record ClientKey(TlsConfig tls, long timeoutMs) {}

  public HttpProbe(Vertx vertx, int poolSizePerHost) {
    this.vertx = vertx;
    this.poolSizePerHost = poolSizePerHost;
  }

  /** GETs {@code uri} within {@code timeout}, reading at most {@code maxBytes} of the body. */
  public Future<FetchResult> get(URI uri, TlsConfig tls, Duration timeout, int maxBytes) {
    return get(uri, requestUri(uri), tls, timeout, maxBytes);
  }

  /**
   * As {@link #get(URI, TlsConfig, Duration, int)} for the scheme, host and port of {@code origin}
   * and the request target {@code requestUri} (path and query, as sent): a poll's URL differs from
   * its target's only by them, so no URL is built and parsed again for every request.
   */
  public Future<FetchResult> get(URI origin, String requestUri, TlsConfig tls, Duration timeout, int maxBytes) {
    URI uri = origin;
    if (closed) {
      return Future.succeededFuture(FetchResult.failed(Verdict.UNREACHABLE, 0, "the monitor is stopping"));
    }
    if (Vertx.currentContext() == null) {
      Promise<FetchResult> onContext = Promise.promise();
      offContextCallers().runOnContext(v -> get(uri, requestUri, tls, timeout, maxBytes).onComplete(onContext));
      return onContext.future();
    }
    long timeoutMs = Math.max(1, timeout.toMillis());
    Exchange x = new Exchange(uri, requestUri, clientFor(tls, timeoutMs), timeoutMs, maxBytes);
    long timer = vertx.setTimer(timeoutMs, id -> x.expire());
    x.attempt(true);
    return x.result.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  /**
   * The context a caller outside Vert.x (a test, a command's main thread) is served on: a response's
   * handlers must be set on the thread that reads it, or a response that ended in between is lost.
   */
  private synchronized Context offContextCallers() {
    if (offContext == null) {
      offContext = vertx.getOrCreateContext();
    }
    return offContext;
  }

  /** One poll: its deadline, the request in flight, and at most one retry (see {@link #attempt}). */
  private final class Exchange {
    final Promise<FetchResult> result = Promise.promise();
    final URI uri;
    final String requestUri;
    final HttpClientAgent client;
    final long timeoutMs;
    final int maxBytes;
    HttpClientRequest inFlight;

    Exchange(URI uri, String requestUri, HttpClientAgent client, long timeoutMs, int maxBytes) {
      this.uri = uri;
      this.requestUri = requestUri;
      this.client = client;
      this.timeoutMs = timeoutMs;
      this.maxBytes = maxBytes;
    }

    void expire() {
      if (result.tryComplete(FetchResult.failed(Verdict.TIMEOUT, 0, "no complete response within " + timeoutMs + " ms"))
          && inFlight != null) {
        inFlight.reset();
      }
    }

    /**
     * Sends the GET. A kept-alive connection the target closed just as it was reused fails before
     * any answer: the GET (idempotent) is then sent once more, on another connection, within the
     * same deadline, as HTTP clients do, so the target's own idle timeout is never its verdict.
     */
    void attempt(boolean mayRetry) {
      RequestOptions opts = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setHost(uri.getHost())
          .setPort(port(uri))
          .setSsl("https".equalsIgnoreCase(uri.getScheme()))
          .setURI(requestUri)
          .setFollowRedirects(false)
          .setConnectTimeout(timeoutMs)
          .putHeader(HttpHeaders.ACCEPT, ACCEPT);
      Future<HttpClientRequest> request;
      try {
        request = client.request(opts);
      } catch (IllegalStateException closed) {
        request = Future.failedFuture(closed); // "Client is closed": a poll racing the monitor's shutdown
      }
      request
          .compose(req -> {
            if (result.future().isComplete()) {
              req.reset();
              return Future.failedFuture("the deadline passed before the connection was ready");
            }
            inFlight = req;
            return req.send();
          })
          .onSuccess(this::read)
          .onFailure(e -> {
            HttpClientRequest req = inFlight;
            if (mayRetry && req != null && !result.future().isComplete() && reused.contains(req.connection())
                && (hasCause(e, HttpClosedException.class) || hasCause(e, ClosedChannelException.class))) {
              LOG.debug("kept-alive connection to {} was closed by the target, retrying on another", where(uri));
              inFlight = null;
              attempt(false);
              return;
            }
            result.tryComplete(transportFailure(e, uri, 0));
          });
    }

    private void read(HttpClientResponse resp) {
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
      resp.endHandler(v -> {
        reused.add(resp.request().connection());
        result.tryComplete(FetchResult.ok(body.getBytes()));
      });
    }
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
    return uri.getHost() + ":" + port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() < 0 ? ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80) : uri.getPort();
  }

  /** The request target of {@code uri} as an HTTP/1.1 client sends it: its raw path ("/" when empty) and query. */
  static String requestUri(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /**
   * Applies {@code tls} (trusted CA, client certificate, host-name check) to {@code o} and turns
   * TLS on; nothing when {@code tls} is null. The one mapping of a {@link TlsConfig} onto a Vert.x
   * client, for the probe and for every other client that takes the same settings.
   */
  public static HttpClientOptions withTls(HttpClientOptions o, TlsConfig tls) {
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
    return o;
  }

  /**
   * One client per TLS configuration and deadline: the TCP connect and TLS handshake timeouts are
   * client options, and they must not outlive the poll (Vert.x's default of 60 s kept sockets to
   * blackholed targets open long after their polls had timed out). The idle timeout only closes
   * pooled connections nobody uses; an in-flight request is reset at its deadline by {@link #get}.
   */
  private HttpClientAgent clientFor(TlsConfig tls, long timeoutMs) {
    return clients.computeIfAbsent(new ClientKey(tls, timeoutMs), k -> {
      int boundedMs = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
      HttpClientOptions o = new HttpClientOptions()
          .setKeepAlive(true)
          .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
          .setMaxRedirects(0)
          .setConnectTimeout(boundedMs)
          .setSslHandshakeTimeout(boundedMs)
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
          .setIdleTimeout(KEEP_ALIVE_SECONDS + 1)
          .setIdleTimeoutUnit(TimeUnit.SECONDS);
      withTls(o, tls);
      return vertx.httpClientBuilder().with(o).with(new PoolOptions().setHttp1MaxSize(poolSizePerHost))
          .withConnectHandler(conn -> conn.exceptionHandler(e -> LOG.debug("connection to a target failed: {}", e.toString())))
          .build();
    });
  }
}

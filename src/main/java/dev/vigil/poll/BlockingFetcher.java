package dev.vigil.poll;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Verdict;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A one-shot, blocking attestation request for command-line use ({@code vigil verify --url}),
 * following attestation-v1 section 1: the nonce as a query parameter, no redirects, the body read
 * to at most {@code maxBytes} (a longer body is a failure, not a truncation). The daemon polls with
 * the non-blocking Vert.x client instead. Thread-safe.
 */
public final class BlockingFetcher {
  private static final String ACCEPT = Envelope.MEDIA_TYPE + ", application/json";

  private final HttpClient client;
  private final Duration timeout;
  private final int maxBytes;

  public BlockingFetcher(Duration timeout, int maxBytes) {
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** The request URI for {@code baseUrl} (which may already carry the path) and a nonce. */
  public static URI attestationUri(String baseUrl, String nonce) {
    int hash = baseUrl.indexOf('#');
    String base = hash < 0 ? baseUrl : baseUrl.substring(0, hash);
    String sep = base.contains("?") ? "&" : "?";
    return URI.create(base + sep + "nonce=" + URLEncoder.encode(nonce, StandardCharsets.UTF_8));
  }

  /**
   * Requests {@code uri}. The whole exchange (connect, headers and the complete body) must finish
   * within the timeout: a server that sends its headers and then stalls is a {@code timeout}.
   */
  public FetchResult fetch(URI uri) {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT).GET().build();
    CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(req, this::bodyOf);
    try {
      HttpResponse<byte[]> resp = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (resp.statusCode() != 200) {
        return FetchResult.failed(Verdict.HTTP_ERROR, resp.statusCode(), "HTTP status " + resp.statusCode());
      }
      if (resp.body() == null) {
        return FetchResult.failed(Verdict.RESPONSE_TOO_LARGE, 200,
            "body is longer than the limit of " + maxBytes + " bytes");
      }
      return FetchResult.ok(resp.body());
    } catch (TimeoutException e) {
      pending.cancel(true);
      return FetchResult.failed(Verdict.TIMEOUT, 0, "no complete response within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return failure(e.getCause() != null ? e.getCause() : e, uri);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return FetchResult.failed(Verdict.TIMEOUT, 0, "interrupted");
    }
  }

  private FetchResult failure(Throwable e, URI uri) {
    if (e instanceof HttpConnectTimeoutException) {
      return FetchResult.failed(Verdict.TIMEOUT, 0, "connect timed out after " + timeout.toMillis() + " ms");
    }
    if (e instanceof HttpTimeoutException) {
      return FetchResult.failed(Verdict.TIMEOUT, 0, "no complete response within " + timeout.toMillis() + " ms");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return FetchResult.failed(Verdict.TLS_ERROR, 0, "TLS failure: " + t.getMessage());
      }
    }
    if (e instanceof ConnectException) {
      return FetchResult.failed(Verdict.UNREACHABLE, 0, "connection refused or unreachable: " + uri.getAuthority());
    }
    return FetchResult.failed(Verdict.UNREACHABLE, 0, "I/O failure: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + e.getMessage()));
  }

  /** A 200 body read to at most {@code maxBytes} (null when longer); any other status's body is not read. */
  private HttpResponse.BodySubscriber<byte[]> bodyOf(HttpResponse.ResponseInfo info) {
    return new CappedBody(info.statusCode() == 200 ? maxBytes : -1);
  }

  /**
   * Collects a body up to a limit; completes with null, and cancels the stream, as soon as the
   * body is longer (a limit of -1 discards the body at once).
   */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    CappedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (limit < 0) {
        result.complete(null);
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (buffer.size() + b.remaining() > limit) {
          result.complete(null);
          subscription.cancel();
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}

package dev.vigil.poll;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    String sep = baseUrl.contains("?") ? "&" : "?";
    return URI.create(baseUrl + sep + "nonce=" + URLEncoder.encode(nonce, StandardCharsets.UTF_8));
  }

  public FetchResult fetch(URI uri) {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT).GET().build();
    try {
      HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          return FetchResult.failed(Verdict.HTTP_ERROR, resp.statusCode(), "HTTP status " + resp.statusCode());
        }
        byte[] body = readCapped(in);
        if (body == null) {
          return FetchResult.failed(Verdict.RESPONSE_TOO_LARGE, 200,
              "body is longer than the limit of " + maxBytes + " bytes");
        }
        return FetchResult.ok(body);
      }
    } catch (HttpConnectTimeoutException e) {
      return FetchResult.failed(Verdict.TIMEOUT, 0, "connect timed out after " + timeout.toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      return FetchResult.failed(Verdict.TIMEOUT, 0, "no complete response within " + timeout.toMillis() + " ms");
    } catch (SSLException e) {
      return FetchResult.failed(Verdict.TLS_ERROR, 0, "TLS failure: " + e.getMessage());
    } catch (ConnectException e) {
      return FetchResult.failed(Verdict.UNREACHABLE, 0, "connection refused or unreachable: " + uri.getAuthority());
    } catch (IOException e) {
      return FetchResult.failed(Verdict.UNREACHABLE, 0, "I/O failure: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FetchResult.failed(Verdict.TIMEOUT, 0, "interrupted");
    }
  }

  private byte[] readCapped(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
    byte[] buf = new byte[8192];
    int total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
      if (total > maxBytes) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}

package dev.vigil.poll;

import dev.vigil.attest.Verdict;

/**
 * What one HTTP request for an attestation returned: either a body to verify, or a transport
 * verdict ({@code unreachable}, {@code timeout}, {@code tls_error}, {@code http_error},
 * {@code response_too_large}) with a detail. Immutable.
 *
 * @param body the complete body when {@code failure} is null
 * @param status the HTTP status, or 0 when no response arrived
 */
public record FetchResult(byte[] body, int status, Verdict failure, String detail) {

  public static FetchResult ok(byte[] body) {
    return new FetchResult(body, 200, null, "HTTP 200");
  }

  public static FetchResult failed(Verdict verdict, int status, String detail) {
    return new FetchResult(null, status, verdict, detail);
  }

  public boolean succeeded() {
    return failure == null;
  }

  /** True when an HTTP response arrived, whatever its status. */
  public boolean responded() {
    return status != 0;
  }
}

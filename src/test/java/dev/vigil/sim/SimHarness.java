package dev.vigil.sim;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import dev.vigil.poll.Nonce;
import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared test plumbing: a strict Vert.x, futures with deadlines, real HTTP, the real verifier. */
final class SimHarness {
  /** The simulator's fixed clock in most tests, and the monitor's "now". */
  static final Instant NOW = Instant.parse("2026-11-26T18:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private static final HttpClient HTTP = client();

  private SimHarness() {}

  /** A Vert.x that complains about any event-loop task longer than 200 ms. */
  static Vertx vertx() {
    return Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(MILLISECONDS));
  }

  /** Ephemeral ports everywhere, the fixed clock. */
  static SimulatorOptions options() {
    return SimulatorOptions.defaults().withBasePort(0).withAdminPort(0).withClock(CLOCK);
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The failure of a future that must fail within the deadline. */
  static Throwable failure(Future<?> future) throws InterruptedException, TimeoutException {
    try {
      future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail, it succeeded");
  }

  /** A fresh client: no pooled connection to an instance that has since closed its port. */
  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
    return get(HTTP, uri);
  }

  static HttpResponse<byte[]> get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri).timeout(DEADLINE).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> send(String method, URI uri, String body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(DEADLINE).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static URI withNonce(URI attestationUrl, String nonce) {
    String base = attestationUrl.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + "nonce="
        + java.net.URLEncoder.encode(nonce, StandardCharsets.UTF_8));
  }

  /** What the monitor would get for one poll of {@code id}. */
  record Poll(String nonce, HttpResponse<byte[]> response, Verification verification) {
    int status() {
      return response.statusCode();
    }
  }

  /** Polls {@code id} with a fresh nonce and verifies the body as the monitor would, at {@link #NOW}. */
  static Poll poll(FleetSimulator sim, TargetId id) throws IOException, InterruptedException {
    return poll(sim, id, NOW);
  }

  static Poll poll(FleetSimulator sim, TargetId id, Instant now) throws IOException, InterruptedException {
    String nonce = Nonce.fresh();
    HttpResponse<byte[]> response = get(withNonce(sim.attestationUrl(id), nonce));
    return new Poll(nonce, response, verifier(sim, id).verify(response.body(), expectation(sim, id, nonce, now)));
  }

  /** The verifier a monitor configured with this instance's public key uses. */
  static Verifier verifier(FleetSimulator sim, TargetId id) {
    return new Verifier(TrustStore.of(TrustedKey.of(sim.publicKey(id))));
  }

  static Expectation expectation(FleetSimulator sim, TargetId id, String nonce, Instant now) {
    return new Expectation(id.service(), id.environment(), nonce, sim.options().constitutionalHash(),
        sim.options().constitutionDigest(), now, Expectation.DEFAULT_MAX_CLOCK_SKEW, null, 1);
  }

  static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  static boolean isEnvelopeType(HttpResponse<?> response) {
    return contentType(response).equals(Envelope.MEDIA_TYPE);
  }
}

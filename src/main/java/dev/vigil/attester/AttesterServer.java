package dev.vigil.attester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import dev.vigil.config.BoundedFiles;
import dev.vigil.http.ServerLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attester sidecar for a service that cannot sign by itself: serves {@code GET
 * /attestation?nonce=N} per attestation-v1 on its own port.
 *
 * <p>A request only signs: everything the statement says comes from state refreshed on the
 * attester's own schedule ({@code refreshInterval}), so neither a slow health endpoint nor a
 * flood of requests can delay a real attestation. The subject digest is the SHA-256 of the mounted
 * constitution document (re-hashed when its size or modification time changes), so an edit shows
 * within one refresh; {@code constitutionalHash} is the configured hash or the digest's first 16
 * hex digits; {@code complianceStatus} is the last {@code constitutional_compliance} read from the
 * service's {@code /health/constitutional} when a health URL is given ({@code unknown} when it
 * cannot be read, one read in flight at a time), else {@code active}. Signing takes two worker
 * threads and well under a millisecond per request (Ed25519, P-256), so a queue of them drains
 * quickly; at most {@code maxConcurrent} attestations are queued or being signed at once, and more
 * are answered 503 at once, so a flood cannot grow memory without bound. {@code GET /health/live} answers 200; {@code GET /health/ready} 200 while the
 * constitution could be read at the last refresh, 503 otherwise.
 *
 * <p>Thread-safety: the cached state is held in volatile fields written by the refresh tasks and
 * read by the request handler.
 */
public final class AttesterServer {
  /** The largest constitution document read (a bigger one makes the attester not ready). */
  public static final long MAX_CONSTITUTION_BYTES = BoundedFiles.DOCUMENT_MAX_BYTES;
  /** How long one read of the health URL may take. */
  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  static final String ENVELOPE_TYPE = "application/vnd.dsse.envelope.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Connections beyond the attestations in flight: health checks, a scrape, a burst being answered 503. */
  private static final int CONNECTION_HEADROOM = 64;

  /**
   * What the attester says about whom, and its limits. {@code hash} and {@code healthUrl} may be
   * null.
   *
   * @param refreshInterval how often the constitution's digest and the health status are refreshed
   * @param maxConcurrent attestations queued or being signed at once; further requests are answered 503
   */
  public record Options(Path constitution, SigningKey key, String service, String environment, String hash,
      URI healthUrl, String release, String host, int port, Duration refreshInterval, int maxConcurrent) {
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_CONCURRENT = 1024;

    public Options {
      Objects.requireNonNull(constitution, "constitution");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(host, "host");
      if (refreshInterval.toMillis() < 10 || maxConcurrent < 1) {
        throw new IllegalArgumentException("refreshInterval must be at least 10ms and maxConcurrent positive");
      }
    }

    /** With the default refresh interval and concurrency bound. */
    public Options(Path constitution, SigningKey key, String service, String environment, String hash, URI healthUrl,
        String release, String host, int port) {
      this(constitution, key, service, environment, hash, healthUrl, release, host, port, DEFAULT_REFRESH_INTERVAL,
          DEFAULT_MAX_CONCURRENT);
    }
  }

  /** The constitution's digest as last read, or why it could not be read (digest null). */
  private record Constitution(String digest, String problem, Object fileKey, long size, long modified) {}

  private final Vertx vertx;
  private final Options options;
  private final Clock clock;
  private final Signer signer;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /** Never goes backwards for this instance, across restarts too: at least the current epoch millisecond. */
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean healthReading = new AtomicBoolean();
  private final AtomicBoolean hashing = new AtomicBoolean();
  private final WorkerExecutor workers;
  private volatile Constitution constitution = new Constitution(null, "not read yet", null, -1, -1);
  private volatile String compliance;
  private HttpServer server;
  private long timer = -1;

  private AttesterServer(Vertx vertx, Options options, Clock clock) {
    this.vertx = vertx;
    this.options = options;
    this.clock = clock;
    this.signer = new Signer(List.of(options.key()), new SecureRandom());
    this.compliance = options.healthUrl() == null ? Statement.ACTIVE : "unknown";
    this.workers = vertx.createSharedWorkerExecutor("vigil-attester-" + System.identityHashCode(this), 2);
  }

  /**
   * Reads the state once, then listens; completes once the port is bound (fails naming host and
   * port otherwise).
   */
  public static Future<AttesterServer> start(Vertx vertx, Options options, Clock clock) {
    AttesterServer a = new AttesterServer(vertx, options, clock);
    return Future.join(a.refreshConstitution(), a.refreshHealth())
        .compose(x -> {
          ServerLimits limits = new ServerLimits(options.maxConcurrent() + CONNECTION_HEADROOM,
              ServerLimits.defaults().idleTimeout(), ServerLimits.defaults().requestTimeout());
          HttpServer server = vertx.createHttpServer(limits.options(new HttpServerOptions()));
          limits.install(vertx, server, a::handle);
          return server.listen(options.port(), options.host());
        })
        .map(s -> {
          a.server = s;
          a.timer = vertx.setPeriodic(options.refreshInterval().toMillis(), id -> {
            a.refreshConstitution();
            a.refreshHealth();
          });
          return a;
        })
        .recover(e -> {
          a.workers.close();
          return Future.failedFuture(new IOException(
              "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e));
        });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> workers.close());
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    boolean get = req.method().name().equals("GET");
    if (get && path.equals("/health/live")) {
      req.response().putHeader("content-type", "application/json").end("{\"status\":\"live\"}");
    } else if (get && path.equals("/health/ready")) {
      Constitution c = constitution;
      req.response().setStatusCode(c.digest() != null ? 200 : 503).putHeader("content-type", "application/json")
          .end(c.digest() != null ? "{\"status\":\"ready\"}" : JSON.createObjectNode().put("status", "not ready")
              .put("detail", "cannot read the constitution: " + c.problem()).toString());
    } else if (get && path.equals("/attestation")) {
      attestation(req);
    } else {
      error(req, 404, "not found");
    }
  }

  private void attestation(HttpServerRequest req) {
    Constitution c = constitution;
    if (c.digest() == null) {
      error(req, 503, "cannot read the constitution: " + c.problem());
      return;
    }
    if (inFlight.incrementAndGet() > options.maxConcurrent()) {
      inFlight.decrementAndGet();
      req.response().putHeader("retry-after", "1");
      error(req, 503, "busy: " + options.maxConcurrent() + " attestations in progress");
      return;
    }
    String nonce = req.getParam("nonce");
    String status = compliance;
    workers.executeBlocking(() -> sign(nonce, c.digest(), status), false).onComplete(r -> {
      inFlight.decrementAndGet();
      if (r.succeeded()) {
        req.response().putHeader("content-type", ENVELOPE_TYPE).end(Buffer.buffer(r.result()));
      } else {
        error(req, 500, String.valueOf(r.cause().getMessage()));
      }
    });
  }

  private static void error(HttpServerRequest req, int status, String message) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(JSON.createObjectNode().put("error", message).toString());
  }

  /** A signed envelope for {@code nonce} (may be null), as of now, from the cached state. CPU only. */
  byte[] sign(String nonce, String digest, String status) {
    String hash = options.hash() != null ? options.hash() : digest.substring(0, 16);
    long now = clock.millis();
    long seq = sequence.updateAndGet(prev -> Math.max(prev + 1, now));
    Statement st = new Statement(options.service(), digest, options.service(), options.environment(), hash,
        status, nonce, clock.instant().truncatedTo(ChronoUnit.MILLIS), options.release(), seq, null);
    return signer.sign(st).toJson();
  }

  /** Re-hashes the constitution on a worker when its size or modification time changed; one run at a time. */
  private Future<Void> refreshConstitution() {
    if (!hashing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return workers.executeBlocking(() -> {
      try {
        Constitution before = constitution;
        Path file = options.constitution();
        BoundedFiles.check(file, MAX_CONSTITUTION_BYTES);
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = a.lastModifiedTime().toMillis();
        if (before.digest() != null && Objects.equals(before.fileKey(), a.fileKey()) && before.size() == a.size()
            && before.modified() == modified) {
          return null;
        }
        constitution = new Constitution(sha256Hex(file), null, a.fileKey(), a.size(), modified);
      } catch (IOException e) {
        constitution = new Constitution(null, e.getMessage(), null, -1, -1);
      }
      return null;
    }, false).<Void>mapEmpty().eventually(() -> {
      hashing.set(false);
      return Future.succeededFuture();
    });
  }

  /** Reads the health URL without blocking (at most {@link #HEALTH_TIMEOUT}); one read in flight at a time. */
  private Future<Void> refreshHealth() {
    if (options.healthUrl() == null || !healthReading.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    http.sendAsync(HttpRequest.newBuilder(options.healthUrl()).timeout(HEALTH_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .whenComplete((r, e) -> {
          compliance = e != null ? "unknown" : complianceOf(r);
          healthReading.set(false);
          done.tryComplete();
        });
    return done.future();
  }

  private static String complianceOf(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      return "unknown";
    }
    try {
      JsonNode status = JSON.readTree(r.body()).get("constitutional_compliance");
      return status != null && status.isTextual() && !status.asText().isEmpty() ? status.asText() : "unknown";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Lowercase hex SHA-256 of the file's bytes (a regular file of at most {@link #MAX_CONSTITUTION_BYTES}). */
  public static String sha256Hex(Path file) throws IOException {
    BoundedFiles.check(file, MAX_CONSTITUTION_BYTES);
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    long total = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > MAX_CONSTITUTION_BYTES) {
          throw new IOException(file + " is larger than " + MAX_CONSTITUTION_BYTES + " bytes");
        }
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}

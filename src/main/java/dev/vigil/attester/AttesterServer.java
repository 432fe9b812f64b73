package dev.vigil.attester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attester sidecar for a service that cannot sign by itself: serves {@code GET
 * /attestation?nonce=N} per attestation-v1 on its own port. The statement's subject digest is the
 * SHA-256 of the mounted constitution document, read again for every request, so an edit shows at
 * the next poll; {@code constitutionalHash} is the configured hash or the digest's first 16 hex
 * digits; {@code complianceStatus} is the service's {@code /health/constitutional}
 * {@code constitutional_compliance} when a health URL is given ({@code unknown} when it cannot be
 * read), else {@code active}. {@code GET /health/live} answers 200; {@code GET /health/ready} 200
 * while the constitution file can be read, 503 otherwise.
 */
public final class AttesterServer {
  /** The largest constitution document read (a bigger one is refused: 500). */
  public static final long MAX_CONSTITUTION_BYTES = 16L * 1024 * 1024;
  static final String ENVELOPE_TYPE = "application/vnd.dsse.envelope.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the attester says about whom. {@code hash} and {@code healthUrl} may be null. */
  public record Options(Path constitution, SigningKey key, String service, String environment, String hash,
      URI healthUrl, String release, String host, int port) {
    public Options {
      Objects.requireNonNull(constitution, "constitution");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(host, "host");
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final Clock clock;
  private final Signer signer;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /** Never goes backwards for this instance, across restarts too: at least the current epoch millisecond. */
  private final AtomicLong sequence = new AtomicLong();
  private HttpServer server;

  private AttesterServer(Vertx vertx, Options options, Clock clock) {
    this.vertx = vertx;
    this.options = options;
    this.clock = clock;
    this.signer = new Signer(List.of(options.key()), new SecureRandom());
  }

  /** Listens; completes once the port is bound (fails naming host and port otherwise). */
  public static Future<AttesterServer> start(Vertx vertx, Options options, Clock clock) {
    AttesterServer a = new AttesterServer(vertx, options, clock);
    return vertx.createHttpServer().requestHandler(a::handle).listen(options.port(), options.host())
        .map(s -> {
          a.server = s;
          return a;
        })
        .recover(e -> Future.failedFuture(new IOException(
            "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e)));
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (req.method().name().equals("GET") && path.equals("/health/live")) {
      req.response().putHeader("content-type", "application/json").end("{\"status\":\"live\"}");
      return;
    }
    if (req.method().name().equals("GET") && path.equals("/health/ready")) {
      vertx.executeBlocking(() -> sha256Hex(options.constitution()), false).onComplete(r -> req.response()
          .setStatusCode(r.succeeded() ? 200 : 503).putHeader("content-type", "application/json")
          .end(r.succeeded() ? "{\"status\":\"ready\"}" : JSON.createObjectNode().put("status", "not ready")
              .put("detail", "cannot read the constitution: " + r.cause().getMessage()).toString()));
      return;
    }
    if (!req.method().name().equals("GET") || !path.equals("/attestation")) {
      req.response().setStatusCode(404).putHeader("content-type", "application/json").end("{\"error\":\"not found\"}");
      return;
    }
    String nonce = req.getParam("nonce");
    vertx.executeBlocking(() -> attest(nonce), false).onComplete(r -> {
      if (r.succeeded()) {
        req.response().putHeader("content-type", ENVELOPE_TYPE).end(io.vertx.core.buffer.Buffer.buffer(r.result()));
      } else {
        req.response().setStatusCode(500).putHeader("content-type", "application/json")
            .end(JSON.createObjectNode().put("error", String.valueOf(r.cause().getMessage())).toString());
      }
    });
  }

  /** A signed envelope for {@code nonce} (may be null), as of now. Blocking: reads the file and the health URL. */
  byte[] attest(String nonce) throws IOException, InterruptedException {
    String digest = sha256Hex(options.constitution());
    String hash = options.hash() != null ? options.hash() : digest.substring(0, 16);
    long now = clock.millis();
    long seq = sequence.updateAndGet(prev -> Math.max(prev + 1, now));
    Statement st = new Statement(options.service(), digest, options.service(), options.environment(), hash,
        complianceStatus(), nonce, clock.instant().truncatedTo(ChronoUnit.MILLIS), options.release(), seq, null);
    return signer.sign(st).toJson();
  }

  private String complianceStatus() throws InterruptedException {
    if (options.healthUrl() == null) {
      return Statement.ACTIVE;
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(options.healthUrl()).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return "unknown";
      }
      JsonNode status = JSON.readTree(r.body()).get("constitutional_compliance");
      return status != null && status.isTextual() && !status.asText().isEmpty() ? status.asText() : "unknown";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Lowercase hex SHA-256 of the file's bytes (at most {@link #MAX_CONSTITUTION_BYTES}). */
  public static String sha256Hex(Path file) throws IOException {
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

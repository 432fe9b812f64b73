package dev.vigil.sim;

import dev.vigil.attest.Envelope;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What an instance answers, fault by fault: the signed attestation and the legacy health
 * documents. Signing (Ed25519, tens of microseconds) is cheap enough for the event loop. Stateless
 * apart from the instances it is handed; thread-safe.
 */
final class Attester {
  /** The endpoints of one instance, below its prefix. */
  enum Endpoint {
    ATTESTATION("/attestation"),
    HEALTH("/health"),
    CONSTITUTIONAL("/health/constitutional");

    final String path;

    Endpoint(String path) {
      this.path = path;
    }

    /** The endpoint at {@code path} (below the prefix), or null. */
    static Endpoint at(String path) {
      for (Endpoint e : values()) {
        if (e.path.equals(path)) {
          return e;
        }
      }
      return null;
    }
  }

  /** One HTTP answer. */
  record Reply(int status, String contentType, Buffer body) {}

  static final String TAMPERED_HASH = "deadbeefdeadbeef";
  static final String VERSION = "2.0.0-acge";
  static final Duration STALE_AGE = Duration.ofMinutes(10);
  static final String JSON = "application/json";

  private static final byte[] GARBAGE = garbage();
  private static final Base64.Encoder NONCE_ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SimulatorOptions options;
  private final Signer untrusted;
  private final String tamperedHash;

  /** @param untrustedKey the key {@link Fault#UNKNOWN_KEY} signs with: no monitor may trust it */
  Attester(SimulatorOptions options, SigningKey untrustedKey) {
    this.options = options;
    this.untrusted = new Signer(untrustedKey);
    // Should anyone configure the tamper value as the real hash, tampering must still differ.
    this.tamperedHash = TAMPERED_HASH.equals(options.constitutionalHash()) ? "feedfacefeedface" : TAMPERED_HASH;
  }

  String tamperedHash() {
    return tamperedHash;
  }

  /** The answer of {@code instance} at {@code endpoint} under {@code fault}; nonce may be null. */
  Reply reply(Instance instance, Endpoint endpoint, String nonce, Fault fault) {
    switch (fault) {
      case HTTP_500:
        return json(500, new JsonObject().put("error", "internal server error (simulated fault http_500)"));
      case GARBAGE:
        return new Reply(200, Envelope.MEDIA_TYPE, Buffer.buffer(GARBAGE));
      case LEGACY:
        if (endpoint == Endpoint.ATTESTATION) {
          return json(404, new JsonObject().put("error", "not found: this service predates signed attestations"));
        }
        break;
      default:
        break;
    }
    Reply reply = switch (endpoint) {
      case ATTESTATION -> new Reply(200, Envelope.MEDIA_TYPE, Buffer.buffer(attestation(instance, nonce, fault)));
      case HEALTH -> json(200, health(instance, fault));
      case CONSTITUTIONAL -> json(200, constitutional(instance, fault));
    };
    if (fault == Fault.OVERSIZED) {
      return new Reply(reply.status(), reply.contentType(), Buffer.buffer(pad(reply.body().getBytes(), Fault.OVERSIZED_BYTES)));
    }
    return reply;
  }

  /** The DSSE envelope bytes of one attestation. */
  byte[] attestation(Instance instance, String nonce, Fault fault) {
    if (fault == Fault.REPLAYED) {
      byte[] first = instance.firstGenuine();
      return first != null ? first : instance.rememberFirstGenuine(
          instance.signer().sign(statement(instance, randomNonce(), Fault.NONE)).toJson());
    }
    Statement st = statement(instance, nonce, fault);
    Envelope env = (fault == Fault.UNKNOWN_KEY ? untrusted : instance.signer()).sign(st);
    if (fault == Fault.BAD_SIGNATURE) {
      env = corrupt(env);
    }
    byte[] bytes = env.toJson();
    if (fault == Fault.NONE || fault.delayed()) {
      instance.rememberFirstGenuine(bytes);
    }
    return bytes;
  }

  Statement statement(Instance instance, String nonce, Fault fault) {
    Instant issuedAt = options.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    if (fault == Fault.STALE) {
      issuedAt = issuedAt.minus(STALE_AGE);
    }
    String echoed = nonce;
    if (fault == Fault.WRONG_NONCE) {
      do {
        echoed = randomNonce();
      } while (echoed.equals(nonce));
    }
    String service = instance.id().service();
    return new Statement(service, options.constitutionDigest(), service, instance.id().environment(),
        hash(fault), status(fault), echoed, issuedAt, VERSION, instance.nextSequence(), slo(instance, fault));
  }

  private String hash(Fault fault) {
    return fault == Fault.TAMPERED_HASH ? tamperedHash : options.constitutionalHash();
  }

  private static String status(Fault fault) {
    return fault == Fault.COMPLIANCE_INACTIVE ? "inactive" : Statement.ACTIVE;
  }

  private static Statement.Slo slo(Instance instance, Fault fault) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    double p95 = fault == Fault.HIGH_LATENCY_REPORT ? 5000.0
        : round1(Math.max(120, Math.min(200, instance.baseLatencyMs() + r.nextDouble(-8, 8))));
    double rps = fault == Fault.LOW_THROUGHPUT ? 10.0 : round1(1200 + r.nextDouble(-40, 40));
    double errorRate = fault == Fault.HIGH_ERROR_RATE ? 0.2 : 0.001;
    return new Statement.Slo(p95, rps, errorRate);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private JsonObject health(Instance instance, Fault fault) {
    return new JsonObject()
        .put("status", "healthy")
        .put("service", instance.id().service())
        .put("environment", instance.id().environment())
        .put("constitutional_hash", hash(fault))
        .put("version", VERSION)
        .put("timestamp", now());
  }

  private JsonObject constitutional(Instance instance, Fault fault) {
    return new JsonObject()
        .put("constitutional_compliance", status(fault))
        .put("constitutional_hash", hash(fault))
        .put("service", instance.id().service())
        .put("environment", instance.id().environment())
        .put("timestamp", now());
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(options.clock().instant().truncatedTo(ChronoUnit.SECONDS));
  }

  static Reply json(int status, JsonObject body) {
    return new Reply(status, JSON, body.toBuffer());
  }

  /** The same envelope with the first byte of each signature flipped: the signature cannot verify. */
  private static Envelope corrupt(Envelope env) {
    List<Envelope.Sig> sigs = env.signatures().stream().map(s -> {
      byte[] b = s.sig().clone();
      b[0] ^= 0x5a;
      return new Envelope.Sig(s.keyid(), b);
    }).toList();
    return new Envelope(env.payloadType(), env.payload(), sigs);
  }

  /**
   * A JSON object padded with an extra {@code "padding"} member to exactly {@code size} bytes (or
   * left as is when it is already that long): still valid JSON, only too long.
   */
  static byte[] pad(byte[] jsonObject, int size) {
    String text = new String(jsonObject, StandardCharsets.UTF_8).stripTrailing();
    if (!text.endsWith("}")) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String head = text.substring(0, text.length() - 1).stripTrailing() + ",\"padding\":\"";
    int fill = size - head.getBytes(StandardCharsets.UTF_8).length - 2;
    return (head + "x".repeat(Math.max(0, fill)) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static String randomNonce() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return NONCE_ENCODER.encodeToString(b);
  }

  private static byte[] garbage() {
    byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>\n".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[html.length + 4];
    out[0] = (byte) 0xde;
    out[1] = (byte) 0xad;
    out[2] = (byte) 0xbe;
    out[3] = (byte) 0xef;
    System.arraycopy(html, 0, out, 4, html.length);
    return out;
  }
}

package dev.vigil.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.attest.DsseVerifier;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Encodes events-v1 messages and decodes them back.
 *
 * <ul>
 *   <li>Producer side: {@link #sign} turns a {@link CloudEvent} into structured-mode JSON, signs it
 *       into a DSSE envelope ({@code payloadType application/cloudevents+json}) with the producer's
 *       event key, and returns the {@link SignedEvent} (key, value, headers) to send.
 *   <li>Consumer side: {@link #verify} checks a Kafka message value against the trusted producer
 *       keys and parses the CloudEvent. An untrusted, tampered or malformed message is a
 *       {@link Rejected} value, never an exception.
 * </ul>
 *
 * <p>Thread-safe: an instance holds only an immutable signer; the static methods are pure.
 */
public final class EventCodec {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(64).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Signer signer;

  public EventCodec(SigningKey eventKey) {
    this.signer = new Signer(Objects.requireNonNull(eventKey, "eventKey"));
  }

  /** The outcome of {@link #verify}. */
  public sealed interface Decoded permits Accepted, Rejected {}

  /** A trusted, well-formed event; {@code keyId} is the producer key that signed it. */
  public record Accepted(CloudEvent event, String keyId) implements Decoded {}

  /** Why a message is not acted on: the {@code reason} label of metrics-v1. */
  public enum Reason {
    UNTRUSTED_EVENT("untrusted_event"), MALFORMED("malformed");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A message refused with its reason and a one-line detail. */
  public record Rejected(Reason reason, String detail) implements Decoded {}

  /** Signs {@code event} into the message to send. */
  public SignedEvent sign(CloudEvent event) {
    byte[] envelope = signer.sign(CloudEvent.PAYLOAD_TYPE, toJson(event)).toJson();
    return new SignedEvent(event.id(), event.type(), event.source(), event.service(), envelope);
  }

  /**
   * Verifies a message value (a DSSE envelope) against {@code trusted} producer keys at {@code now},
   * then parses its CloudEvent. Never throws for any bytes.
   */
  public static Decoded verify(byte[] value, TrustStore trusted, Instant now) {
    try {
      return verifyOrThrow(value, trusted, now);
    } catch (RuntimeException | StackOverflowError e) {
      // Whatever a parser below throws for hostile bytes is a malformed message, never a stuck consumer.
      return new Rejected(Reason.MALFORMED, "unreadable message (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Decoded verifyOrThrow(byte[] value, TrustStore trusted, Instant now) {
    DsseVerifier.Result r = DsseVerifier.verify(value, CloudEvent.PAYLOAD_TYPE, trusted, now);
    if (r instanceof DsseVerifier.Failed f) {
      return new Rejected(f.failure() == DsseVerifier.Failure.UNTRUSTED ? Reason.UNTRUSTED_EVENT : Reason.MALFORMED,
          f.detail());
    }
    DsseVerifier.Verified v = (DsseVerifier.Verified) r;
    String encoding = dev.vigil.attest.Utf8.problem(v.payload());
    if (encoding != null) {
      return new Rejected(Reason.MALFORMED, "event is not UTF-8 JSON: " + encoding);
    }
    try {
      return new Accepted(parse(v.payload()), v.keyId());
    } catch (EventFormatException e) {
      return new Rejected(Reason.MALFORMED, e.getMessage());
    }
  }

  /** The CloudEvent in structured JSON mode, fields in the spec's order. */
  public static byte[] toJson(CloudEvent e) {
    ObjectNode root = JSON.createObjectNode();
    root.put("specversion", CloudEvent.SPEC_VERSION);
    root.put("id", e.id());
    root.put("source", e.source());
    root.put("type", e.type());
    root.put("subject", e.subject());
    root.put("time", TIME.format(e.time()));
    root.put("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
    ObjectNode d = root.putObject("data");
    if (e.data() instanceof BreachData b) {
      d.put("breachId", b.breachId());
      d.put("service", b.service());
      d.put("environment", b.environment());
      d.put("rule", b.rule());
      d.put("severity", b.severity());
      d.put("verdict", b.verdict());
      d.put("observed", b.observed());
      d.put("expected", b.expected());
      d.put("complianceScore", b.complianceScore());
      d.put("windowSeconds", b.windowSeconds());
      d.put("consecutiveFailures", b.consecutiveFailures());
      d.put("openedAt", TIME.format(b.openedAt()));
      d.put("resolvedAt", b.resolvedAt() == null ? null : TIME.format(b.resolvedAt()));
      d.put("monitor", b.monitor());
    } else if (e.data() instanceof RolloutData r) {
      r.write(d, TIME);
    } else {
      RollbackFinished r = (RollbackFinished) e.data();
      d.put("rollbackId", r.rollbackId());
      d.put("breachId", r.breachId());
      d.put("breachEventId", r.breachEventId());
      d.put("service", r.service());
      d.put("from", r.from());
      d.put("to", r.to());
      d.put("status", r.status().label());
      d.put("detail", r.detail());
      d.put("startedAt", TIME.format(r.startedAt()));
      d.put("finishedAt", TIME.format(r.finishedAt()));
      d.put("durationMs", r.durationMs());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException ex) {
      throw new IllegalStateException("cannot serialise a JSON tree", ex);
    }
  }

  /** Parses a CloudEvent of events-v1 (no signature check: use {@link #verify} for messages). */
  public static CloudEvent parse(byte[] json) throws EventFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new EventFormatException("the CloudEvent is not valid JSON: " + clip(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
    if (root == null || !root.isObject()) {
      throw new EventFormatException("the CloudEvent must be a JSON object");
    }
    String spec = text(root, "specversion", true);
    if (!CloudEvent.SPEC_VERSION.equals(spec)) {
      throw new EventFormatException("specversion is " + spec + ", expected 1.0");
    }
    String dct = text(root, "datacontenttype", false);
    if (dct != null && !dct.equals(CloudEvent.DATA_CONTENT_TYPE)) {
      throw new EventFormatException("datacontenttype is " + dct + ", expected " + CloudEvent.DATA_CONTENT_TYPE);
    }
    String type = text(root, "type", true);
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw new EventFormatException("data must be a JSON object");
    }
    EventData payload;
    switch (type) {
      case CloudEvent.BREACH_OPENED, CloudEvent.BREACH_RESOLVED -> payload = breach(data);
      case CloudEvent.ROLLBACK_FINISHED -> payload = rollback(data);
      case CloudEvent.ROLLOUT_STEP, CloudEvent.ROLLOUT_FINISHED -> payload = RolloutData.read(type, data, READER);
      default -> throw new EventFormatException("unknown event type " + clip(type));
    }
    try {
      return new CloudEvent(text(root, "id", true), text(root, "source", true), type, text(root, "subject", false),
          time(root, "time", true), payload);
    } catch (IllegalArgumentException e) {
      throw new EventFormatException(e.getMessage());
    }
  }

  private static BreachData breach(JsonNode d) throws EventFormatException {
    JsonNode score = d.get("complianceScore");
    if (score != null && !score.isNull() && !score.isNumber()) {
      throw new EventFormatException("data.complianceScore must be a number or null");
    }
    return new BreachData(text(d, "breachId", true), text(d, "service", true), text(d, "environment", true),
          text(d, "rule", true), text(d, "severity", true), text(d, "verdict", false), text(d, "observed", false),
          text(d, "expected", false), score == null || score.isNull() ? null : score.doubleValue(),
          integer(d, "windowSeconds"), (int) integer(d, "consecutiveFailures"), time(d, "openedAt", true),
          time(d, "resolvedAt", false), text(d, "monitor", true));
  }

  private static RollbackFinished rollback(JsonNode d) throws EventFormatException {
    try {
      return new RollbackFinished(text(d, "rollbackId", true), text(d, "breachId", false),
          text(d, "breachEventId", false), text(d, "service", true), text(d, "from", false), text(d, "to", false),
          RollbackFinished.Status.fromLabel(text(d, "status", true)), text(d, "detail", false),
          time(d, "startedAt", true), time(d, "finishedAt", true), integer(d, "durationMs"));
    } catch (IllegalArgumentException e) {
      throw new EventFormatException("data.status: " + e.getMessage());
    }
  }

  private static final RolloutData.Reader READER = new RolloutData.Reader() {
    @Override
    public String text(JsonNode n, String field, boolean required) throws EventFormatException {
      return EventCodec.text(n, field, required);
    }

    @Override
    public long integer(JsonNode n, String field) throws EventFormatException {
      return EventCodec.integer(n, field);
    }

    @Override
    public Instant time(JsonNode n, String field, boolean required) throws EventFormatException {
      return EventCodec.time(n, field, required);
    }
  };

  private static String text(JsonNode n, String field, boolean required) throws EventFormatException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new EventFormatException(field + " is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new EventFormatException(field + " must be a string");
    }
    return v.textValue();
  }

  private static long integer(JsonNode n, String field) throws EventFormatException {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new EventFormatException(field + " must be an integer");
    }
    return v.longValue();
  }

  private static Instant time(JsonNode n, String field, boolean required) throws EventFormatException {
    String s = text(n, field, required);
    if (s == null) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(s, Instant::from);
    } catch (DateTimeParseException e) {
      throw new EventFormatException(field + " is not an RFC 3339 time: " + clip(s));
    }
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  /** A CloudEvent that does not follow events-v1. */
  public static final class EventFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public EventFormatException(String message) {
      super(message, null, false, false);
    }
  }
}

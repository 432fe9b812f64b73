package dev.vigil.evidence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One observation of evidence-v1 section 1, serialized as compact JSON with the keys in the spec's
 * order: index, time, monitor, service, environment, kind, verdict, detail, nonce, envelope,
 * breachId. {@code time} is UTC with exactly three fraction digits; absent values are
 * {@code null}; strings are escaped as Jackson's generator does (quote, backslash and control
 * characters only; other characters as UTF-8).
 *
 * <p>{@link #parse} accepts only the canonical bytes {@link #toJson} produces, so one entry has one
 * leaf hash. Immutable; thread-safe.
 *
 * @param envelope the exact response body when it was a DSSE envelope, or null
 */
public record Entry(long index, Instant time, String monitor, String service, String environment, Kind kind,
    String verdict, String detail, String nonce, byte[] envelope, String breachId) {

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final List<String> KEYS = List.of("index", "time", "monitor", "service", "environment", "kind",
      "verdict", "detail", "nonce", "envelope", "breachId");

  /** What an entry records. */
  public enum Kind {
    VERDICT("verdict"), BREACH_OPENED("breach.opened"), BREACH_RESOLVED("breach.resolved"),
    ROLLBACK_FINISHED("rollback.finished");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Kind fromWire(String s) throws Malformed {
      for (Kind k : values()) {
        if (k.wire.equals(s)) {
          return k;
        }
      }
      throw new Malformed("kind '" + clip(s) + "' is not one of verdict, breach.opened, breach.resolved, rollback.finished");
    }
  }

  /** The bytes are not a canonical evidence entry; the message says what is wrong. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    public Malformed(String message) {
      super(message);
    }
  }

  public Entry {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative");
    }
    time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(monitor, "monitor");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(kind, "kind");
    envelope = envelope == null ? null : envelope.clone();
  }

  @Override
  public byte[] envelope() {
    return envelope == null ? null : envelope.clone();
  }

  /** This entry at position {@code i} of the log. */
  public Entry withIndex(long i) {
    return new Entry(i, time, monitor, service, environment, kind, verdict, detail, nonce, envelope, breachId);
  }

  /** The canonical compact JSON of evidence-v1 section 1 (UTF-8). */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (envelope == null ? 0 : envelope.length * 4 / 3));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("index", index);
      g.writeStringField("time", TIME.format(time));
      g.writeStringField("monitor", monitor);
      g.writeStringField("service", service);
      g.writeStringField("environment", environment);
      g.writeStringField("kind", kind.wire());
      g.writeStringField("verdict", verdict);
      g.writeStringField("detail", detail);
      g.writeStringField("nonce", nonce);
      g.writeStringField("envelope", envelope == null ? null : Base64.getEncoder().encodeToString(envelope));
      g.writeStringField("breachId", breachId);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Parses canonical entry bytes; anything else (other key order, spacing, escapes, types) is {@link Malformed}. */
  public static Entry parse(byte[] bytes) throws Malformed {
    String[] v = new String[KEYS.size()];
    long index;
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
      expect(p.nextToken() == JsonToken.FIELD_NAME && "index".equals(p.currentName()), "the first key is not index");
      expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT, "index is not an integer");
      index = p.getLongValue();
      for (int i = 1; i < KEYS.size(); i++) {
        expect(p.nextToken() == JsonToken.FIELD_NAME && KEYS.get(i).equals(p.currentName()),
            "key " + (i + 1) + " is not " + KEYS.get(i));
        JsonToken t = p.nextToken();
        expect(t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL, KEYS.get(i) + " is not a string or null");
        v[i] = t == JsonToken.VALUE_NULL ? null : p.getText();
      }
      expect(p.nextToken() == JsonToken.END_OBJECT, "more keys than the 11 of evidence-v1");
      expect(p.nextToken() == null, "bytes after the entry");
    } catch (IOException e) {
      throw new Malformed("not JSON: " + firstLine(e.getMessage()));
    } catch (RuntimeException e) {
      throw new Malformed("unreadable: " + e.getClass().getSimpleName());
    }
    for (int i = 1; i <= 5; i++) {
      expect(v[i] != null, KEYS.get(i) + " is null");
    }
    Instant time;
    try {
      time = Instant.from(TIME.parse(v[1]));
    } catch (DateTimeParseException e) {
      throw new Malformed("time '" + clip(v[1]) + "' is not yyyy-MM-ddTHH:mm:ss.SSSZ");
    }
    byte[] envelope;
    try {
      envelope = v[9] == null ? null : Base64.getDecoder().decode(v[9]);
    } catch (IllegalArgumentException e) {
      throw new Malformed("envelope is not standard base64");
    }
    Entry e;
    try {
      e = new Entry(index, time, v[2], v[3], v[4], Kind.fromWire(v[5]), v[6], v[7], v[8], envelope, v[10]);
    } catch (IllegalArgumentException ex) {
      throw new Malformed(ex.getMessage());
    }
    expect(Arrays.equals(e.toJson(), bytes), "not in the canonical form (spacing, escapes or number format)");
    return e;
  }

  /** The {@code time} of canonical entry bytes without parsing the rest (retention); the epoch when unreadable. */
  static Instant peekTime(byte[] bytes) {
    int from = -1;
    for (int i = 9; i + 8 < bytes.length && i < 40; i++) {
      if (bytes[i] == '"' && bytes[i + 1] == 't' && bytes[i + 5] == '"' && bytes[i + 6] == ':' && bytes[i + 7] == '"') {
        from = i + 8;
        break;
      }
    }
    if (from < 0 || from + 24 > bytes.length) {
      return Instant.EPOCH;
    }
    try {
      return Instant.from(TIME.parse(new String(bytes, from, 24, java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** The {@code index} of canonical entry bytes without parsing the rest, or -1 when it does not start as an entry. */
  public static long peekIndex(byte[] bytes) {
    final int start = 9; // {"index":
    if (bytes.length < start + 2 || bytes[0] != '{' || bytes[1] != '"' || bytes[2] != 'i' || bytes[7] != '"'
        || bytes[8] != ':') {
      return -1;
    }
    long n = 0;
    int i = start;
    for (; i < bytes.length && i < start + 19 && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
      n = n * 10 + (bytes[i] - '0');
    }
    return i == start || i >= bytes.length || bytes[i] != ',' ? -1 : n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e && index == e.index && time.equals(e.time) && monitor.equals(e.monitor)
        && service.equals(e.service) && environment.equals(e.environment) && kind == e.kind
        && Objects.equals(verdict, e.verdict) && Objects.equals(detail, e.detail) && Objects.equals(nonce, e.nonce)
        && Arrays.equals(envelope, e.envelope) && Objects.equals(breachId, e.breachId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, time, service, environment, kind, verdict) * 31 + Arrays.hashCode(envelope);
  }

  @Override
  public String toString() {
    return "Entry[" + index + " " + TIME.format(time) + " " + service + "/" + environment + " " + kind.wire()
        + (verdict == null ? "" : " " + verdict) + "]";
  }

  private static void expect(boolean ok, String what) throws Malformed {
    if (!ok) {
      throw new Malformed(what);
    }
  }

  static String clip(String s) {
    return s == null ? "null" : s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

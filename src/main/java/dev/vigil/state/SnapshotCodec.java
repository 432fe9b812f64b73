package dev.vigil.state;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.Observation;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import dev.vigil.score.TargetMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serialized form of a {@link TargetSnapshot}, version 1: compact, exact (times to the
 * nanosecond, doubles bit for bit, so a restored scorer gives the same scores), and versioned. The
 * first byte is the format version; a reader refuses any version it does not know with a {@link
 * StateFormatException} naming it, and never guesses.
 *
 * <pre>
 * record    = version:u8(1) kind:u8 target ...
 * kind      = 0 snapshot | 1 tombstone (the local log's "dropped"; Kafka uses a null value)
 * target    = service:str environment:str
 * snapshot  = target savedAt:time flags:u8 [lastSequence:zz] window counts breaches
 * tombstone = target droppedAt:time
 * window    = n:var (first: at:time, then: at - previous at in ns:var) verdict:u8 bits:u8 probeNanos:var
 *             [p95LatencyMs:f64] [requestsPerSecond:f64] [errorRate:f64]
 *   bits    = 0 signed, 1 responded, 2-3 attribution (0 target, 1 monitor, 2 partition),
 *             4 slo present, 5 p95 present, 6 rps present, 7 error rate present
 * counts    = n:var (rule:str count:var)*
 * breaches  = n:var (breachId:str rule:str severity:u8 verdict:u8 observed:str expected:str
 *             complianceScore:f64 windowSeconds:var consecutiveFailures:var openedAt:time)*
 * time      = epochSecond:zz nano:var
 * str       = length:var UTF-8 bytes;  var = unsigned LEB128;  zz = zigzag LEB128;  f64 = IEEE 754 big-endian
 * flags     = bit 0: lastSequence present
 * </pre>
 *
 * Verdict and severity codes are fixed by this class (never enum ordinals), so reordering an enum
 * cannot change what a stored byte means. The observations' {@code detail} and {@code
 * observedHash} are not kept (no rule reads them). Stateless and thread-safe.
 */
public final class SnapshotCodec {
  /** The format version this class writes. */
  public static final int VERSION = 1;
  static final int KIND_SNAPSHOT = 0;
  static final int KIND_TOMBSTONE = 1;
  /** Verdict codes of version 1; index = code - 1. */
  private static final List<Verdict> VERDICTS = List.of(Verdict.UNREACHABLE, Verdict.TIMEOUT, Verdict.TLS_ERROR,
      Verdict.HTTP_ERROR, Verdict.RESPONSE_TOO_LARGE, Verdict.MALFORMED_ENVELOPE, Verdict.UNKNOWN_KEY,
      Verdict.KEY_NOT_VALID, Verdict.SIGNATURE_INVALID, Verdict.MALFORMED_STATEMENT, Verdict.SUBJECT_MISMATCH,
      Verdict.NONCE_MISMATCH, Verdict.STALE, Verdict.HASH_MISMATCH, Verdict.COMPLIANCE_INACTIVE, Verdict.UNSIGNED,
      Verdict.COMPLIANT);
  private static final List<Severity> SEVERITIES = List.of(Severity.CRITICAL, Severity.HIGH, Severity.WARNING);
  private static final TargetMemory.Attribution[] ATTRIBUTIONS = TargetMemory.Attribution.values();

  /** A decoded record: a snapshot, or the tombstone of a dropped target. */
  public sealed interface Decoded permits Saved, Dropped {
    TargetId target();
  }

  /** A snapshot record. */
  public record Saved(TargetSnapshot snapshot) implements Decoded {
    @Override
    public TargetId target() {
      return snapshot.target();
    }
  }

  /** A tombstone record: {@code target} was dropped at {@code at}. */
  public record Dropped(TargetId target, Instant at) implements Decoded {}

  private SnapshotCodec() {}

  /** The bytes of {@code s}. */
  public static byte[] encode(TargetSnapshot s) {
    ByteWriter w = new ByteWriter();
    w.u8(VERSION).u8(KIND_SNAPSHOT);
    target(w, s.target());
    time(w, s.savedAt());
    w.u8(s.lastSequence() == null ? 0 : 1);
    if (s.lastSequence() != null) {
      w.zigzag(s.lastSequence());
    }
    TargetMemory m = s.memory();
    w.var(m.window().size());
    Instant previous = null;
    for (TargetMemory.Entry e : m.window()) {
      Observation o = e.observation();
      if (previous == null) {
        time(w, o.at());
      } else {
        w.var(Duration.between(previous, o.at()).toNanos());
      }
      previous = o.at();
      w.u8(verdictCode(o.verdict()));
      Statement.Slo slo = o.slo();
      int bits = (o.signed() ? 1 : 0) | (o.responded() ? 2 : 0) | e.attribution().ordinal() << 2;
      if (slo != null) {
        bits |= 1 << 4 | (slo.p95LatencyMs() != null ? 1 << 5 : 0) | (slo.requestsPerSecond() != null ? 1 << 6 : 0)
            | (slo.errorRate() != null ? 1 << 7 : 0);
      }
      w.u8(bits);
      w.var(Math.max(0, o.probeDuration().toNanos()));
      if (slo != null) {
        optional(w, slo.p95LatencyMs());
        optional(w, slo.requestsPerSecond());
        optional(w, slo.errorRate());
      }
    }
    w.var(m.consecutiveFailures().size());
    m.consecutiveFailures().forEach((rule, count) -> w.str(rule).var(count));
    w.var(m.openBreaches().size());
    for (Breach b : m.openBreaches()) {
      w.str(b.breachId()).str(b.rule()).u8(SEVERITIES.indexOf(b.severity()) + 1).u8(verdictCode(b.verdict()))
          .str(b.observed()).str(b.expected()).f64(b.complianceScore()).var(b.windowSeconds())
          .var(b.consecutiveFailures());
      time(w, b.openedAt());
    }
    return w.toByteArray();
  }

  /** The bytes of the tombstone of {@code target}, dropped at {@code at} (the local log's form of a drop). */
  public static byte[] encodeTombstone(TargetId target, Instant at) {
    ByteWriter w = new ByteWriter();
    w.u8(VERSION).u8(KIND_TOMBSTONE);
    target(w, target);
    time(w, at);
    return w.toByteArray();
  }

  /** Decodes a snapshot; a tombstone here is a format error. */
  public static TargetSnapshot decodeSnapshot(byte[] bytes) throws StateFormatException {
    if (decode(bytes) instanceof Saved saved) {
      return saved.snapshot();
    }
    throw new StateFormatException("a tombstone where a snapshot was expected");
  }

  /**
   * Decodes {@code bytes}.
   *
   * @throws StateFormatException for an unknown version (named), an unknown kind, code or
   *     attribution, a truncated record, trailing bytes, or values no snapshot can hold
   */
  public static Decoded decode(byte[] bytes) throws StateFormatException {
    ByteReader r = new ByteReader(bytes);
    int version = r.u8();
    if (version != VERSION) {
      throw new StateFormatException("state record format version " + version + " is unknown to this Vigil (it reads"
          + " version " + VERSION + "); refusing to guess: run the Vigil that wrote it, or remove the state");
    }
    int kind = r.u8();
    TargetId target = new TargetId(r.str(), r.str());
    Instant at = time(r);
    Decoded out;
    if (kind == KIND_TOMBSTONE) {
      out = new Dropped(target, at);
    } else if (kind == KIND_SNAPSHOT) {
      out = new Saved(snapshot(r, target, at));
    } else {
      throw new StateFormatException("unknown state record kind " + kind);
    }
    if (r.remaining() > 0) {
      throw new StateFormatException(r.remaining() + " unexpected byte(s) after the record");
    }
    return out;
  }

  private static TargetSnapshot snapshot(ByteReader r, TargetId target, Instant savedAt) throws StateFormatException {
    int flags = r.u8();
    if ((flags & ~1) != 0) {
      throw new StateFormatException("unknown snapshot flags " + flags);
    }
    Long sequence = (flags & 1) != 0 ? r.zigzag() : null;
    int n = r.count();
    List<TargetMemory.Entry> window = new ArrayList<>(n);
    Instant previous = null;
    for (int i = 0; i < n; i++) {
      Instant at = previous == null ? time(r) : previous.plusNanos(r.var());
      previous = at;
      Verdict verdict = verdict(r.u8());
      int bits = r.u8();
      int attribution = bits >> 2 & 3;
      if (attribution >= ATTRIBUTIONS.length) {
        throw new StateFormatException("unknown attribution " + attribution);
      }
      if ((bits & 0xF0) != 0 && (bits & 0x10) == 0) {
        throw new StateFormatException("SLO fields without an SLO report");
      }
      Duration probe = Duration.ofNanos(r.var());
      Statement.Slo slo = (bits & 0x10) == 0 ? null
          : new Statement.Slo(optional(r, bits, 0x20), optional(r, bits, 0x40), optional(r, bits, 0x80));
      window.add(new TargetMemory.Entry(new Observation(target, at, verdict, "", (bits & 1) != 0, (bits & 2) != 0,
          probe, slo, null), ATTRIBUTIONS[attribution]));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    int c = r.count();
    for (int i = 0; i < c; i++) {
      counts.put(r.str(), (int) Math.min(Integer.MAX_VALUE, r.var()));
    }
    List<Breach> breaches = new ArrayList<>();
    int b = r.count();
    for (int i = 0; i < b; i++) {
      String id = r.str();
      String rule = r.str();
      int sev = r.u8();
      if (sev < 1 || sev > SEVERITIES.size()) {
        throw new StateFormatException("unknown severity code " + sev);
      }
      Verdict verdict = verdict(r.u8());
      String observed = r.str();
      String expected = r.str();
      double score = r.f64();
      long windowSeconds = r.var();
      int consecutive = (int) Math.min(Integer.MAX_VALUE, r.var());
      breaches.add(new Breach(id, target, rule, SEVERITIES.get(sev - 1), verdict, observed, expected, score,
          windowSeconds, consecutive, time(r), null));
    }
    try {
      return new TargetSnapshot(target, savedAt, sequence, new TargetMemory(window, counts, breaches));
    } catch (IllegalArgumentException e) {
      throw new StateFormatException("inconsistent snapshot of " + target + ": " + e.getMessage());
    }
  }

  private static void target(ByteWriter w, TargetId t) {
    w.str(t.service()).str(t.environment());
  }

  private static void time(ByteWriter w, Instant t) {
    w.zigzag(t.getEpochSecond()).var(t.getNano());
  }

  private static Instant time(ByteReader r) throws StateFormatException {
    long seconds = r.zigzag();
    long nanos = r.var();
    if (nanos > 999_999_999L || seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
      throw new StateFormatException("time out of range: " + seconds + "s " + nanos + "ns");
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private static void optional(ByteWriter w, Double d) {
    if (d != null) {
      w.f64(d);
    }
  }

  private static Double optional(ByteReader r, int bits, int mask) throws StateFormatException {
    return (bits & mask) == 0 ? null : r.f64();
  }

  private static int verdictCode(Verdict v) {
    int i = VERDICTS.indexOf(v);
    if (i < 0) {
      throw new IllegalStateException("verdict " + v + " has no code in state format " + VERSION);
    }
    return i + 1;
  }

  private static Verdict verdict(int code) throws StateFormatException {
    if (code < 1 || code > VERDICTS.size()) {
      throw new StateFormatException("unknown verdict code " + code);
    }
    return VERDICTS.get(code - 1);
  }
}

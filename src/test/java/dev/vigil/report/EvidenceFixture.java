package dev.vigil.report;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.SignedCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Evidence built in code for the report tests: entries with envelopes really signed by a service key
 * (attest.Signer), appended to a real {@link EvidenceLog}, and checkpoints signed with a monitor key.
 */
final class EvidenceFixture {
  static final SecureRandom RANDOM = new SecureRandom();
  static final SigningKey SERVICE_KEY = Keys.generate(Scheme.ED25519, RANDOM);
  static final SigningKey MONITOR_KEY = Keys.generate(Scheme.ED25519, RANDOM);
  static final String MONITOR = "monitor-0";
  static final String ORIGIN = Checkpoint.ORIGIN_PREFIX + MONITOR;
  static final String GOOD_HASH = "cdd01ef066bc6cf2";

  final List<Entry> entries = new ArrayList<>();

  static Instant at(String t) {
    return Instant.parse(t);
  }

  /** A signed envelope of a statement with this hash and SLO report. */
  static byte[] envelope(String service, String env, String hash, Instant issuedAt, Double p95, Double rps, Double err) {
    Statement st = new Statement(service, null, service, env, hash, Statement.ACTIVE, "nonce", issuedAt, "2.0.0",
        1L, p95 == null && rps == null && err == null ? null : new Statement.Slo(p95, rps, err));
    return new Signer(SERVICE_KEY).sign(st).toJson();
  }

  EvidenceFixture verdict(String service, String env, String time, String verdict, String hash, Double p95, Double rps,
      Double err) {
    Instant t = at(time);
    byte[] envelope = hash == null ? null : envelope(service, env, hash, t, p95, rps, err);
    entries.add(new Entry(0, t, MONITOR, service, env, Entry.Kind.VERDICT, verdict, verdict + " at " + time, "nonce",
        envelope, null));
    return this;
  }

  EvidenceFixture event(String service, String env, String time, Entry.Kind kind, String verdict, String breachId,
      String detail) {
    entries.add(new Entry(0, at(time), MONITOR, service, env, kind, verdict, detail, null, null, breachId));
    return this;
  }

  /** Appends every entry to a log in {@code dir} and returns the signed checkpoint note of all of them. */
  byte[] write(Path dir) throws IOException {
    try (EvidenceLog log = EvidenceLog.open(dir, MONITOR, Duration.ofSeconds(1), Clock.systemUTC())) {
      for (Entry e : entries) {
        log.append(e);
      }
      return sign(log.checkpoint(), MONITOR_KEY);
    }
  }

  static byte[] sign(Checkpoint cp, SigningKey key) {
    return SignedCheckpoint.sign(cp, NoteKey.signer(ORIGIN, key)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The reference scenario of the tests (hand-computed in ReportBuilderTest): svc-a/green with a
   * hash-mismatch breach, a rollback, a gap and an outage; svc-b/blue compliant throughout.
   */
  static EvidenceFixture reference() {
    String a = "svc-a";
    String b = "svc-b";
    return new EvidenceFixture()
        .verdict(a, "green", "2026-11-25T23:30:00Z", "compliant", GOOD_HASH, 100.0, 600.0, 0.001)
        .verdict(b, "blue", "2026-11-26T00:00:00Z", "compliant", GOOD_HASH, 1000.0, 500.0, 0.0)
        .verdict(a, "green", "2026-11-26T01:00:00Z", "compliant", GOOD_HASH, 200.0, 700.0, 0.002)
        .verdict(a, "green", "2026-11-26T02:00:00Z", "hash_mismatch", "deadbeefdeadbeef", 300.0, 500.0, 0.01)
        .event(a, "green", "2026-11-26T02:00:00Z", Entry.Kind.BREACH_OPENED, "hash_mismatch",
            "b-svc-a-green-hash_integrity-20261126T020000Z", "hash deadbeefdeadbeef")
        .verdict(b, "blue", "2026-11-26T02:00:00Z", "compliant", GOOD_HASH, 1000.0, 500.0, 0.0)
        .event(a, "green", "2026-11-26T02:30:00Z", Entry.Kind.ROLLBACK_FINISHED, "succeeded",
            "b-svc-a-green-hash_integrity-20261126T020000Z", "rolled back to v1")
        .verdict(a, "green", "2026-11-26T03:00:00Z", "compliant", GOOD_HASH, 150.0, 650.0, 0.0)
        .event(a, "green", "2026-11-26T03:00:00Z", Entry.Kind.BREACH_RESOLVED, "compliant",
            "b-svc-a-green-hash_integrity-20261126T020000Z", null)
        .verdict(b, "blue", "2026-11-26T04:00:00Z", "compliant", GOOD_HASH, 1000.0, 500.0, 0.0)
        .verdict(a, "green", "2026-11-26T05:00:00Z", "compliant", GOOD_HASH, 120.0, 800.0, 0.004)
        .verdict(b, "blue", "2026-11-26T06:00:00Z", "compliant", GOOD_HASH, 1000.0, 500.0, 0.0)
        .verdict(b, "blue", "2026-11-26T08:00:00Z", "compliant", GOOD_HASH, 1000.0, 500.0, 0.0)
        .verdict(a, "green", "2026-11-26T09:00:00Z", "unreachable", null, null, null, null);
  }
}

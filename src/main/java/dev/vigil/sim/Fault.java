package dev.vigil.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A fault one simulated instance can be told to show, with a stable lowercase wire name used by
 * the admin API ({@code {"fault":"tampered_hash"}}) and in test reports.
 *
 * <p>Transport faults ({@link #SLOW}, {@link #HTTP_500}, {@link #CONNECTION_REFUSED}) and the body
 * faults {@link #OVERSIZED} and {@link #GARBAGE} affect every endpoint of the instance, the legacy
 * {@code /health} endpoints included; the other faults change only what the attestation says
 * (and, for {@link #TAMPERED_HASH} and {@link #COMPLIANCE_INACTIVE}, what the legacy endpoints
 * report). Immutable.
 */
public enum Fault {
  /** No fault: a fresh, correctly signed, compliant attestation. */
  NONE,
  /** Correctly signed, but the constitutional hash is {@code deadbeefdeadbeef} (legacy /health too). */
  TAMPERED_HASH,
  /** A genuine statement whose signature bytes are corrupted. */
  BAD_SIGNATURE,
  /** Signed with a key of its own that no monitor trusts. */
  UNKNOWN_KEY,
  /** The first genuine envelope the instance ever produced, with its old nonce and time. */
  REPLAYED,
  /** {@code issuedAt} is ten minutes in the past. */
  STALE,
  /** The statement echoes a nonce other than the one sent. */
  WRONG_NONCE,
  /** {@code complianceStatus} is {@code inactive} (legacy /health/constitutional too). */
  COMPLIANCE_INACTIVE,
  /** Every response is delayed by the fault's delay (a timer: no thread ever blocks). */
  SLOW,
  /** Every request gets HTTP 500. */
  HTTP_500,
  /**
   * The instance stops accepting connections: its own server is closed (and re-opened on the same
   * port when the fault is cleared); in generated mode, whose ports are shared, each connection is
   * closed without a response instead.
   */
  CONNECTION_REFUSED,
  /** A 200 whose body (a signed envelope padded with an extra field) is {@value #OVERSIZED_BYTES} bytes long. */
  OVERSIZED,
  /** A 200 whose body is not JSON at all. */
  GARBAGE,
  /** The instance predates signing: {@code /attestation} is 404, the legacy endpoints still answer. */
  LEGACY,
  /** Compliant, but the signed SLO report says p95 latency is 5000 ms. */
  HIGH_LATENCY_REPORT,
  /** Compliant, but the signed SLO report says the error rate is 0.2. */
  HIGH_ERROR_RATE,
  /** Compliant, but the signed SLO report says 10 requests per second. */
  LOW_THROUGHPUT,
  /**
   * Compliant with a normal signed SLO report, but the instance's real traffic (its Prometheus
   * metrics) is slower by the fault's delay: what only a measurement outside the service shows.
   */
  SLOW_TRAFFIC;

  /** Body size of {@link #OVERSIZED}: 100 KiB, well over the monitor's default 64 KiB cap. */
  public static final int OVERSIZED_BYTES = 100 * 1024;

  private static final List<String> WIRE_NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (Fault f : values()) {
      names.add(f.wireName());
    }
    WIRE_NAMES = Collections.unmodifiableList(names);
  }

  /** Whether the fault takes a delay ({@link #SLOW}, {@link #SLOW_TRAFFIC}). */
  public boolean delayed() {
    return this == SLOW || this == SLOW_TRAFFIC;
  }

  /** The lowercase wire name, e.g. {@code tampered_hash}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every accepted wire name, in declaration order. */
  public static List<String> wireNames() {
    return WIRE_NAMES;
  }

  /** Parses a wire name (exact, lowercase); the error lists the accepted names. */
  public static Fault fromWireName(String name) {
    for (Fault f : values()) {
      if (f.wireName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + name + "'; accepted: " + String.join(", ", WIRE_NAMES));
  }

  @Override
  public String toString() {
    return wireName();
  }
}

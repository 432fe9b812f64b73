package dev.vigil.sim;

import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.score.TargetId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One simulated service instance (a service in one environment): its key, its counters, the fault
 * it shows, and where it is served. Thread-safe: request handlers on any event loop and callers of
 * {@link FleetSimulator#setFault} on any thread share it through volatile and atomic fields.
 */
final class Instance {
  private final TargetId id;
  private final SigningKey key;
  private final Signer signer;
  private final String prefix;
  private final double baseLatencyMs;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicReference<byte[]> firstGenuine = new AtomicReference<>();
  private volatile FaultSetting fault = FaultSetting.NONE;
  private volatile Listener listener;

  /**
   * @param prefix the path prefix of its endpoints: empty on a dedicated port, {@code
   *     /s/<service>/<environment>} on a shared one
   */
  Instance(TargetId id, SigningKey key, String prefix) {
    this.id = id;
    this.key = key;
    this.signer = new Signer(key);
    this.prefix = prefix;
    // A stable per-instance latency between 120 and 200 ms, so instances differ but do not wander.
    this.baseLatencyMs = 120 + Math.floorMod(id.toString().hashCode(), 81);
  }

  TargetId id() {
    return id;
  }

  SigningKey key() {
    return key;
  }

  Signer signer() {
    return signer;
  }

  String prefix() {
    return prefix;
  }

  double baseLatencyMs() {
    return baseLatencyMs;
  }

  FaultSetting fault() {
    return fault;
  }

  void fault(FaultSetting value) {
    fault = value;
  }

  Listener listener() {
    return listener;
  }

  void listener(Listener value) {
    listener = value;
  }

  /** The next statement sequence number: 1, 2, 3, ... per instance. */
  long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** Counts one HTTP request that reached this instance. */
  void countRequest() {
    requests.incrementAndGet();
  }

  long requests() {
    return requests.get();
  }

  /** The first genuine envelope produced, or null when none has been produced yet. */
  byte[] firstGenuine() {
    return firstGenuine.get();
  }

  /** Keeps {@code envelope} as the first genuine one unless one is kept already; returns the kept one. */
  byte[] rememberFirstGenuine(byte[] envelope) {
    firstGenuine.compareAndSet(null, envelope);
    return firstGenuine.get();
  }
}

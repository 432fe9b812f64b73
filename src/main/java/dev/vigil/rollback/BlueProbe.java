package dev.vigil.rollback;

import dev.vigil.attest.Verification;
import io.vertx.core.Future;

/**
 * One attestation poll of a service's blue side, verified ({@link PollerBlueProbe} uses the
 * monitor's poller and verifier). Called from the engine's Vert.x context; the future completes
 * on it and never fails for a transport problem (that is a verdict).
 */
@FunctionalInterface
public interface BlueProbe {
  Future<Verification> probe(String service);
}

package dev.vigil.config;

import dev.vigil.score.TargetId;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One polled service instance, with every default already applied. Immutable.
 *
 * @param url base URL of the service, e.g. {@code http://127.0.0.1:8002}
 * @param attestationPath path of the attestation endpoint (default {@code /attestation})
 * @param keys the keys trusted for this target; each is scoped to this target's service
 * @param threshold signatures required from distinct trusted keys
 * @param tls TLS settings, or null for the JVM defaults
 */
public record TargetConfig(
    String service,
    String environment,
    URI url,
    String attestationPath,
    Mode mode,
    Duration interval,
    Duration timeout,
    int retries,
    List<KeyConfig> keys,
    int threshold,
    TlsConfig tls) {

  /** How the target is checked. */
  public enum Mode {
    /** Signed attestation per attestation-v1 sections 1-5. */
    ATTESTATION,
    /** The unsigned ACGS {@code /health} endpoints of attestation-v1 section 6. */
    LEGACY_HEALTH
  }

  public TargetConfig {
    keys = List.copyOf(keys);
  }

  public TargetId id() {
    return new TargetId(service, environment);
  }
}

package dev.vigil.config;

import dev.vigil.attest.TrustStore;
import java.util.List;

/**
 * The rollback controller process ({@code controller} in the YAML; {@code vigil rollback-controller}).
 * It signs its {@code rollback.finished} events with {@code events.signingKey}: one event key per
 * Vigil installation, trusted by whoever reads the rollbacks topic. Immutable.
 *
 * @param trustedMonitorKeys public keys of the monitors whose breach events the controller acts on
 *     (not scoped to a service: a monitor speaks for the whole fleet); empty: the controller
 *     refuses to start
 * @param consumerGroup the Kafka consumer group; instances with the same group share the partitions
 * @param host listen address of the controller's /metrics and health endpoints
 * @param port its port (0: any free port)
 */
public record ControllerConfig(List<KeyConfig> trustedMonitorKeys, String consumerGroup, String host, int port) {
  public static final String DEFAULT_CONSUMER_GROUP = "vigil-rollback-controller";
  public static final int DEFAULT_PORT = 9471;

  public ControllerConfig {
    trustedMonitorKeys = List.copyOf(trustedMonitorKeys);
  }

  public static ControllerConfig defaults() {
    return new ControllerConfig(List.of(), DEFAULT_CONSUMER_GROUP, ServerSection.DEFAULT_HOST, DEFAULT_PORT);
  }

  /** The trusted monitor keys as a trust store. */
  public TrustStore trustStore() {
    return TrustStore.of(trustedMonitorKeys.stream().map(KeyConfig::key).toList());
  }
}

package dev.vigil.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code kafka}: where breach events go. {@code bootstrapServers} null means no Kafka: the monitor
 * logs events instead. {@code properties} are extra client settings passed through as they are
 * (security: {@code security.protocol}, {@code ssl.*}, {@code sasl.*}; tuning such as
 * {@code session.timeout.ms} or {@code linger.ms}); the delivery settings that the outbox and the
 * controller rely on cannot be overridden. Its {@link #toString()} hides their values. Immutable.
 * {@code deadLetterTopic} receives the breaches records the rollback controller could never finish.
 */
public record KafkaConfig(
    String bootstrapServers,
    String breachesTopic,
    String rollbacksTopic,
    String deadLetterTopic,
    String clientId,
    Duration deliveryTimeout,
    Map<String, String> properties) {

  public static final String DEFAULT_BREACHES_TOPIC = "constitutional.breaches";
  public static final String DEFAULT_ROLLBACKS_TOPIC = "constitutional.rollbacks";
  public static final String DEFAULT_DEAD_LETTER_TOPIC = "constitutional.breaches.dlq";
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  public KafkaConfig {
    properties = Map.copyOf(properties);
  }

  /** As the canonical constructor, with the default dead-letter topic. */
  public KafkaConfig(String bootstrapServers, String breachesTopic, String rollbacksTopic, String clientId,
      Duration deliveryTimeout, Map<String, String> properties) {
    this(bootstrapServers, breachesTopic, rollbacksTopic, DEFAULT_DEAD_LETTER_TOPIC, clientId, deliveryTimeout,
        properties);
  }

  /** No broker configured: the defaults, events logged only. */
  public static KafkaConfig none(String monitorId) {
    return new KafkaConfig(null, DEFAULT_BREACHES_TOPIC, DEFAULT_ROLLBACKS_TOPIC, DEFAULT_DEAD_LETTER_TOPIC,
        "vigil-" + monitorId,
        DEFAULT_DELIVERY_TIMEOUT, Map.of());
  }

  public boolean enabled() {
    return bootstrapServers != null;
  }

  @Override
  public String toString() {
    return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", breachesTopic=" + breachesTopic + ", rollbacksTopic="
        + rollbacksTopic + ", deadLetterTopic=" + deadLetterTopic + ", clientId=" + clientId + ", deliveryTimeout=" + deliveryTimeout + ", properties="
        + properties.keySet() + "]";
  }
}

package dev.vigil.kafka;

/** A real Kafka broker handed to an integration test by {@link KafkaBrokerExtension}. */
public interface KafkaBroker {
  String bootstrapServers();

  /** Makes the broker unreachable (data kept). */
  void stop();

  /** Brings it back at the same address. */
  void start();

  /** Which kind it is, for logs: "embedded" or "testcontainers". */
  String kind();
}

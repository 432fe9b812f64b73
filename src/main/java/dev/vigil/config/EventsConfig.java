package dev.vigil.config;

import dev.vigil.attest.SigningKey;
import java.nio.file.Path;

/**
 * {@code events}: the durable outbox and the key the monitor signs its events with.
 *
 * @param outboxDir the outbox directory (relative paths resolve against the configuration file)
 * @param outboxCapacity the most events that may wait for Kafka; beyond it new events are refused
 * @param signingKeyFile where {@code signingKey} came from, or null when none is configured
 * @param signingKey the event key (PKCS#8 PEM, read at load), or null; required when Kafka is on
 */
public record EventsConfig(Path outboxDir, int outboxCapacity, String signingKeyFile, SigningKey signingKey) {
  public static final String DEFAULT_OUTBOX_DIR = "vigil-outbox";
  public static final int DEFAULT_OUTBOX_CAPACITY = 10_000;
}

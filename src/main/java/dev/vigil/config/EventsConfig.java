package dev.vigil.config;

import dev.vigil.attest.Keys;
import dev.vigil.attest.SigningKey;
import java.nio.file.Path;
import java.util.List;

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

  private static final List<String> KEYS = List.of("outboxDir", "outboxCapacity", "signingKey");

  /** {@code events}: the outbox directory and capacity, and the monitor's event signing key. */
  static EventsConfig read(Node node, KafkaConfig kafka) {
    Mapping m = Mapping.of(node, KEYS);
    String dir = m.string("outboxDir", EventsConfig.DEFAULT_OUTBOX_DIR);
    m.check("outboxDir", !dir.isBlank(), "must not be empty");
    int capacity = m.integer("outboxCapacity", EventsConfig.DEFAULT_OUTBOX_CAPACITY, 1, 10_000_000);
    String file = m.secret("signingKey", null);
    SigningKey key = null;
    Path path = null;
    if (file != null) {
      path = node.context().resolve(file);
      key = KeyFiles.read(path, m, "signingKey", "private key", Keys::readPrivate);
    } else if (kafka.enabled() && node.isMapping()) {
      m.check("signingKey", false, "required when kafka.bootstrapServers is set: the PKCS#8 PEM private key the "
          + "monitor signs its events with (vigil keygen writes one)");
    } else if (kafka.enabled()) {
      node.error("required when kafka.bootstrapServers is set: a mapping with signingKey, the PKCS#8 PEM private key "
          + "the monitor signs its events with");
    }
    return new EventsConfig(node.context().resolve(dir.isBlank() ? EventsConfig.DEFAULT_OUTBOX_DIR : dir), capacity,
        path == null ? null : path.toString(), key);
  }
}

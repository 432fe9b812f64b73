package dev.vigil.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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

  private static final List<String> KEYS =
      List.of("bootstrapServers", "breachesTopic", "rollbacksTopic", "deadLetterTopic", "clientId",
      "deliveryTimeout", "properties");
  /** Kafka's own rule for topic names. */
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern SECURITY = Pattern.compile("(security\\.protocol|ssl\\..+|sasl\\..+)");
  /**
   * Client tuning that leaves Vigil's guarantees alone. Never acks, enable.idempotence,
   * enable.auto.commit, isolation.level, the (de)serializers, group.id or bootstrap.servers.
   */
  static final List<String> TUNING = List.of("session.timeout.ms", "heartbeat.interval.ms",
      "max.poll.interval.ms", "request.timeout.ms", "fetch.min.bytes", "fetch.max.wait.ms", "linger.ms",
      "batch.size", "compression.type");
  private static final String REFUSED = "only security settings pass through (security.protocol, ssl.*, sasl.*) "
      + "and these tuning keys: " + String.join(", ", TUNING) + "; the delivery settings are fixed (acks=all, "
      + "idempotence on, no auto-commit, read_committed)";

  /** {@code kafka}: the broker, the topics, the client id and pass-through security and tuning settings. */
  static KafkaConfig read(Node node, String monitorId) {
    Mapping m = Mapping.of(node, KEYS);
    KafkaConfig none = KafkaConfig.none(monitorId);
    String bootstrap = m.string("bootstrapServers", null);
    if (bootstrap != null && bootstrap.isBlank()) {
      bootstrap = null; // e.g. ${VIGIL_KAFKA:-}: Kafka off
    }
    m.check("bootstrapServers", bootstrap == null || bootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*"),
        "must be host:port[,host:port...]");
    String breaches = topic(m, "breachesTopic", none.breachesTopic());
    String rollbacks = topic(m, "rollbacksTopic", none.rollbacksTopic());
    String deadLetters = topic(m, "deadLetterTopic", none.deadLetterTopic());
    if (m.ok("breachesTopic", "deadLetterTopic")) {
      m.check("deadLetterTopic", !deadLetters.equals(breaches), "must differ from breachesTopic (" + breaches + ")");
    }
    String clientId = m.string("clientId", none.clientId());
    m.check("clientId", !clientId.isBlank(), "must not be empty");
    Duration timeout = m.duration("deliveryTimeout", none.deliveryTimeout());
    m.check("deliveryTimeout", timeout.compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s");
    Map<String, String> props = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : m.node("properties").entries("a mapping of Kafka client settings").entrySet()) {
      String value = e.getValue().string();
      if (!SECURITY.matcher(e.getKey()).matches() && !TUNING.contains(e.getKey())) {
        e.getValue().error(REFUSED);
      } else if (value != null && tuningValue(e.getKey(), value, e.getValue())) {
        props.put(e.getKey(), value);
      }
    }
    if (props.containsKey("linger.ms") && m.ok("deliveryTimeout")) {
      if (Long.parseLong(props.get("linger.ms")) > timeout.toMillis() / 2) {
        m.node("properties").child("linger.ms").error(
            "must be at most half of kafka.deliveryTimeout (" + timeout.toMillis() / 2 + ")");
      }
    }
    return new KafkaConfig(bootstrap, breaches, rollbacks, deadLetters, clientId, timeout, props);
  }

  private static boolean tuningValue(String key, String value, Node node) {
    if (key.equals("compression.type")) {
      if (!value.matches("none|gzip|snappy|lz4|zstd")) {
        node.error("must be one of none, gzip, snappy, lz4, zstd");
        return false;
      }
    } else if (TUNING.contains(key) && !value.matches("\\d{1,9}")) {
      node.error("must be a whole number from 0 to 999999999");
      return false;
    }
    return true;
  }

  private static String topic(Mapping m, String key, String def) {
    String t = m.string(key, def);
    m.check(key, TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
        "not a valid Kafka topic name: letters, digits, '.', '_' and '-', at most 249");
    return t;
  }
}

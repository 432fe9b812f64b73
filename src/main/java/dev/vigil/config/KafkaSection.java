package dev.vigil.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code kafka}: the broker, the topics, the client id and pass-through security settings. */
final class KafkaSection {
  private static final List<String> KEYS =
      List.of("bootstrapServers", "breachesTopic", "rollbacksTopic", "deadLetterTopic", "clientId",
      "deliveryTimeout", "properties");
  /** Kafka's own rule for topic names. */
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern PASS_THROUGH = Pattern.compile("(security\\.protocol|ssl\\..+|sasl\\..+)");

  private KafkaSection() {}

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
      if (!PASS_THROUGH.matcher(e.getKey()).matches()) {
        e.getValue().error("only security settings pass through (security.protocol, ssl.*, sasl.*); the delivery "
            + "settings are fixed (acks=all, idempotence on)");
      } else if (value != null) {
        props.put(e.getKey(), value);
      }
    }
    return new KafkaConfig(bootstrap, breaches, rollbacks, deadLetters, clientId, timeout, props);
  }

  private static String topic(Mapping m, String key, String def) {
    String t = m.string(key, def);
    m.check(key, TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
        "not a valid Kafka topic name: letters, digits, '.', '_' and '-', at most 249");
    return t;
  }
}

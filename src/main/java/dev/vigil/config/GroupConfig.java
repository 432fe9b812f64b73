package dev.vigil.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code group}: several monitor instances with one configuration sharing the targets. Each joins
 * the Kafka consumer group {@code name} on the topic {@code constitutional.monitor-shards}
 * ({@code shards} partitions) and polls the targets of the shards assigned to it. Needs
 * {@code kafka.bootstrapServers}. {@code sessionTimeout} is how long a dead instance keeps its shards
 * (the broker's {@code group.min.session.timeout.ms}, 6 s by default, is the floor it accepts);
 * {@code heartbeatInterval} how soon a live one learns of a rebalance. Immutable.
 *
 * @param name the consumer group; null without a group (every target is polled by this instance)
 */
public record GroupConfig(String name, int shards, Duration sessionTimeout, Duration heartbeatInterval) {
  public static final int DEFAULT_SHARDS = 64;
  public static final int MAX_SHARDS = 10_000;
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  private static final List<String> KEYS = List.of("name", "shards", "sessionTimeout", "heartbeatInterval");

  /** No group: this instance polls every target. */
  public static GroupConfig none() {
    return new GroupConfig(null, DEFAULT_SHARDS, DEFAULT_SESSION_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL);
  }

  public boolean enabled() {
    return name != null;
  }

  /** {@code group}: absent means no group; present, {@code name} is required and {@code kafka} must be set. */
  static GroupConfig read(Node node, KafkaConfig kafka) {
    Mapping m = Mapping.of(node, KEYS);
    if (node.isAbsent()) {
      return none();
    }
    String name = m.required("name");
    m.check("name", name == null || name.matches("[A-Za-z0-9._-]{1,249}"),
        "use letters, digits, '.', '_' and '-' (a Kafka consumer group id), at most 249");
    int shards = m.integer("shards", DEFAULT_SHARDS, 1, MAX_SHARDS);
    Duration session = m.duration("sessionTimeout", DEFAULT_SESSION_TIMEOUT);
    m.check("sessionTimeout", session.compareTo(Duration.ofSeconds(1)) >= 0 && session.compareTo(Duration.ofMinutes(30)) <= 0,
        "must be from 1s to 30m, got " + Durations.format(session));
    Duration heartbeat = m.duration("heartbeatInterval", DEFAULT_HEARTBEAT_INTERVAL);
    m.check("heartbeatInterval", heartbeat.compareTo(Duration.ofMillis(100)) >= 0,
        "must be at least 100ms, got " + Durations.format(heartbeat));
    if (m.ok("sessionTimeout", "heartbeatInterval")) {
      m.check("heartbeatInterval", heartbeat.multipliedBy(3).compareTo(session) <= 0,
          "must be at most a third of group.sessionTimeout (" + Durations.format(session) + ")");
    }
    if (!kafka.enabled()) {
      node.error("a group needs kafka.bootstrapServers: its members meet in a Kafka consumer group");
    }
    return new GroupConfig(name, shards, session, heartbeat);
  }
}

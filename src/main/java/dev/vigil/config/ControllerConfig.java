package dev.vigil.config;

import dev.vigil.attest.TrustStore;
import java.time.Duration;
import java.util.ArrayList;
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
 * @param maxAttempts attempts at a breaches record that fails for a non-retriable reason before it is
 *     sent to the dead-letter topic and committed (retriable failures, e.g. Kafka unreachable, retry forever)
 * @param web TLS, client certificates, auth and a separate metrics port of its HTTP server ({@link WebConfig})
 * @param stallThreshold {@code /health/ready} answers 503 while a partition has records waiting and has
 *     not advanced for longer than this (keep it above {@code rollback.executionTimeout})
 */
public record ControllerConfig(List<KeyConfig> trustedMonitorKeys, String consumerGroup, String host, int port,
    int maxAttempts, Duration stallThreshold, WebConfig web) {
  public static final String DEFAULT_CONSUMER_GROUP = "vigil-rollback-controller";
  public static final int DEFAULT_PORT = 9471;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofMinutes(5);

  public ControllerConfig {
    trustedMonitorKeys = List.copyOf(trustedMonitorKeys);
    java.util.Objects.requireNonNull(web, "web");
  }

  /** As the canonical constructor, with a plain HTTP server ({@link WebConfig#none()}). */
  public ControllerConfig(List<KeyConfig> trustedMonitorKeys, String consumerGroup, String host, int port,
      int maxAttempts, Duration stallThreshold) {
    this(trustedMonitorKeys, consumerGroup, host, port, maxAttempts, stallThreshold, WebConfig.none());
  }

  public static ControllerConfig defaults() {
    return new ControllerConfig(List.of(), DEFAULT_CONSUMER_GROUP, ServerConfig.DEFAULT_HOST, DEFAULT_PORT,
        DEFAULT_MAX_ATTEMPTS, DEFAULT_STALL_THRESHOLD);
  }

  /**
   * What {@code config} lacks for a controller, each at its YAML path (empty: it can run): a broker,
   * the event signing key, trusted monitor keys. The loader reports these for a document with a
   * {@code controller} section; {@code vigil rollback-controller} also for one without.
   */
  public static List<ConfigError> requirements(VigilConfig config) {
    List<ConfigError> p = new ArrayList<>();
    if (!config.kafka().enabled()) {
      p.add(new ConfigError("kafka.bootstrapServers",
          "required by the rollback controller (it consumes the breaches topic)"));
    }
    if (config.events().signingKey() == null) {
      p.add(new ConfigError("events.signingKey",
          "required by the rollback controller (it signs its rollback.finished events with it)"));
    }
    if (config.controller().trustedMonitorKeys().isEmpty()) {
      p.add(new ConfigError("controller.trustedMonitorKeys", "required by the rollback controller: the public keys "
          + "of the monitors whose breach events it acts on, e.g. [{file: monitor-0.event.pub.pem}]"));
    }
    p.addAll(RolloutConfig.requirements(config));
    return p;
  }

  /** The trusted monitor keys as a trust store. */
  public TrustStore trustStore() {
    return TrustStore.of(trustedMonitorKeys.stream().map(KeyConfig::key).toList());
  }

  private static final List<String> KEYS = List.of("trustedMonitorKeys", "consumerGroup", "host", "port", "maxAttempts",
      "stallThreshold", "tls", "auth", "metricsPort");

  /**
   * {@code controller}: the rollback controller process.
   *
   * <pre>
   * controller:
   *   trustedMonitorKeys: [{file: monitor-0.event.pub.pem}]
   *   consumerGroup: vigil-rollback-controller
   *   host: 0.0.0.0
   *   port: 9471
   *   maxAttempts: 3          # a record failing this often for a non-retriable reason is dead-lettered
   *   stallThreshold: 5m      # /health/ready turns 503 when a partition waits this long without advancing
   * </pre>
   */
  static ControllerConfig read(Node node) {
    ControllerConfig d = ControllerConfig.defaults();
    if (node.isAbsent()) {
      return d;
    }
    Mapping m = Mapping.of(node, KEYS);
    List<KeyConfig> keys = KeyConfig.read(m.node("trustedMonitorKeys"), null);
    String group = m.string("consumerGroup", d.consumerGroup());
    m.check("consumerGroup", group.matches("[A-Za-z0-9._-]+"), "use letters, digits, '.', '_' and '-'");
    String host = m.string("host", d.host());
    m.check("host", host.matches("\\S+"), "must be a host name or IP address without spaces");
    int port = m.integer("port", d.port(), 0, 65_535);
    int maxAttempts = m.integer("maxAttempts", d.maxAttempts(), 1, 100);
    java.time.Duration stall = m.duration("stallThreshold", d.stallThreshold());
    m.check("stallThreshold", Mapping.positive(stall), "must be greater than 0");
    WebConfig web = WebConfig.read(m);
    m.check("metricsPort", web.metricsPort() == null || web.metricsPort() == 0 || web.metricsPort() != port,
        "must differ from controller.port");
    return new ControllerConfig(keys == null ? List.of() : keys, group, host, port, maxAttempts, stall, web);
  }
}

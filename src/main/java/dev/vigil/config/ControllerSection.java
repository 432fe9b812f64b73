package dev.vigil.config;

import java.util.List;

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
final class ControllerSection {
  private static final List<String> KEYS = List.of("trustedMonitorKeys", "consumerGroup", "host", "port", "maxAttempts",
      "stallThreshold");

  private ControllerSection() {}

  static ControllerConfig read(Node node) {
    ControllerConfig d = ControllerConfig.defaults();
    if (node.isAbsent()) {
      return d;
    }
    Mapping m = Mapping.of(node, KEYS);
    List<KeyConfig> keys = KeySection.read(m.node("trustedMonitorKeys"), null);
    String group = m.string("consumerGroup", d.consumerGroup());
    m.check("consumerGroup", group.matches("[A-Za-z0-9._-]+"), "use letters, digits, '.', '_' and '-'");
    String host = m.string("host", d.host());
    m.check("host", host.matches("\\S+"), "must be a host name or IP address without spaces");
    int port = m.integer("port", d.port(), 0, 65_535);
    int maxAttempts = m.integer("maxAttempts", d.maxAttempts(), 1, 100);
    java.time.Duration stall = m.duration("stallThreshold", d.stallThreshold());
    m.check("stallThreshold", Mapping.positive(stall), "must be greater than 0");
    return new ControllerConfig(keys == null ? List.of() : keys, group, host, port, maxAttempts, stall);
  }
}

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
 * </pre>
 */
final class ControllerSection {
  private static final List<String> KEYS = List.of("trustedMonitorKeys", "consumerGroup", "host", "port");

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
    return new ControllerConfig(keys == null ? List.of() : keys, group, host, port);
  }
}

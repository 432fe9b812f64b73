package dev.vigil.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Debian's real {@code prometheus-alertmanager} on 127.0.0.1, clustering off, running the shipped
 * deploy/alertmanager/alertmanager.yml with test timings (group_wait and group_interval 1 s) and
 * every webhook receiver pointed at {@code webhookBase + "/" + receiver name}.
 */
final class RealAlertmanager implements AutoCloseable {
  static final Path SHIPPED = OpsFiles.ROOT.resolve("deploy/alertmanager/alertmanager.yml");
  final RealBinary binary;

  private RealAlertmanager(RealBinary binary) {
    this.binary = binary;
  }

  static Optional<Path> executable() {
    return RealBinary.find("prometheus-alertmanager").or(() -> RealBinary.find("alertmanager"));
  }

  /** The shipped configuration with test timings and receivers: the routing and inhibition are unchanged. */
  static String testConfig(String webhookBase) throws IOException {
    ObjectNode root = (ObjectNode) OpsFiles.yaml(SHIPPED);
    ((ObjectNode) root.get("global")).put("resolve_timeout", "5s");
    fast((ObjectNode) root.get("route"));
    for (JsonNode r : root.get("receivers")) {
      for (JsonNode w : r.path("webhook_configs")) {
        ((ObjectNode) w).put("url", webhookBase + "/" + r.get("name").asText());
      }
    }
    return OpsFiles.YAML.writeValueAsString(root);
  }

  private static void fast(ObjectNode route) {
    route.put("group_wait", "1s").put("group_interval", "1s").put("repeat_interval", "1h");
    for (JsonNode child : route.path("routes")) {
      fast((ObjectNode) child);
    }
  }

  static RealAlertmanager start(Path dir, String webhookBase) throws IOException {
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, testConfig(webhookBase));
    Path data = Files.createDirectories(dir.resolve("alertmanager-data"));
    int port = RealBinary.freePort();
    return new RealAlertmanager(RealBinary.start("alertmanager", port, List.of(executable().orElseThrow().toString(),
        "--config.file=" + config, "--storage.path=" + data, "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=", "--log.level=debug"), dir));
  }

  String address() {
    return "127.0.0.1:" + binary.port;
  }

  /** Alerts Alertmanager holds now ({@code /api/v2/alerts}), inhibited and silenced ones included. */
  JsonNode alerts() throws IOException, InterruptedException {
    return OpsFiles.JSON.readTree(binary.get("/api/v2/alerts?inhibited=true&silenced=true&active=true").body());
  }

  @Override
  public void close() {
    binary.close();
  }
}

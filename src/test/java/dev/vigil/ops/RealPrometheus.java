package dev.vigil.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Debian's real {@code prometheus}, scraping one monitor every second (job vigil-monitor), on 127.0.0.1. */
final class RealPrometheus implements AutoCloseable {
  final RealBinary binary;

  private RealPrometheus(RealBinary binary) {
    this.binary = binary;
  }

  static Optional<Path> executable() {
    return RealBinary.find("prometheus");
  }

  /**
   * @param monitor host:port of the monitor's /metrics
   * @param ruleFile a rule file to evaluate every second, or null
   * @param alertmanager host:port of an Alertmanager to send alerts to, or null
   */
  static RealPrometheus start(Path dir, String monitor, Path ruleFile, String alertmanager) throws IOException {
    StringBuilder y = new StringBuilder()
        .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
    if (ruleFile != null) {
      y.append("rule_files:\n  - '").append(ruleFile.toAbsolutePath()).append("'\n");
    }
    if (alertmanager != null) {
      y.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['").append(alertmanager).append("']\n");
    }
    y.append("scrape_configs:\n  - job_name: vigil-monitor\n    static_configs:\n      - targets: ['").append(monitor).append("']\n");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, y.toString());
    Path data = Files.createDirectories(dir.resolve("prometheus-data"));
    int port = RealBinary.freePort();
    List<String> cmd = new ArrayList<>(List.of(executable().orElseThrow().toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port,
        "--web.console.templates=" + dir, "--web.console.libraries=" + dir, "--log.level=info"));
    return new RealPrometheus(RealBinary.start("prometheus", port, cmd, dir));
  }

  /** The {@code data} of an instant query; fails on an error status. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = binary.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = OpsFiles.JSON.readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("query failed (" + r.statusCode() + "): " + promql + "\n" + r.body());
    }
    return body.get("data");
  }

  /** The result vector (or matrix) of an instant query. */
  JsonNode result(String promql) throws IOException, InterruptedException {
    return query(promql).get("result");
  }

  @Override
  public void close() {
    binary.close();
  }
}

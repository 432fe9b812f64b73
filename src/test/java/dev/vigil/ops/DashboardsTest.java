package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** grafana-dashboards/: importable Grafana JSON with the ${DS_PROMETHEUS} input and the service/environment variables. */
class DashboardsTest {
  static Stream<Path> dashboards() {
    return OpsFiles.dashboards().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void hasTheDataSourceInputAndTheVariables(Path file) {
    JsonNode d = OpsFiles.json(file);
    assertThat(d.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    assertThat(d.get("uid").asText()).matches("[a-z0-9-]{1,40}");
    JsonNode input = d.get("__inputs").get(0);
    assertThat(input.get("name").asText()).isEqualTo("DS_PROMETHEUS");
    assertThat(input.get("pluginId").asText()).isEqualTo("prometheus");
    List<String> vars = d.at("/templating/list").findValuesAsText("name");
    assertThat(vars).contains("DS_PROMETHEUS", "service", "environment");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : d.get("panels")) {
      assertThat(ids.add(p.get("id").asInt())).as("panel id %s unique", p.get("id")).isTrue();
    }
    for (JsonNode p : OpsFiles.panels(d)) {
      assertThat(p.at("/datasource/uid").asText()).as(p.get("title").asText()).isEqualTo("${DS_PROMETHEUS}");
      for (JsonNode t : p.get("targets")) {
        assertThat(t.at("/datasource/uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        assertThat(t.get("expr").asText()).isNotBlank();
      }
    }
  }

  @Test
  void coverWhatTheIssueAsksFor() {
    StringBuilder all = new StringBuilder();
    for (Path f : OpsFiles.dashboards()) {
      OpsFiles.panels(OpsFiles.json(f)).forEach(p -> p.get("targets").forEach(t -> all.append(t.get("expr").asText()).append('\n')));
    }
    assertThat(all.toString()).contains("constitutional_fleet_compliance_score", "constitutional_hash_valid",
        "sum by (result) (rate(constitutional_attestation_checks_total", "constitutional_breach_active",
        "histogram_quantile(0.95, sum by (le, service, environment) (rate(constitutional_probe_duration_seconds_bucket",
        "constitutional_rollbacks_total", "constitutional_rollback_duration_seconds_bucket", "constitutional_traffic_weight",
        "constitutional_poll_lag_seconds_bucket", "constitutional_events_outbox_pending",
        "constitutional_events_publish_errors_total", "constitutional_monitor_targets", "jvm_memory_used_bytes");
  }

  @Test
  void provisioningPointsGrafanaAtTheDashboards() {
    JsonNode p = OpsFiles.yaml(OpsFiles.DASHBOARDS.resolve("provisioning/dashboards.yml"));
    assertThat(p.get("apiVersion").asInt()).isEqualTo(1);
    assertThat(p.at("/providers/0/type").asText()).isEqualTo("file");
    assertThat(p.at("/providers/0/options/path").asText()).isNotBlank();
    JsonNode ds = OpsFiles.yaml(OpsFiles.DASHBOARDS.resolve("provisioning/datasource.example.yml"));
    assertThat(ds.at("/datasources/0/type").asText()).isEqualTo("prometheus");
  }
}

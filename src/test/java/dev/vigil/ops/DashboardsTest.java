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

  /** Panel types that draw a quantity (and so need a unit); state timelines and tables name states through mappings. */
  static final Set<String> QUANTITY = Set.of("timeseries", "stat", "bargauge", "gauge");

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void everyPanelHasATitleAndAUnitOrValueMappings(Path file) {
    for (JsonNode p : OpsFiles.panels(OpsFiles.json(file))) {
      String title = p.path("title").asText();
      assertThat(title).as("panel %s of %s has a title", p.get("id"), file.getFileName()).isNotBlank();
      JsonNode defaults = p.at("/fieldConfig/defaults");
      if (QUANTITY.contains(p.get("type").asText())) {
        assertThat(defaults.path("unit").asText()).as("unit of '%s'", title).isNotBlank();
      } else {
        boolean mapped = defaults.path("mappings").size() > 0
            || p.at("/fieldConfig/overrides").findValues("id").stream().anyMatch(n -> n.asText().equals("mappings"));
        assertThat(mapped).as("'%s' (%s) names its values through mappings", title, p.get("type").asText()).isTrue();
      }
    }
  }

  @Test
  void alertBackedPanelsLinkToTheirRunbookSections() {
    String runbooks = OpsFiles.read(OpsFiles.RUNBOOKS);
    Set<String> alerts = new HashSet<>();
    OpsFiles.alertRules().forEach(r -> alerts.add(r.get("alert").asText()));
    Set<String> linked = new HashSet<>();
    for (Path f : OpsFiles.dashboards()) {
      for (JsonNode p : OpsFiles.panels(OpsFiles.json(f))) {
        for (JsonNode l : p.path("links")) {
          String url = l.get("url").asText();
          assertThat(url).as(p.get("title").asText()).startsWith("${runbooks}#");
          String anchor = url.substring(url.indexOf('#') + 1);
          String alert = alerts.stream().filter(a -> a.toLowerCase(java.util.Locale.ROOT).equals(anchor)).findFirst().orElse(null);
          assertThat(alert).as("%s links to an alert's runbook: %s", p.get("title").asText(), anchor).isNotNull();
          assertThat(runbooks).contains("\n## " + alert + "\n");
          assertThat(p.at("/fieldConfig/defaults/links").findValuesAsText("url")).as("data link too").contains(url);
          linked.add(alert);
        }
      }
    }
    assertThat(linked).contains("VigilConstitutionalHashMismatch", "VigilAttestationIntegrityBreach", "VigilComplianceScoreLow",
        "VigilFleetComplianceLow", "VigilTargetDown", "VigilMonitorPartitioned", "VigilMonitorOverloaded", "VigilMonitorDown",
        "VigilMonitorAbsent", "VigilConfigReloadFailed", "VigilOutboxBacklog", "VigilKafkaPublishErrors", "VigilRollbackFailed",
        "VigilRollbackValidationFailed", "VigilRollbackConsumerStalled", "VigilRollbackDeadLettered");
    for (Path f : OpsFiles.dashboards()) {
      JsonNode runbookVar = null;
      for (JsonNode v : OpsFiles.json(f).at("/templating/list")) {
        if (v.get("name").asText().equals("runbooks")) {
          runbookVar = v;
        }
      }
      assertThat(runbookVar).as(f.getFileName() + " has the runbooks variable").isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void annotateBreachesRollbacksAndRolloutsFromTheMetrics(Path file) {
    JsonNode list = OpsFiles.json(file).at("/annotations/list");
    List<String> names = list.findValuesAsText("name");
    assertThat(names).contains("Breaches opened", "Breaches resolved", "Rollbacks", "Rollout steps", "Rollouts finished");
    for (JsonNode a : list) {
      if (!a.path("builtIn").asBoolean()) {
        assertThat(a.at("/datasource/uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        assertThat(MetricsSpec.seriesNames()).as(a.get("name").asText())
            .containsKeys(PromQl.metricNames(a.get("expr").asText()).toArray(String[]::new));
      }
    }
  }

  @Test
  void monitorPanelsFollowTheInstanceSelector() {
    for (String name : List.of("vigil-fleet-compliance.json", "vigil-monitor.json")) {
      JsonNode d = OpsFiles.json(OpsFiles.DASHBOARDS.resolve(name));
      assertThat(d.at("/templating/list").findValuesAsText("name")).as(name).contains("instance");
      for (JsonNode p : OpsFiles.panels(d)) {
        for (JsonNode t : p.path("targets")) {
          assertThat(t.get("expr").asText()).as(name + " / " + p.get("title").asText()).contains("instance=~\"$instance\"");
        }
      }
    }
  }

  @Test
  void theRollbacksDashboardHasControllerHealthAndRollouts() {
    JsonNode d = OpsFiles.json(OpsFiles.DASHBOARDS.resolve("vigil-rollbacks.json"));
    assertThat(d.get("panels").findValuesAsText("title")).contains("Rollback controller health", "Rollouts");
    StringBuilder all = new StringBuilder();
    OpsFiles.panels(d).forEach(p -> p.path("targets").forEach(t -> all.append(t.get("expr").asText()).append('\n')));
    assertThat(all.toString()).contains("up{job=\"vigil-rollback-controller\"}", "constitutional_rollback_consumer_lag",
        "constitutional_rollback_events_rejected_total", "constitutional_rollout_step", "constitutional_rollout_state",
        "constitutional_rollout_analysis_failures_total", "constitutional_rollouts_total", "constitutional_traffic_weight");
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

package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.monitor.MonitorMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule or a dashboard panel queries is a name of metrics-v1 (histograms as
 * their _bucket/_sum/_count series), Prometheus' own {@code up}, or a JVM/process metric that a
 * real scrape of {@link MonitorMetrics} exports.
 */
class MetricNamesTest {
  private static Set<String> allowed;

  @BeforeAll
  static void allowedNames() {
    allowed = new TreeSet<>(MetricsSpec.seriesNames().keySet());
    allowed.add("up");
    // JvmGcMetrics registers its pause timer at the first GC notification, which a fresh JVM may not have had yet.
    allowed.addAll(java.util.List.of("jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max"));
    try (MonitorMetrics m = new MonitorMetrics()) {
      for (String line : m.scrape().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String name = line.split("[{ ]", 2)[0];
          if (name.startsWith("jvm_") || name.startsWith("process_") || name.startsWith("system_")) {
            allowed.add(name);
          }
        }
      }
    }
  }

  /** Query text by where it comes from. */
  static Map<String, String> queries() {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode r : OpsFiles.alertRules()) {
      out.put("rule " + r.get("alert").asText(), r.get("expr").asText());
    }
    for (Path d : OpsFiles.dashboards()) {
      JsonNode dash = OpsFiles.json(d);
      for (JsonNode p : OpsFiles.panels(dash)) {
        for (JsonNode t : p.path("targets")) {
          out.put(d.getFileName() + " panel '" + p.path("title").asText() + "' " + t.path("refId").asText(), t.path("expr").asText());
        }
      }
      for (JsonNode v : dash.at("/templating/list")) {
        if (v.path("type").asText().equals("query")) {
          String q = v.path("query").isObject() ? v.at("/query/query").asText() : v.path("query").asText();
          out.put(d.getFileName() + " variable " + v.path("name").asText(), q.replaceAll("label_values\\((.*),\\s*\\w+\\)", "$1"));
        }
      }
    }
    return out;
  }

  @Test
  void theSpecCopyIsReadable() {
    assertThat(MetricsSpec.metrics()).containsKeys("constitutional_hash_valid", "constitutional_compliance_score",
        "constitutional_rollbacks_total", "constitutional_traffic_weight").hasSize(39);
    assertThat(MetricsSpec.metrics().get("constitutional_breach_active").labels())
        .containsExactly("service", "environment", "rule", "severity");
  }

  @Test
  void theSpecCopyEqualsTheOriginalWhenItIsBesideTheCheckout() throws Exception {
    Path original = OpsFiles.ROOT.resolveSibling("shared").resolve("spec/metrics-v1.md");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(original), "../shared/spec/metrics-v1.md is not beside this checkout");
    assertThat(MetricsSpec.text()).isEqualTo(Files.readString(original));
  }

  @Test
  void theTokenizerFindsMetricNamesOnly() {
    assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le, service) (rate(constitutional_probe_duration_seconds_bucket"
        + "{service=~\"$service\"}[$__rate_interval]))) > bool 2 or on (job) absent(up{job=\"x\"}) offset 10m"))
        .containsExactly("constitutional_probe_duration_seconds_bucket", "up");
  }

  @Test
  void everyQueriedMetricIsInTheContract() {
    Map<String, String> queries = queries();
    assertThat(queries).isNotEmpty();
    assertThat(OpsFiles.dashboards()).as("dashboards in grafana-dashboards/").isNotEmpty();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Set<String> names = PromQl.metricNames(q.getValue());
      assertThat(names).as("%s: %s", q.getKey(), q.getValue()).isNotEmpty();
      assertThat(allowed).as("%s uses %s", q.getKey(), names).containsAll(names);
    }
  }
}

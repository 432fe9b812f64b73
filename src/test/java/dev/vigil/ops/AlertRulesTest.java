package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.monitor.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** alert-rules/: promtool accepts the rules and their unit tests pass; every alert is documented and tested both ways. */
class AlertRulesTest {
  static Stream<JsonNode> alerts() {
    return OpsFiles.alertRules().stream();
  }

  static String promtool(String... args) throws IOException, InterruptedException {
    Assumptions.assumeTrue(Promtool.path().isPresent(), "promtool not on PATH (Debian package prometheus): skipped");
    List<String> cmd = new ArrayList<>(List.of(Promtool.path().orElseThrow()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(OpsFiles.ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }

  @Test
  void promtoolCheckRulesPasses() throws Exception {
    String out = promtool("check", "rules", "alert-rules/vigil.rules.yml");
    assertThat(out).contains("SUCCESS: " + (OpsFiles.alertRules().size() + OpsFiles.recordingRules().size())
        + " rules found");
  }

  @Test
  void promtoolUnitTestsPass() throws Exception {
    assertThat(promtool("test", "rules", "alert-rules/vigil.rules.test.yml")).contains("SUCCESS");
  }

  @Test
  void theIssuesAlertsAreAllThere() {
    assertThat(alerts().map(a -> a.get("alert").asText())).contains("VigilConstitutionalHashMismatch",
        "VigilAttestationIntegrityBreach", "VigilComplianceScoreLow", "VigilFleetComplianceLow", "VigilTargetDown",
        "VigilMonitorPartitioned", "VigilMonitorDown", "VigilMonitorAbsent", "VigilOutboxBacklog",
        "VigilKafkaPublishErrors", "VigilRollbackFailed", "VigilRollbackValidationFailed", "VigilConfigReloadFailed");
    JsonNode hash = alerts().filter(a -> a.get("alert").asText().equals("VigilConstitutionalHashMismatch")).findFirst().orElseThrow();
    assertThat(hash.has("for")).as("a hash breach pages at once").isFalse();
    assertThat(hash.at("/labels/severity").asText()).isEqualTo("critical");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void hasSeveritySummaryDescriptionAndARunbookSection(JsonNode rule) {
    String name = rule.get("alert").asText();
    assertThat(rule.at("/labels/severity").asText()).as(name).isIn("critical", "high", "warning");
    assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
    assertThat(rule.at("/annotations/description").asText()).as(name).isNotBlank();
    String url = rule.at("/annotations/runbook_url").asText();
    assertThat(url).as(name).isEqualTo("docs/runbooks.md#" + name.toLowerCase(Locale.ROOT));
    assertThat(OpsFiles.read(OpsFiles.RUNBOOKS)).as("docs/runbooks.md has a section for " + name)
        .containsPattern("(?m)^## " + name + "$");
  }

  /** Where every metric of the expression carries service and environment, the text names both. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void namesServiceAndEnvironmentWhereTheMetricsHaveThem(JsonNode rule) {
    Map<String, MetricsSpec.Metric> spec = MetricsSpec.seriesNames();
    Set<String> common = null;
    for (String m : PromQl.metricNames(rule.get("expr").asText())) {
      Set<String> labels = spec.containsKey(m) ? spec.get(m).labels() : Set.of();
      if (m.equals("constitutional_monitor_partitioned")) {
        continue; // only ever the right-hand side of an `unless`
      }
      if (common == null) {
        common = new HashSet<>(labels);
      } else {
        common.retainAll(labels);
      }
    }
    String text = rule.at("/annotations/summary").asText() + rule.at("/annotations/description").asText();
    for (String label : List.of("service", "environment")) {
      if (common != null && common.contains(label)) {
        assertThat(text).as(rule.get("alert").asText()).contains("$labels." + label);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void isUnitTestedFiringAndSilent(JsonNode rule) {
    String name = rule.get("alert").asText();
    boolean fires = false;
    boolean silent = false;
    for (JsonNode t : OpsFiles.yaml(OpsFiles.RULE_TESTS).get("tests")) {
      for (JsonNode check : t.path("alert_rule_test")) {
        if (check.get("alertname").asText().equals(name)) {
          boolean empty = check.path("exp_alerts").isEmpty();
          silent |= empty;
          fires |= !empty;
        }
      }
    }
    assertThat(fires).as(name + " has a test where it fires").isTrue();
    assertThat(silent).as(name + " has a test where it stays silent").isTrue();
  }

  @Test
  void recordingRulesSumPerInstanceFiguresAndAreUnitTested() {
    String tests = OpsFiles.read(OpsFiles.RULE_TESTS);
    assertThat(OpsFiles.recordingRules()).isNotEmpty().allSatisfy(r -> {
      String name = r.get("record").asText();
      assertThat(name).as(name).matches("job:constitutional_[a-z_]+:[a-z0-9]+");
      assertThat(r.get("expr").asText()).as(name).doesNotContain("instance)").containsPattern("by \\(job");
    });
    for (String name : List.of("job:constitutional_monitor_targets:sum", "job:constitutional_monitor_shards_owned:sum",
        "job:constitutional_breach_active:max")) {
      assertThat(tests).as(name + " has a promql_expr_test").contains("expr: " + name + "\n");
    }
  }

  @Test
  void theRuleTestsUseTheShippedRuleFile() {
    assertThat(OpsFiles.yaml(OpsFiles.RULE_TESTS).get("rule_files").get(0).asText()).isEqualTo("vigil.rules.yml");
    assertThat(Path.of("alert-rules", "vigil.rules.yml")).exists();
  }
}

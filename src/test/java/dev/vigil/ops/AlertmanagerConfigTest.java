package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** deploy/alertmanager/alertmanager.yml: valid for the real amtool, critical pages, grouped by service, partition inhibits target-down. */
class AlertmanagerConfigTest {
  private static final JsonNode CONFIG = OpsFiles.yaml(RealAlertmanager.SHIPPED);

  static String amtool(String... args) throws Exception {
    var exe = RealBinary.find("amtool");
    Assumptions.assumeTrue(exe.isPresent(), "amtool not installed (Debian package prometheus-alertmanager): skipped");
    List<String> cmd = new ArrayList<>(List.of(exe.get().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
    return out.trim();
  }

  @Test
  void amtoolAcceptsIt() throws Exception {
    assertThat(amtool("check-config", RealAlertmanager.SHIPPED.toString())).contains("SUCCESS");
  }

  @Test
  void criticalAlertsPageAndOthersNotify() throws Exception {
    String config = "--config.file=" + RealAlertmanager.SHIPPED;
    assertThat(lastLine(amtool("config", "routes", "test", config, "severity=critical", "service=auth-service",
        "alertname=VigilConstitutionalHashMismatch"))).isEqualTo("vigil-page");
    assertThat(lastLine(amtool("config", "routes", "test", config, "severity=warning", "alertname=VigilConfigReloadFailed")))
        .isEqualTo("vigil-notify");
  }

  /** amtool may warn first (e.g. that --config.file overrides --alertmanager.url); the answer is the last line. */
  private static String lastLine(String out) {
    String[] lines = out.split("\n");
    return lines[lines.length - 1].trim();
  }

  @Test
  void pagesGoToAWebhookGroupedByServiceWithResolvedNotices() {
    JsonNode page = CONFIG.at("/route/routes/0");
    assertThat(page.get("receiver").asText()).isEqualTo("vigil-page");
    assertThat(page.get("group_by").get(0).asText()).isEqualTo("service");
    assertThat(CONFIG.at("/route/group_by/0").asText()).isEqualTo("service");
    for (JsonNode r : CONFIG.get("receivers")) {
      JsonNode hook = r.at("/webhook_configs/0");
      assertThat(hook.get("url").asText()).as(r.get("name").asText()).startsWith("http");
      assertThat(hook.get("send_resolved").asBoolean()).isTrue();
    }
  }

  @Test
  void aPartitionedMonitorInhibitsItsOwnTargetDownAlerts() {
    JsonNode rule = CONFIG.at("/inhibit_rules/0");
    assertThat(rule.at("/source_matchers/0").asText()).isEqualTo("alertname=\"VigilMonitorPartitioned\"");
    assertThat(rule.at("/target_matchers/0").asText()).isEqualTo("alertname=\"VigilTargetDown\"");
    assertThat(rule.get("equal").toString()).contains("instance");
    List<String> alerts = OpsFiles.alertRules().stream().map(a -> a.get("alert").asText()).toList();
    assertThat(alerts).contains("VigilMonitorPartitioned", "VigilTargetDown");
  }
}

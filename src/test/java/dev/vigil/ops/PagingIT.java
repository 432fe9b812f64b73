package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.monitor.FleetHarness;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging end to end with real parts: simulator, monitor, Debian's prometheus evaluating the shipped
 * alert rules every second, Debian's prometheus-alertmanager running the shipped routing, and a
 * webhook receiver standing in for the PagerDuty/Opsgenie bridge.
 */
class PagingIT {
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");
  private static final Duration PAGE_DEADLINE = Duration.ofSeconds(45);

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private FleetHarness h;
  private WebhookReceiver webhook;
  private RealAlertmanager alertmanager;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(RealPrometheus.executable().isPresent(),
        "prometheus not installed (Debian package prometheus): paging not tested end to end");
    Assumptions.assumeTrue(RealAlertmanager.executable().isPresent(),
        "prometheus-alertmanager not installed (Debian package prometheus-alertmanager): paging not tested end to end");
    h = FleetHarness.start(SimulatorOptions.ACGS_SERVICES, List.of("green"), dir.resolve("fleet"));
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
    webhook = new WebhookReceiver();
    running.add(webhook);
    alertmanager = RealAlertmanager.start(dir, webhook.base());
    running.add(alertmanager);
  }

  private RealPrometheus prometheus(Path ruleFile) throws Exception {
    RealPrometheus p = RealPrometheus.start(dir, h.baseUrl().substring("http://".length()), ruleFile, alertmanager.address());
    running.add(p);
    return p;
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aTamperedHashPagesNamingTheServiceAndResolvesWhenCleared() throws Exception {
    prometheus(OpsFiles.RULES); // the shipped rules, unchanged: the hash alert has no `for`
    h.sim.setFault(VICTIM, Fault.TAMPERED_HASH).toCompletionStage().toCompletableFuture().get();

    await().atMost(PAGE_DEADLINE).until(() -> webhook.alerts("/vigil-page").stream()
        .anyMatch(a -> WebhookReceiver.matches(a, "firing", "VigilConstitutionalHashMismatch", "integrity-service")));
    JsonNode page = webhook.posts.stream().filter(p -> p.path().equals("/vigil-page")).findFirst().orElseThrow().body();
    assertThat(page.at("/groupLabels/service").asText()).isEqualTo("integrity-service");
    JsonNode alert = page.get("alerts").get(0);
    assertThat(alert.at("/labels/environment").asText()).isEqualTo("green");
    assertThat(alert.at("/labels/severity").asText()).isEqualTo("critical");
    assertThat(alert.at("/annotations/summary").asText()).contains("integrity-service/green");
    assertThat(alert.at("/annotations/runbook_url").asText()).isEqualTo("docs/runbooks.md#vigilconstitutionalhashmismatch");
    assertThat(webhook.alerts("/vigil-page")).allMatch(a -> a.at("/labels/service").asText().equals("integrity-service"));

    h.sim.clearFault(VICTIM).toCompletionStage().toCompletableFuture().get();
    await().atMost(PAGE_DEADLINE).until(() -> webhook.alerts("/vigil-page").stream()
        .anyMatch(a -> WebhookReceiver.matches(a, "resolved", "VigilConstitutionalHashMismatch", "integrity-service")));
  }

  @Test
  void aPartitionedMonitorPagesOnceAndItsTargetDownAlertsAreInhibited() throws Exception {
    // The shipped rules with VigilTargetDown's `for: 1m` shortened to 2 s, so it fires within the test.
    Path rules = dir.resolve("vigil.rules.yml");
    String shipped = Files.readString(OpsFiles.RULES);
    assertThat(shipped).contains("for: 1m");
    Files.writeString(rules, shipped.replace("for: 1m", "for: 2s"));
    RealPrometheus prometheus = prometheus(rules);

    List<TargetId> cut = h.sim.targets().subList(0, 6);
    for (TargetId t : cut) {
      h.sim.setFault(t, Fault.CONNECTION_REFUSED).toCompletionStage().toCompletableFuture().get();
    }
    await().atMost(PAGE_DEADLINE).until(() -> webhook.alerts("/vigil-page").stream()
        .anyMatch(a -> WebhookReceiver.matches(a, "firing", "VigilMonitorPartitioned", null)));
    // Prometheus fires VigilTargetDown for the cut targets, Alertmanager holds them as inhibited ...
    await().atMost(PAGE_DEADLINE).until(() -> !prometheus.result("ALERTS{alertname=\"VigilTargetDown\",alertstate=\"firing\"}").isEmpty());
    await().atMost(PAGE_DEADLINE).until(() -> {
      for (JsonNode a : alertmanager.alerts()) {
        if (a.at("/labels/alertname").asText().equals("VigilTargetDown") && !a.at("/status/inhibitedBy").isEmpty()) {
          return true;
        }
      }
      return false;
    });
    // ... and no target-down page goes out. Their group's first flush (group_wait 1 s after they arrived) comes
    // before a page that starts only now can arrive: tamper with the one target still reachable and await its page.
    TargetId reachable = h.sim.targets().get(6);
    h.sim.setFault(reachable, Fault.TAMPERED_HASH).toCompletionStage().toCompletableFuture().get();
    await().atMost(PAGE_DEADLINE).until(() -> webhook.alerts("/vigil-page").stream()
        .anyMatch(a -> WebhookReceiver.matches(a, "firing", "VigilConstitutionalHashMismatch", reachable.service())));
    assertThat(webhook.alerts("/vigil-page")).noneMatch(a -> a.at("/labels/alertname").asText().equals("VigilTargetDown"));
    assertThat(webhook.alerts("/vigil-notify")).noneMatch(a -> a.at("/labels/alertname").asText().equals("VigilTargetDown"));
  }
}

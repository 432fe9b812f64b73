package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.EventsConfig;
import dev.vigil.config.KafkaConfig;
import dev.vigil.monitor.MonitorMetrics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink with Kafka unreachable (a real producer pointed at a closed port): events are durable
 * in submission order, each failed attempt is counted, a full outbox refuses loudly and keeps the
 * oldest.
 */
class OutboxEventSinkTest {
  @TempDir Path dir;

  private static String closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void eventsAreDurableInOrderAndAFullOutboxRefusesLoudly() throws Exception {
    KafkaConfig kafka = new KafkaConfig(closedPort(), "t", "r", "vigil-test", Duration.ofSeconds(1), Map.of());
    try (MonitorMetrics metrics = new MonitorMetrics();
        KafkaEventPipeline p = KafkaEventPipeline.start("monitor-0", kafka,
            new EventsConfig(dir, 20, null, MONITOR_KEY), metrics.registry())) {
      List<CompletableFuture<Outbox.AppendResult>> results = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 21; i++) {
        CloudEvent e = EventFixtures.event(EventFixtures.opened("svc-" + (i % 4), i));
        ids.add(e.id());
        results.add(p.sink().submit(e));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(new Outbox.Written(i + 1));
      }
      assertThat(results.get(20).get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outbox.Refused.class,
          r -> assertThat(r.reason()).contains("outbox full").contains(ids.get(20)));
      assertThat(p.outbox().pending(100)).extracting(e -> e.event().id()).containsExactlyElementsOf(ids.subList(0, 20));
      assertThat(p.metrics().refusedCount()).isEqualTo(1);
      assertThat(p.metrics().pending()).isEqualTo(20);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> p.metrics().errorCount() >= 2);
      assertThat(metrics.scrape()).contains("constitutional_events_outbox_refused_total 1.0")
          .contains("constitutional_events_outbox_pending 20.0");
    }
    // and nothing was lost by closing: a reopened outbox has the same 20 events
    try (Outbox o = Outbox.open(dir, 20)) {
      assertThat(o.pendingCount()).isEqualTo(20);
    }
  }

  @Test
  void everyTransitionIsOneDecisionLineWithTheEventId() throws Exception {
    KafkaConfig kafka = new KafkaConfig(closedPort(), "t", "r", "vigil-test", Duration.ofSeconds(1), Map.of());
    try (MonitorMetrics metrics = new MonitorMetrics();
        KafkaEventPipeline p = KafkaEventPipeline.start("monitor-0", kafka,
            new EventsConfig(dir, 20, null, MONITOR_KEY), metrics.registry());
        dev.vigil.testing.LogCapture logs = dev.vigil.testing.LogCapture.begin()) {
      dev.vigil.score.BreachTransition opened = EventFixtures.opened("integrity-service", 1);
      p.sink().submit(opened).get(10, TimeUnit.SECONDS);
      dev.vigil.score.Breach b = opened.breach();
      p.sink().submit(new dev.vigil.score.BreachTransition(dev.vigil.score.BreachTransition.Kind.RESOLVED,
          b.resolved(b.openedAt().plusSeconds(60), dev.vigil.attest.Verdict.COMPLIANT, 1.0))).get(10, TimeUnit.SECONDS);
      var lines = logs.lines("dev.vigil.events.Breaches", l -> true);
      assertThat(lines).extracting(dev.vigil.testing.LogCapture.Line::level).containsExactly("WARN", "INFO");
      assertThat(lines.get(0).message()).startsWith("breach OPENED " + b.rule());
      assertThat(lines.get(0).fields()).containsEntry("decision", "breach_opened")
          .containsEntry("service", "integrity-service").containsEntry("breachId", b.breachId())
          .containsKey("eventId").containsKey("verdict").containsKey("environment");
      assertThat(lines.get(1).fields()).containsEntry("decision", "breach_resolved")
          .containsEntry("breachId", b.breachId());
      assertThat(p.outbox().pending(10)).extracting(e -> e.event().id())
          .containsExactly(lines.get(0).fields().get("eventId"), lines.get(1).fields().get("eventId"));
    }
  }
}

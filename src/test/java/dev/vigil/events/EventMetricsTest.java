package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.monitor.Promtool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EventMetricsTest {
  @Test
  void theEventSeriesOfMetricsV1AreExportedBesideTheMonitors() {
    try (MonitorMetrics m = new MonitorMetrics()) {
      EventMetrics e = new EventMetrics(m.registry());
      e.setPending(3);
      e.published(CloudEvent.BREACH_OPENED, 2);
      e.publishError();
      e.refused();
      e.corruptRecords(2);
      e.deadLettered(OutboxPublisher.TOO_LARGE);
      String text = m.scrape();
      assertThat(text).contains("constitutional_events_outbox_pending 3.0")
          .contains("constitutional_events_published_total{type=\"dev.vigil.breach.opened\"} 2.0")
          .contains("constitutional_events_published_total{type=\"dev.vigil.breach.resolved\"} 0.0")
          .contains("constitutional_events_publish_errors_total 1.0")
          .contains("constitutional_events_outbox_refused_total 1.0")
          .contains("constitutional_events_outbox_corrupt_records_total 2.0")
          .contains("constitutional_events_dead_lettered_total{reason=\"too_large\"} 1.0");
    }
  }

  @Test
  void promtoolCheckMetricsReportsNothing() throws Exception {
    Assumptions.assumeTrue(Promtool.path().isPresent(), "promtool not on PATH (Debian package prometheus)");
    try (MonitorMetrics m = new MonitorMetrics()) {
      EventMetrics e = new EventMetrics(m.registry());
      e.published(CloudEvent.BREACH_RESOLVED, 1);
      e.publishError();
      assertThat(Promtool.checkMetrics(m.scrape())).isEmpty();
    }
  }
}

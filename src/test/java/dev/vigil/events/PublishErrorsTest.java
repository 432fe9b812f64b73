package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publish errors while Kafka does not answer are counted from the first failed attempt, not when
 * the producer's delivery timeout (30 s) finally expires; the outage is one WARN and one INFO.
 */
class PublishErrorsTest {
  @TempDir Path dir;

  private static SignedEvent event(int i) {
    return new SignedEvent("id-" + i, CloudEvent.BREACH_OPENED, "vigil://monitor/m", "key-" + i,
        ("v" + i).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anUnacknowledgedAttemptCountsWithinSecondsAndTheOutageIsOneWarnThenOneInfo() throws Exception {
    // A producer whose sends Kafka never acknowledges until the test completes them: a broker that is down.
    MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
        new ByteArraySerializer());
    try (Outbox outbox = Outbox.open(dir, 100);
        MonitorMetrics m = new MonitorMetrics();
        LogCapture logs = LogCapture.begin()) {
      EventMetrics metrics = new EventMetrics(m.registry());
      outbox.append(event(0));
      long started = System.nanoTime();
      try (OutboxPublisher p = new OutboxPublisher(outbox, producer, "t", metrics, Duration.ofMillis(100),
          Duration.ofSeconds(1)).start()) {
        assertThat(p).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.errorCount() >= 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("first error counted after one stall period")
            .isLessThan(Duration.ofSeconds(8)).isGreaterThanOrEqualTo(OutboxPublisher.STALL_AFTER);
        assertThat(metrics.pending()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.errorCount() >= 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.completeNext());
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.pending() == 0);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> logs.lines("dev.vigil.events.OutboxPublisher", l -> l.is("INFO")).size() == 1);
        var lines = logs.lines("dev.vigil.events.OutboxPublisher", l -> l.is("WARN") || l.is("INFO"));
        assertThat(lines).extracting(LogCapture.Line::level).containsExactly("WARN", "INFO");
        assertThat(lines.get(0).message()).contains("cannot publish events to Kafka topic t")
            .contains("no acknowledgement from Kafka within 2 s");
        assertThat(lines.get(0).fields()).containsEntry("condition", "kafka_publish_failing");
        assertThat(lines.get(1).message()).contains("Kafka acknowledges events again");
        assertThat(Long.parseLong(lines.get(1).fields().get("count"))).isGreaterThanOrEqualTo(2);
        double errors = metrics.errorCount();
        assertThat(m.scrape()).contains("constitutional_events_publish_errors_total " + errors);
      }
    }
  }
}

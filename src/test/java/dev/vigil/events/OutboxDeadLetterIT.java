package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.TrustStore;
import dev.vigil.attest.Verdict;
import dev.vigil.config.EventsConfig;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, item 8: an event the topic can never take (larger than its {@code max.message.bytes})
 * does not block the outbox. It goes to the dead-letter file with a metric, and the events behind it
 * reach a real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OutboxDeadLetterIT {
  @TempDir Path dir;

  /** A breach whose observed and expected values are within the event bounds but take ~6 KB each once escaped. */
  static BreachTransition oversized(String service) {
    TargetId id = new TargetId(service, "green");
    Instant opened = EventFixtures.T0.plusSeconds(5);
    String control = "\u0001".repeat(1000);
    return new BreachTransition(BreachTransition.Kind.OPENED, new Breach(Breach.idFor(id, "hash_mismatch", opened),
        id, "hash_mismatch", Severity.CRITICAL, Verdict.HASH_MISMATCH, control, control, 0.5, 180, 1, opened, null));
  }

  @Test
  void anEventTooLargeForTheTopicIsDeadLetteredAndTheEventsBehindItAreDelivered(KafkaBroker broker) throws Exception {
    String topic = "it.dead-letter";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "4096"))))
          .all().get(30, TimeUnit.SECONDS);
    }
    Path outboxDir = dir.resolve("outbox");
    CloudEvent first = EventFixtures.event(EventFixtures.opened("auth-service", 1));
    CloudEvent big = EventFixtures.event(oversized("integrity-service"));
    CloudEvent second = EventFixtures.event(EventFixtures.opened("policy-governance-service", 2));
    CloudEvent third = EventFixtures.event(EventFixtures.resolved("auth-service", 1));
    try (MonitorMetrics metrics = new MonitorMetrics();
        KafkaEventPipeline p = KafkaEventPipeline.start("monitor-0", EventsKafkaIT.kafka(broker, topic),
            new EventsConfig(outboxDir, 1000, null, MONITOR_KEY), metrics.registry())) {
      for (CloudEvent e : List.of(first, big, second, third)) {
        assertThat(p.sink().submit(e).get(10, TimeUnit.SECONDS)).isInstanceOf(Outbox.Written.class);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> p.outbox().pendingCount() == 0);

      assertThat(p.metrics().deadLetteredCount(OutboxPublisher.TOO_LARGE)).isEqualTo(1);
      assertThat(metrics.scrape()).contains("constitutional_events_dead_lettered_total{reason=\"too_large\"} 1.0");
      Outbox.Snapshot s = Outbox.read(outboxDir);
      assertThat(s.pending()).isEmpty();
      assertThat(s.deadLetters()).singleElement().satisfies(d -> {
        assertThat(d.event().id()).isEqualTo(big.id());
        assertThat(d.reason()).isEqualTo(OutboxPublisher.TOO_LARGE);
        assertThat(d.detail()).contains("RecordTooLargeException");
        assertThat(d.event().value().length).isGreaterThan(4096);
      });
    }
    List<ConsumerRecord<byte[], byte[]>> got = TopicReader.read(broker.bootstrapServers(), topic,
        Duration.ofSeconds(30), l -> l.stream().map(r -> id(r)).distinct().count() >= 3);
    assertThat(got.stream().map(OutboxDeadLetterIT::id).distinct().toList())
        .containsExactly(first.id(), second.id(), third.id());
  }

  private static String id(ConsumerRecord<byte[], byte[]> r) {
    EventCodec.Decoded d = EventCodec.verify(r.value(), TrustStore.of(MONITOR_KEY.trusted()), Instant.now());
    assertThat(d).isInstanceOf(EventCodec.Accepted.class);
    return ((EventCodec.Accepted) d).event().id();
  }
}

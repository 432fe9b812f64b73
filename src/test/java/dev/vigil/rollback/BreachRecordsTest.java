package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.KafkaConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** What the consumer reads from a message that did not verify, and its consumer settings. */
class BreachRecordsTest {
  @Test
  void aForgedEnvelopeOrABareCloudEventIsReadForTheReportButGarbageAndResolvedAreNot() {
    CloudEvent opened = ControllerFixture.opened("integrity-service", "x");
    byte[] envelope = new EventCodec(ControllerFixture.STRANGER_KEY).sign(opened).value();
    assertThat(BreachRecords.unverified(envelope)).hasValueSatisfying(e -> {
      assertThat(e.eventId()).isEqualTo(opened.id());
      assertThat(e.service()).isEqualTo("integrity-service");
      assertThat(e.severity()).isEqualTo("critical");
    });
    assertThat(BreachRecords.unverified(EventCodec.toJson(opened))).isPresent();
    assertThat(BreachRecords.unverified("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(BreachRecords.unverified(new byte[0])).isEmpty();
    assertThat(BreachRecords.unverified(null)).isEmpty();
    CloudEvent resolved = CloudEvent.breach(CloudEvent.BREACH_RESOLVED, ((dev.vigil.events.BreachData) opened.data()));
    assertThat(BreachRecords.unverified(EventCodec.toJson(resolved))).isEmpty();
  }

  @Test
  void offsetsAreNeverCommittedAutomatically() {
    KafkaConfig k = new KafkaConfig("127.0.0.1:9092", "b", "r", "c", java.time.Duration.ofSeconds(5),
        Map.of("enable.auto.commit", "true", "security.protocol", "SSL"));
    Map<String, Object> s = KafkaBreachConsumer.settings(k, "g", "id");
    assertThat(s).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
        .containsEntry("security.protocol", "SSL")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
  }
}

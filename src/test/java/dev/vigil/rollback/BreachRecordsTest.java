package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.KafkaConfig;
import dev.vigil.attest.TrustStore;
import dev.vigil.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** Records that cannot be verified, failure classes, and the consumer's settings. */
class BreachRecordsTest {
  @Test
  void whateverAParserThrowsForHostileBytesIsAMalformedRejection() {
    TrustStore trusted = TrustStore.of(ControllerFixture.MONITOR_KEY.trusted());
    for (String hostile : List.of("{\"x\":1e999999999999}", "{\"payload\":1e999999999999}", "[".repeat(100_000),
        "{\"payloadType\":\"application/cloudevents+json\",\"payload\":\"%%%\",\"signatures\":[]}")) {
      EventCodec.Decoded d = EventCodec.verify(hostile.getBytes(StandardCharsets.UTF_8), trusted, Instant.now());
      assertThat(d).as(hostile.substring(0, Math.min(40, hostile.length()))).isInstanceOfSatisfying(
          EventCodec.Rejected.class, r -> assertThat(r.reason()).isEqualTo(EventCodec.Reason.MALFORMED));
    }
  }

  @Test
  void logLinesGetNoControlCharactersAndABound() {
    assertThat(BreachRecords.printable("a\nb\u001b[31mc", 100)).isEqualTo("a?b?[31mc");
    assertThat(BreachRecords.printable("x".repeat(300), 200)).hasSize(201).endsWith("…");
    assertThat(BreachRecords.printable(null, 10)).isEmpty();
  }

  @Test
  void onlyKafkasRetriableErrorsAndDiskErrorsAreRetried() {
    assertThat(DeadLetters.retriable(new org.apache.kafka.common.errors.TimeoutException("broker down"))).isTrue();
    assertThat(DeadLetters.retriable(new RuntimeException(new java.io.IOException("disk full")))).isTrue();
    assertThat(DeadLetters.retriable(new org.apache.kafka.common.errors.RecordTooLargeException("1.2 MB"))).isFalse();
    assertThat(DeadLetters.retriable(new IllegalStateException("bug"))).isFalse();
    assertThat(DeadLetters.reason(new org.apache.kafka.common.errors.RecordTooLargeException("x")))
        .isEqualTo("record_too_large");
    assertThat(DeadLetters.reason(new org.apache.kafka.common.errors.SerializationException("x")))
        .isEqualTo("kafka_error");
    assertThat(DeadLetters.reason(new NullPointerException())).isEqualTo("internal_error");
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

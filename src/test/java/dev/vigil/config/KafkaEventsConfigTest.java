package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kafka} and {@code events} sections: defaults, a full section, and each error at its path. */
class KafkaEventsConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Test
  void withoutTheSectionsKafkaIsOffAndTheDefaultsHold() {
    VigilConfig c = valid(MINIMAL, dir);
    assertThat(c.kafka().enabled()).isFalse();
    assertThat(c.kafka().breachesTopic()).isEqualTo("constitutional.breaches");
    assertThat(c.kafka().rollbacksTopic()).isEqualTo("constitutional.rollbacks");
    assertThat(c.kafka().clientId()).isEqualTo("vigil-monitor-0");
    assertThat(c.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.events().outboxDir()).isEqualTo(dir.toAbsolutePath().resolve("vigil-outbox"));
    assertThat(c.events().outboxCapacity()).isEqualTo(10_000);
    assertThat(c.events().signingKey()).isNull();
  }

  @Test
  void aFullConfiguration() {
    VigilConfig c = valid(withMinimalTargets("""
        kafka:
          bootstrapServers: 127.0.0.1:9092,kafka-1:9093
          breachesTopic: my.breaches
          rollbacksTopic: my.rollbacks
          clientId: vigil-east
          deliveryTimeout: 10s
          properties:
            security.protocol: SASL_SSL
            sasl.mechanism: PLAIN
        events:
          outboxDir: /var/lib/vigil/outbox
          outboxCapacity: 500
          signingKey: private.pem
        """), dir);
    assertThat(c.kafka().enabled()).isTrue();
    assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092,kafka-1:9093");
    assertThat(c.kafka().breachesTopic()).isEqualTo("my.breaches");
    assertThat(c.kafka().rollbacksTopic()).isEqualTo("my.rollbacks");
    assertThat(c.kafka().clientId()).isEqualTo("vigil-east");
    assertThat(c.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.kafka().properties()).isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
    assertThat(c.kafka().toString()).doesNotContain("SASL_SSL");
    assertThat(c.events().outboxDir()).isEqualTo(Path.of("/var/lib/vigil/outbox"));
    assertThat(c.events().outboxCapacity()).isEqualTo(500);
    assertThat(c.events().signingKey().keyId()).isEqualTo(ConfigFixtures.ED1.keyId());
  }

  @Test
  void kafkaWithoutASigningKeyIsAnError() {
    assertThat(errors(withMinimalTargets("kafka: {bootstrapServers: '127.0.0.1:9092'}"), dir))
        .containsExactly("events: required when kafka.bootstrapServers is set: a mapping with signingKey, the PKCS#8 "
            + "PEM private key the monitor signs its events with");
    assertThat(errors(withMinimalTargets("kafka: {bootstrapServers: '127.0.0.1:9092'}\nevents: {outboxCapacity: 5}"), dir))
        .singleElement().asString().startsWith("events.signingKey: required when kafka.bootstrapServers is set");
  }

  @Test
  void anEmptyBootstrapTurnsKafkaOff() {
    assertThat(valid(withMinimalTargets("kafka: {bootstrapServers: ''}"), dir).kafka().enabled()).isFalse();
  }

  @Test
  void everyBadValueIsReportedAtItsPathAllAtOnce() {
    assertThat(errors(withMinimalTargets("""
        kafka:
          bootstrapServers: 'no port'
          breachesTopic: 'bad topic'
          rollbacksTopic: ''
          deliveryTimeout: 10ms
          properties: {acks: '0', ssl.truststore.location: /x}
          brokers: x
        events:
          outboxCapacity: 0
          signingKey: ed1.pub.pem
          dir: x
        """), dir)).satisfiesExactlyInAnyOrder(
            e -> assertThat(e).startsWith("kafka.brokers: unknown key; expected one of: bootstrapServers"),
            e -> assertThat(e).startsWith("kafka.bootstrapServers: must be host:port"),
            e -> assertThat(e).startsWith("kafka.breachesTopic: not a valid Kafka topic name"),
            e -> assertThat(e).startsWith("kafka.rollbacksTopic: not a valid Kafka topic name"),
            e -> assertThat(e).startsWith("kafka.deliveryTimeout: must be at least 1s"),
            e -> assertThat(e).startsWith("kafka.properties.acks: only security settings pass through"),
            e -> assertThat(e).startsWith("events.dir: unknown key; expected one of: outboxDir"),
            e -> assertThat(e).startsWith("events.outboxCapacity: must be from 1 to 10000000"),
            e -> assertThat(e).startsWith("events.signingKey: no usable private key in"));
  }

  @Test
  void aMissingKeyFileIsNamed() {
    assertThat(errors(withMinimalTargets("events: {signingKey: nope.pem}"), dir)).singleElement().asString()
        .startsWith("events.signingKey: cannot read").contains("nope.pem");
  }
  @Test
  void clientTuningPassesThrough() {
    VigilConfig c = valid(withMinimalTargets("""
        kafka:
          properties: {session.timeout.ms: '30000', linger.ms: '5', compression.type: zstd}
        """), dir);
    assertThat(c.kafka().properties())
        .isEqualTo(Map.of("session.timeout.ms", "30000", "linger.ms", "5", "compression.type", "zstd"));
  }

  @Test
  void aSettingVigilFixesIsRefusedAtItsPathListingWhatMayPass() {
    assertThat(errors(withMinimalTargets("kafka: {properties: {enable.auto.commit: 'true'}}"), dir))
        .singleElement().asString()
        .startsWith("kafka.properties.enable.auto.commit: only security settings pass through")
        .contains("session.timeout.ms, heartbeat.interval.ms, max.poll.interval.ms");
  }

  @Test
  void badTuningValuesAreNamed() {
    assertThat(errors(withMinimalTargets("""
        kafka:
          deliveryTimeout: 2s
          properties: {session.timeout.ms: ten, compression.type: brotli, linger.ms: '1001'}
        """), dir)).containsExactlyInAnyOrder(
            "kafka.properties.session.timeout.ms: must be a whole number from 0 to 999999999",
            "kafka.properties.compression.type: must be one of none, gzip, snappy, lz4, zstd",
            "kafka.properties.linger.ms: must be at most half of kafka.deliveryTimeout (1000)");
  }
}

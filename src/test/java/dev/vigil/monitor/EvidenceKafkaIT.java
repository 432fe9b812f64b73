package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.events.CheckpointPublisher;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.SignedCheckpoint;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Kafka configured, the monitor's signed evidence checkpoints reach {@code
 * constitutional.checkpoints} (events-v1: key = monitorId, value = the checkpoint text), each one
 * larger than the last, every one verifying with the monitor's event key.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EvidenceKafkaIT {
  @TempDir Path dir;

  @Test
  void checkpointsArePublishedSignedWithTheEventKey(KafkaBroker broker) throws Exception {
    Vertx vertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of("integrity-service")).withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    SigningKey eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    MonitorVerticle monitor = null;
    try {
      sim.writePublicKeys(dir);
      Files.writeString(dir.resolve("event.key.pem"), eventKey.privatePem());
      Path file = dir.resolve("vigil.yaml");
      Files.writeString(file, FleetHarness.yaml(sim, sim.targets(), "")
          + "kafka: {bootstrapServers: '" + broker.bootstrapServers() + "', deliveryTimeout: 5s}\n"
          + "events: {outboxDir: outbox, signingKey: event.key.pem}\n"
          + "evidence: {sampleInterval: 1s, flushInterval: 100ms, checkpointInterval: 1s}\n");
      ConfigResult r = ConfigLoader.load(file, Map.of());
      assertThat(r.errors()).isEmpty();
      monitor = MonitorBuilder.of(r.orElseThrow()).events(t -> { }).build();
      TestVertx.await(vertx.deployVerticle(monitor));

      NoteKey key = NoteKey.verifier("vigil.dev/test-monitor", eventKey.publicKey());
      List<Long> sizes = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
        TopicPartition tp = new TopicPartition(CheckpointPublisher.TOPIC, 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
            assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo("test-monitor");
            assertThat(new String(rec.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .startsWith("text/plain");
            SignedCheckpoint.Result opened = SignedCheckpoint.open(rec.value(), key);
            assertThat(opened).isInstanceOf(SignedCheckpoint.Verified.class);
            sizes.add(((SignedCheckpoint.Verified) opened).checkpoint().size());
          }
          return sizes.size() >= 3;
        });
      }
      assertThat(sizes).isSorted().doesNotHaveDuplicates();
      assertThat(sizes.get(0)).isPositive();
    } finally {
      if (monitor != null) {
        TestVertx.await(vertx.undeploy(monitor.deploymentID()));
      }
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }
}

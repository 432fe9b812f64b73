package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.KafkaConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.monitor.MonitorBuilder;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka store and the fleet view on a real broker (embedded KRaft, or a container when Docker
 * has the image): the topic is created compacted, a topic without compaction is refused (by the
 * store and by a monitor, which does not start), snapshots round-trip and tombstones drop them.
 * Each test uses a topic of its own, except the monitor's, which uses the real name.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaStateStoreIT {
  static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  static final TargetId A = new TargetId("auth-service", "green");
  static final TargetId B = new TargetId("integrity-service", "blue");
  @TempDir Path dir;

  static KafkaConfig kafka(KafkaBroker broker) {
    return new KafkaConfig(broker.bootstrapServers(), KafkaConfig.DEFAULT_BREACHES_TOPIC,
        KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "state-it", Duration.ofSeconds(10), Map.of());
  }

  /** The event signing key and a target key the configuration names. */
  static void writeKeys(Path dir) throws Exception {
    SigningKey key = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("event.key.pem"), key.privatePem());
    Files.writeString(dir.resolve("target.pub.pem"), key.publicKey().toPem());
  }

  static Admin admin(KafkaBroker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  static void createWithDelete(KafkaBroker broker, String topic) throws Exception {
    try (Admin admin = admin(broker)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE))))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  @Nested
  class Topic {
    @Test
    void isCreatedCompactedWhenAbsent(KafkaBroker broker) throws Exception {
      try (KafkaStateStore store = KafkaStateStore.open(kafka(broker), "it.state-created")) {
        assertThat(store.source()).isEqualTo("kafka");
      }
      try (Admin admin = admin(broker)) {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "it.state-created");
        assertThat(admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res)
            .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        assertThat(admin.describeTopics(List.of("it.state-created")).allTopicNames().get(30, TimeUnit.SECONDS)
            .get("it.state-created").partitions()).hasSize(StateTopic.PARTITIONS);
      }
      try (KafkaStateStore again = KafkaStateStore.open(kafka(broker), "it.state-created")) {
        assertThat(again.load(t -> true)).as("an existing compacted topic is accepted").isEmpty();
      }
    }

    @Test
    void aTopicWithoutCompactionIsRefusedNamingIt(KafkaBroker broker) throws Exception {
      createWithDelete(broker, "it.state-delete");
      assertThatThrownBy(() -> KafkaStateStore.open(kafka(broker), "it.state-delete"))
          .hasMessageContaining("the Kafka topic it.state-delete exists with cleanup.policy=delete")
          .hasMessageContaining("set cleanup.policy=compact");
    }

    @Test
    void aMonitorDoesNotStartOnAStateTopicWithoutCompaction(KafkaBroker broker) throws Exception {
      createWithDelete(broker, KafkaStateStore.TOPIC);
      writeKeys(dir);
      String yaml = "monitorId: state-kafka-it\nserver: {host: 127.0.0.1, port: 0}\n"
          + "kafka: {bootstrapServers: '" + broker.bootstrapServers() + "'}\n"
          + "events: {outboxDir: outbox, signingKey: event.key.pem}\n"
          + "targets:\n  - {service: svc, environment: green, url: 'http://127.0.0.1:9', keys: [{file: target.pub.pem}]}\n";
      ConfigResult r = ConfigLoader.parse(yaml, dir, Map.of());
      assertThat(r.errors()).isEmpty();
      VigilConfig config = r.orElseThrow();
      Vertx vertx = TestVertx.create();
      try {
        assertThatThrownBy(() -> TestVertx.await(vertx.deployVerticle(MonitorBuilder.of(config).build())))
            .isInstanceOf(ExecutionException.class).cause()
            .hasMessageContaining("the Kafka topic constitutional.monitor-state exists with cleanup.policy=delete");
      } finally {
        TestVertx.await(vertx.close());
      }
    }
  }

  @Nested
  class Records {
    @Test
    void savedSnapshotsAreLoadedByAnotherStoreAndTombstonesDropThem(KafkaBroker broker) throws Exception {
      TargetSnapshot a = StateFixtures.snapshot(A, NOW);
      TargetSnapshot b = StateFixtures.snapshot(B, NOW);
      try (KafkaStateStore store = KafkaStateStore.open(kafka(broker), "it.state-records")) {
        store.save(List.of(a, b));
        store.save(List.of(StateFixtures.snapshot(A, NOW.plusSeconds(5))));
      }
      try (KafkaStateStore other = KafkaStateStore.open(kafka(broker), "it.state-records")) {
        assertThat(other.load(t -> true)).containsOnlyKeys(A, B);
        assertThat(other.load(List.of(A))).containsExactly(Map.entry(A, StateFixtures.snapshot(A, NOW.plusSeconds(5))));
        other.drop(List.of(A));
        assertThat(other.load(t -> true)).containsOnlyKeys(B);
      }
    }

    @Test
    void theFleetViewTailsSavesAndDropsNamingTheMonitorThatSaved(KafkaBroker broker) throws Exception {
      try (KafkaStateStore store = KafkaStateStore.open(kafka(broker), "it.state-fleet", "monitor-a");
          KafkaStateStore anonymous = KafkaStateStore.open(kafka(broker), "it.state-fleet")) {
        store.save(List.of(StateFixtures.snapshot(A, NOW)));
        try (KafkaFleetState view = KafkaFleetState.open(kafka(broker), "it.state-fleet", Duration.ofMinutes(5))) {
          await().atMost(Duration.ofSeconds(30)).until(view::caughtUp);
          assertThat(view.latest()).containsOnlyKeys(A);
          assertThat(view.latest().get(A).savedBy()).isEqualTo("monitor-a");
          anonymous.save(List.of(StateFixtures.snapshot(B, NOW)));
          await().atMost(Duration.ofSeconds(30)).until(() -> view.latest().containsKey(B));
          store.drop(List.of(A));
          await().atMost(Duration.ofSeconds(30)).until(() -> !view.latest().containsKey(A));
          FleetState.Entry b = view.latest().get(B);
          assertThat(b.savedBy()).as("a record without the header names no monitor").isNull();
          assertThat(b.verdict()).isEqualTo(Verdict.HASH_MISMATCH);
          assertThat(b.verdictAt()).isEqualTo(NOW.minusSeconds(1));
          assertThat(b.savedAt()).isEqualTo(NOW);
          assertThat(b.score()).as("the one poll of its window failed").isEqualTo(0.0);
          assertThat(b.openBreaches()).extracting(x -> x.breachId()).containsExactly("b-integrity-service");
        }
      }
    }
  }
}

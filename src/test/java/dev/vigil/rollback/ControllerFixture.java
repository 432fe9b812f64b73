package dev.vigil.rollback;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.SignedEvent;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Keys, configuration, breach events and topic reading for the controller's integration tests. */
final class ControllerFixture {
  static final SigningKey MONITOR_KEY = Keys.generate(Scheme.ED25519, new SecureRandom());
  static final SigningKey CONTROLLER_KEY = Keys.generate(Scheme.ED25519, new SecureRandom());
  static final SigningKey STRANGER_KEY = Keys.generate(Scheme.ED25519, new SecureRandom());

  private ControllerFixture() {}

  /** Writes keys and vigil.yaml for a controller against {@code sim} and the broker; returns the file. */
  static Path config(Path dir, FleetSimulator sim, String bootstrap, String topicPrefix, String group,
      String rollbackExtra) throws Exception {
    return config(dir, sim, bootstrap, topicPrefix, group, rollbackExtra, "");
  }

  /** As above; {@code controllerExtra} adds indented lines to the {@code controller} section. */
  static Path config(Path dir, FleetSimulator sim, String bootstrap, String topicPrefix, String group,
      String rollbackExtra, String controllerExtra) throws Exception {
    sim.writePublicKeys(dir);
    Files.writeString(dir.resolve("monitor-event.pub.pem"), MONITOR_KEY.publicKey().toPem());
    Files.writeString(dir.resolve("controller-event.key.pem"), CONTROLLER_KEY.privatePem());
    StringBuilder y = new StringBuilder("monitorId: it-controller\ntargets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: \"").append(sim.baseUrl(t)).append("\", timeout: 1s, retries: 0, keys: [{file: ")
          .append(t.service()).append('-').append(t.environment()).append(".pub.pem}]}\n");
    }
    y.append("kafka:\n  bootstrapServers: \"").append(bootstrap).append("\"\n  breachesTopic: ").append(topicPrefix)
        .append(".breaches\n  rollbacksTopic: ").append(topicPrefix).append(".rollbacks\n  deadLetterTopic: ")
        .append(topicPrefix).append(".breaches.dlq\n  deliveryTimeout: 20s\n")
        .append("events:\n  outboxDir: outbox\n  signingKey: controller-event.key.pem\n")
        .append("controller:\n  trustedMonitorKeys: [{file: monitor-event.pub.pem}]\n  consumerGroup: ").append(group)
        .append("\n  host: 127.0.0.1\n  port: 0\n").append(controllerExtra)
        .append("rollback:\n").append(rollbackExtra.contains("validation:") ? ""
            : "  validation: {consecutive: 2, timeout: 20s, interval: 200ms}\n  executionTimeout: 40s\n")
        .append("  dedupDir: dedup\n  actuators:\n    default: {type: simulator, url: \"").append(sim.adminUrl())
        .append("\", timeout: 5s}\n").append(rollbackExtra);
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, y);
    return file;
  }

  static CloudEvent opened(String service, String suffix) {
    return opened(service, suffix, Instant.now());
  }

  /** A {@code breach.opened} of {@code service} dated {@code now}. */
  static CloudEvent opened(String service, String suffix, Instant now) {
    BreachData b = new BreachData("b-" + service + "-green-hash_mismatch-" + suffix, service, "green", "hash_mismatch",
        "critical", "hash_mismatch", "deadbeefdeadbeef", "cdd01ef066bc6cf2", 0.833, 180, 1, now, null, "monitor-0");
    return CloudEvent.breach(CloudEvent.BREACH_OPENED, b);
  }

  /** The {@code breach.resolved} of {@code opened}'s breach, resolved at {@code at}. */
  static CloudEvent resolved(CloudEvent opened, Instant at) {
    BreachData o = (BreachData) opened.data();
    return CloudEvent.breach(CloudEvent.BREACH_RESOLVED, new BreachData(o.breachId(), o.service(), o.environment(),
        o.rule(), o.severity(), o.verdict(), o.observed(), o.expected(), o.complianceScore(), o.windowSeconds(),
        o.consecutiveFailures(), o.openedAt(), at, o.monitor()));
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
  }

  static void send(KafkaProducer<byte[], byte[]> p, String topic, SignedEvent e) throws Exception {
    p.send(e.toRecord(topic)).get(30, TimeUnit.SECONDS);
  }

  static void sendRaw(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value) throws Exception {
    p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
  }

  /** A fresh group-less reader of {@code topic}, from the beginning. */
  static KafkaConsumer<byte[], byte[]> reader(String bootstrap, String topic) {
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    c.subscribe(List.of(topic));
    return c;
  }

  /** Polls {@code reader} until {@code n} rollback.finished events arrived (verified with the controller's key). */
  static List<RollbackFinished> finished(KafkaConsumer<byte[], byte[]> reader, List<RollbackFinished> sofar, int n,
      Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (sofar.size() < n && System.nanoTime() < end) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        EventCodec.Decoded d = EventCodec.verify(r.value(), TrustStore.of(CONTROLLER_KEY.trusted()), Instant.now());
        if (!(d instanceof EventCodec.Accepted a)) {
          throw new AssertionError("rollback.finished does not verify: " + d);
        }
        if (!CloudEvent.ROLLBACK_FINISHED.equals(a.event().type())) {
          throw new AssertionError("unexpected type " + a.event().type());
        }
        RollbackFinished f = (RollbackFinished) a.event().data();
        if (!new String(r.key(), StandardCharsets.UTF_8).equals(f.service())) {
          throw new AssertionError("key is not the service: " + f);
        }
        sofar.add(f);
      }
    }
    if (sofar.size() < n) {
      throw new AssertionError("only " + sofar.size() + " of " + n + " rollback.finished within " + max + ": " + sofar);
    }
    return new ArrayList<>(sofar);
  }

  /** Every record {@code reader} gets within {@code max} (for asserting that nothing more came). */
  static List<ConsumerRecord<byte[], byte[]>> drain(KafkaConsumer<byte[], byte[]> reader, Duration max) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      reader.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  /** The sum of {@code group}'s committed offsets over every partition of {@code topic}. */
  static long committedTotal(String bootstrap, String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset()).sum();
    }
  }

  /** The committed offset of {@code group} on partition 0 of {@code topic}, or -1. */
  static long committed(String bootstrap, String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS);
      OffsetAndMetadata o = m.get(new TopicPartition(topic, 0));
      return o == null ? -1 : o.offset();
    }
  }
}

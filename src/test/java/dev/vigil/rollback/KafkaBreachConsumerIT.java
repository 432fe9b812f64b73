package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.KafkaConfig;
import dev.vigil.events.KafkaProducers;
import dev.vigil.events.VertxKafkaProducer;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The breach consumer on a real broker with a real dead-letter topic. The record handler is the
 * test's (the consumer's contract is "a future per record"): it fails on purpose, non-retriably
 * or retriably, where the real handler would fail only on a bug or an unreachable broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaBreachConsumerIT {
  Vertx vertx;
  PrometheusMeterRegistry registry;
  Producer<byte[], byte[]> dlqProducer;
  KafkaBreachConsumer consumer;
  KafkaProducer<byte[], byte[]> producer;
  String prefix;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final List<String> handled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) {
    vertx = TestVertx.create();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prefix = "it.consumer." + info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (consumer != null) {
      consumer.close();
    }
    if (dlqProducer != null) {
      dlqProducer.close();
    }
    if (producer != null) {
      producer.close();
    }
    TestVertx.await(vertx.close());
    registry.close();
  }

  KafkaConfig kafka(KafkaBroker broker) {
    return new KafkaConfig(broker.bootstrapServers(), prefix + ".breaches", prefix + ".rollbacks",
        prefix + ".breaches.dlq", "it-consumer", Duration.ofSeconds(20), Map.of());
  }

  /** Starts a consumer whose handler fails every {@code poison} record with {@code failure} ({@code times} times). */
  void start(KafkaBroker broker, String poison, RuntimeException failure, int times) {
    KafkaConfig k = kafka(broker);
    dlqProducer = KafkaProducers.create(k);
    KafkaBreachConsumer.RecordHandler handler = (r, later) -> {
      String v = new String(r.value(), StandardCharsets.UTF_8);
      int n = calls.computeIfAbsent(v, x -> new AtomicInteger()).incrementAndGet();
      if (v.equals(poison) && n <= times) {
        return Future.failedFuture(failure);
      }
      handled.add(v);
      return Future.succeededFuture();
    };
    RollbackMetrics metrics = new RollbackMetrics(registry);
    consumer = new KafkaBreachConsumer(k, prefix + "-group", "it", vertx.getOrCreateContext(), handler,
        new KafkaDeadLetters(new VertxKafkaProducer(vertx, dlqProducer), k.deadLetterTopic()), 3,
        new PartitionProgress(Clock.systemUTC(), registry), metrics, Clock.systemUTC()).start();
    producer = ControllerFixture.producer(broker.bootstrapServers());
  }

  double deadLettered(String reason) {
    var c = registry.find("constitutional.rollback.dead.lettered").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aRecordThatAlwaysFailsIsDeadLetteredAfterThreeAttemptsAndTheNextOneIsHandled(KafkaBroker broker)
      throws Exception {
    start(broker, "poison", new IllegalStateException("a bug the record triggers"), Integer.MAX_VALUE);
    String topic = prefix + ".breaches";
    ControllerFixture.sendRaw(producer, topic, "svc", "poison".getBytes(StandardCharsets.UTF_8));
    ControllerFixture.sendRaw(producer, topic, "svc", "next".getBytes(StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("next"));
    assertThat(calls.get("poison")).hasValue(3);
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), prefix + "-group", topic) == 2);
    assertThat(deadLettered("internal_error")).isEqualTo(1.0);

    try (KafkaConsumer<byte[], byte[]> dlq = ControllerFixture.reader(broker.bootstrapServers(), prefix + ".breaches.dlq")) {
      List<ConsumerRecord<byte[], byte[]>> got = new CopyOnWriteArrayList<>();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        dlq.poll(Duration.ofMillis(200)).forEach(got::add);
        return !got.isEmpty();
      });
      ConsumerRecord<byte[], byte[]> r = got.get(0);
      assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("svc");
      assertThat(header(r, KafkaDeadLetters.REASON)).isEqualTo("internal_error");
      assertThat(header(r, KafkaDeadLetters.DETAIL)).contains("a bug the record triggers");
      assertThat(header(r, KafkaDeadLetters.TOPIC)).isEqualTo(topic);
      assertThat(header(r, KafkaDeadLetters.PARTITION)).isEqualTo("0");
      assertThat(header(r, KafkaDeadLetters.OFFSET)).isEqualTo("0");
      assertThat(header(r, KafkaDeadLetters.ATTEMPTS)).isEqualTo("3");
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.scrape())
        .contains("constitutional_rollback_dead_lettered_total{reason=\"internal_error\"} 1.0",
            "constitutional_rollback_consumer_lag{partition=\"0\"} 0.0"));
  }

  @Test
  void aRetriableFailureIsRetriedBeyondTheAttemptsAndNeverDeadLettered(KafkaBroker broker) throws Exception {
    start(broker, "slow", new TimeoutException("the rollbacks topic is unreachable"), 4);
    String topic = prefix + ".breaches";
    ControllerFixture.sendRaw(producer, topic, "svc", "slow".getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("slow"));
    assertThat(calls.get("slow")).hasValue(5);
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), prefix + "-group", topic) == 1);
    assertThat(deadLettered("kafka_error") + deadLettered("internal_error")).isZero();
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}

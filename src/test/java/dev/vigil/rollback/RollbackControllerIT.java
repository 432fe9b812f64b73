package dev.vigil.rollback;

import static dev.vigil.rollback.ControllerFixture.MONITOR_KEY;
import static dev.vigil.rollback.ControllerFixture.STRANGER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.SignedEvent;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback controller on a real broker: signed breach events produced with the monitor's
 * {@link EventCodec}, the controller ({@link RollbackController}: consumer group, engine, Kafka
 * outcome sink) moving the simulator's traffic router, blue validated, {@code rollback.finished}
 * read back and verified per events-v1, offsets committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RollbackControllerIT {
  static final List<String> SERVICES = List.of("integrity-service", "auth-service", "executive-council-service");
  @TempDir Path dir;
  Vertx vertx;
  FleetSimulator sim;
  PrometheusMeterRegistry registry;
  RollbackController controller;
  KafkaProducer<byte[], byte[]> producer;
  KafkaConsumer<byte[], byte[]> reader;
  String prefix;
  String group;
  final List<RollbackFinished> seen = new ArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults().withServices(SERVICES)
        .withEnvironments(List.of("green", "blue")).withBasePort(0).withAdminPort(0)));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prefix = "it." + info.getTestMethod().orElseThrow().getName();
    group = "it-group-" + info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (controller != null) {
      TestVertx.await(controller.close());
    }
    if (producer != null) {
      producer.close();
    }
    if (reader != null) {
      reader.close();
    }
    TestVertx.await(sim.stop());
    TestVertx.await(vertx.close());
    registry.close();
  }

  void start(KafkaBroker broker, String rollbackExtra) throws Exception {
    Path file = ControllerFixture.config(dir, sim, broker.bootstrapServers(), prefix, group, rollbackExtra);
    VigilConfig config = ConfigLoader.load(file, Map.of()).orElseThrow();
    controller = TestVertx.await(RollbackController.start(vertx, config, registry, Clock.systemUTC(), () -> {
      throw new IllegalStateException("no Kubernetes here");
    }));
    producer = ControllerFixture.producer(broker.bootstrapServers());
    reader = ControllerFixture.reader(broker.bootstrapServers(), prefix + ".rollbacks");
    await().atMost(Duration.ofSeconds(30)).until(controller::ready);
  }

  double rejected(String reason) {
    var c = registry.find("constitutional.rollback.events.rejected").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void signedBreachRollsBackValidatesBluePublishesAndCommitsThenSkipsTheDuplicate(KafkaBroker broker) throws Exception {
    start(broker, "");
    SignedEvent signed = new EventCodec(MONITOR_KEY).sign(ControllerFixture.opened("integrity-service", "1"));
    String breaches = prefix + ".breaches";
    ControllerFixture.send(producer, breaches, signed);

    RollbackFinished f = ControllerFixture.finished(reader, seen, 1, Duration.ofSeconds(40)).get(0);
    assertThat(f.status()).isEqualTo(RollbackFinished.Status.SUCCEEDED);
    assertThat(f.breachEventId()).isEqualTo(signed.id());
    assertThat(f.service()).isEqualTo("integrity-service");
    assertThat(f.from()).isEqualTo("green");
    assertThat(f.to()).isEqualTo("blue");
    assertThat(f.detail()).contains("blue attested compliant");
    assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
    assertThat(sim.traffic().changes("integrity-service")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 1);

    // The same event delivered again (a producer retry): skipped as a duplicate, nothing moves.
    ControllerFixture.send(producer, breaches, signed);
    RollbackFinished dup = ControllerFixture.finished(reader, seen, 2, Duration.ofSeconds(30)).get(1);
    assertThat(dup.status()).isEqualTo(RollbackFinished.Status.SKIPPED);
    assertThat(dup.detail()).startsWith("duplicate");
    assertThat(sim.traffic().changes("integrity-service")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 2);
    assertThat(rejected("duplicate")).isEqualTo(1.0);
  }

  @Test
  void forgedEventsAreRejectedAndReportedWithoutMovingTraffic(KafkaBroker broker) throws Exception {
    start(broker, "");
    String breaches = prefix + ".breaches";
    // Unsigned: the bare CloudEvent as the value.
    CloudEvent unsigned = ControllerFixture.opened("integrity-service", "u");
    ControllerFixture.sendRaw(producer, breaches, "integrity-service", EventCodec.toJson(unsigned));
    // Signed by a key the controller does not trust.
    ControllerFixture.send(producer, breaches, new EventCodec(STRANGER_KEY).sign(ControllerFixture.opened("auth-service", "s")));
    // Signed by the monitor, then its payload changed to another service.
    SignedEvent genuine = new EventCodec(MONITOR_KEY).sign(ControllerFixture.opened("auth-service", "t"));
    ObjectNode envelope = (ObjectNode) new ObjectMapper().readTree(genuine.value());
    String forged = new String(Base64.getDecoder().decode(envelope.get("payload").textValue()), StandardCharsets.UTF_8)
        .replace("auth-service", "executive-council-service");
    envelope.put("payload", Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
    ControllerFixture.sendRaw(producer, breaches, "executive-council-service",
        new ObjectMapper().writeValueAsBytes(envelope));
    // Garbage: counted as malformed, nothing reported (nothing in it can be read).
    ControllerFixture.sendRaw(producer, breaches, "x", "not json".getBytes(StandardCharsets.UTF_8));

    List<RollbackFinished> got = ControllerFixture.finished(reader, seen, 3, Duration.ofSeconds(30));
    assertThat(got).extracting(RollbackFinished::status).containsOnly(RollbackFinished.Status.SKIPPED);
    assertThat(got).allSatisfy(f -> assertThat(f.detail()).startsWith("untrusted_event"));
    assertThat(got).extracting(RollbackFinished::service)
        .containsExactly("integrity-service", "auth-service", "executive-council-service");
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 4);
    assertThat(rejected("untrusted_event")).isEqualTo(3.0);
    assertThat(rejected("malformed")).isEqualTo(1.0);
    for (String s : SERVICES) {
      assertThat(sim.traffic().changes(s)).as(s).isZero();
    }
  }

  @Test
  void cooldownAndBlastRadiusHold(KafkaBroker broker) throws Exception {
    start(broker, "  cooldown: 10m\n  blastRadius: {max: 2, window: 10m}\n");
    String breaches = prefix + ".breaches";
    EventCodec codec = new EventCodec(MONITOR_KEY);
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("integrity-service", "a")));
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("integrity-service", "b")));
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("auth-service", "c")));
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("executive-council-service", "d")));

    List<RollbackFinished> got = ControllerFixture.finished(reader, seen, 4, Duration.ofSeconds(60));
    assertThat(got).extracting(f -> f.service() + " " + f.status().label() + " "
        + (f.status() == RollbackFinished.Status.SKIPPED ? f.detail().split(":")[0] : "")).containsExactly(
        "integrity-service succeeded ", "integrity-service skipped cooldown", "auth-service succeeded ",
        "executive-council-service skipped blast_radius");
    assertThat(sim.traffic().changes("integrity-service")).isEqualTo(1);
    assertThat(sim.traffic().changes("auth-service")).isEqualTo(1);
    assertThat(sim.traffic().changes("executive-council-service")).isZero();
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 4);
  }

  @Test
  void twoInstancesOfOneGroupShareThePartitionsAndTheSurvivorTakesOver(KafkaBroker broker) throws Exception {
    String breaches = prefix + ".breaches";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(breaches, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    start(broker, "");
    Path other = Files.createDirectories(dir.resolve("second"));
    VigilConfig second = ConfigLoader.load(ControllerFixture.config(other, sim, broker.bootstrapServers(), prefix, group,
        ""), Map.of()).orElseThrow();
    PrometheusMeterRegistry secondRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    {
      RollbackController b = TestVertx.await(RollbackController.start(vertx, second, secondRegistry,
          Clock.systemUTC(), () -> {
            throw new IllegalStateException("no Kubernetes here");
          }));
      try {
        await().atMost(Duration.ofSeconds(40))
            .until(() -> controller.assignedPartitions() == 1 && b.assignedPartitions() == 1);
        EventCodec codec = new EventCodec(MONITOR_KEY);
        for (String s : SERVICES) {
          ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened(s, "shared")));
        }
        List<RollbackFinished> got = ControllerFixture.finished(reader, seen, 3, Duration.ofSeconds(60));
        assertThat(got).extracting(RollbackFinished::status).containsOnly(RollbackFinished.Status.SUCCEEDED);
        assertThat(got).extracting(RollbackFinished::service).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (String s : SERVICES) {
          assertThat(sim.traffic().changes(s)).as(s).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(15))
            .until(() -> ControllerFixture.committedTotal(broker.bootstrapServers(), group, breaches) == 3);
      } finally {
        TestVertx.await(b.close());
        secondRegistry.close();
      }
    }
    // The survivor takes both partitions over and goes on from the committed offsets.
    await().atMost(Duration.ofSeconds(40)).until(() -> controller.assignedPartitions() == 2);
    for (int p = 0; p < 2; p++) {
      producer.send(new ProducerRecord<>(breaches, p, "x".getBytes(StandardCharsets.UTF_8),
          "not json".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committedTotal(broker.bootstrapServers(), group, breaches) == 5);
    assertThat(rejected("malformed")).isEqualTo(2.0);
  }
}

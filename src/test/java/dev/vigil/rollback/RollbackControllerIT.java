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
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
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
    start(broker, rollbackExtra, "");
  }

  void start(KafkaBroker broker, String rollbackExtra, String controllerExtra) throws Exception {
    Path file = ControllerFixture.config(dir, sim, broker.bootstrapServers(), prefix, group, rollbackExtra,
        controllerExtra);
    VigilConfig config = ConfigLoader.load(file, Map.of()).orElseThrow();
    controller = TestVertx.await(RollbackController.start(vertx, config, registry, Clock.systemUTC(), () -> {
      throw new IllegalStateException("no Kubernetes here");
    }));
    if (producer == null) {
      producer = ControllerFixture.producer(broker.bootstrapServers());
    }
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
  void forgedEventsAreCountedAndCommittedButNeverAnsweredWithASignedEvent(KafkaBroker broker) throws Exception {
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
    // An unsigned 900 KB breach event: answering it (signed, its id and breachId copied) would be 1.2 MB.
    String big = "b-integrity-service-green-hash_mismatch-" + "x".repeat(900_000);
    ControllerFixture.sendRaw(producer, breaches, "integrity-service",
        new String(EventCodec.toJson(unsigned), StandardCharsets.UTF_8)
            .replace(((dev.vigil.events.BreachData) unsigned.data()).breachId(), big).getBytes(StandardCharsets.UTF_8));
    // Garbage.
    ControllerFixture.sendRaw(producer, breaches, "x", "not json".getBytes(StandardCharsets.UTF_8));
    // Then a genuine breach: it is acted on, and it is the only thing answered.
    SignedEvent real = new EventCodec(MONITOR_KEY).sign(ControllerFixture.opened("executive-council-service", "r"));
    ControllerFixture.send(producer, breaches, real);

    RollbackFinished only = ControllerFixture.finished(reader, seen, 1, Duration.ofSeconds(40)).get(0);
    assertThat(only.breachEventId()).isEqualTo(real.id());
    assertThat(only.status()).isEqualTo(RollbackFinished.Status.SUCCEEDED);
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 6);
    // The forged records came first on the partition: nothing but the genuine answer was published.
    assertThat(seen).hasSize(1);
    assertThat(ControllerFixture.drain(reader, Duration.ofSeconds(2))).isEmpty();
    assertThat(rejected("untrusted_event")).as("the stranger's key").isGreaterThanOrEqualTo(1.0);
    assertThat(rejected("untrusted_event") + rejected("malformed")).isEqualTo(5.0);
    assertThat(sim.traffic().changes("integrity-service")).isZero();
    assertThat(sim.traffic().changes("auth-service")).isZero();
    assertThat(sim.traffic().changes("executive-council-service")).isEqualTo(1);
  }

  @Test
  void aTwentyByteRecordDoesNotFreezeRollbacks(KafkaBroker broker) throws Exception {
    start(broker, "");
    String breaches = prefix + ".breaches";
    byte[] poison = "{\"x\":1e999999999999}".getBytes(StandardCharsets.UTF_8);
    assertThat(poison).hasSize(20);
    ControllerFixture.sendRaw(producer, breaches, "x", poison);
    SignedEvent signed = new EventCodec(MONITOR_KEY).sign(ControllerFixture.opened("integrity-service", "p"));
    ControllerFixture.send(producer, breaches, signed);

    RollbackFinished f = ControllerFixture.finished(reader, seen, 1, Duration.ofSeconds(40)).get(0);
    assertThat(f.breachEventId()).isEqualTo(signed.id());
    assertThat(f.status()).isEqualTo(RollbackFinished.Status.SUCCEEDED);
    assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 2);
    assertThat(rejected("malformed")).isEqualTo(1.0);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(registry.scrape()).contains(
        "constitutional_rollback_consumer_lag{partition=\"0\"} 0.0",
        "constitutional_rollback_oldest_unfinished_seconds{partition=\"0\"} 0.0"));
    assertThat(controller.notReady()).isEmpty();
  }

  @Test
  void replayedMistimedAndAlreadyResolvedEventsAreSkippedAsStale(KafkaBroker broker) throws Exception {
    String breaches = prefix + ".breaches";
    producer = ControllerFixture.producer(broker.bootstrapServers());
    EventCodec codec = new EventCodec(MONITOR_KEY);
    Instant now = Instant.now();
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("integrity-service", "replayed",
        now.minus(Duration.ofHours(1)))));
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("auth-service", "2001",
        Instant.parse("2001-09-01T12:00:00Z"))));
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.opened("auth-service", "2099",
        Instant.parse("2099-09-01T12:00:00Z"))));
    // Opened, then resolved (a broker outage held both back): one fetched batch when the controller starts.
    CloudEvent opened = ControllerFixture.opened("executive-council-service", "resolved", now);
    ControllerFixture.send(producer, breaches, codec.sign(opened));
    ControllerFixture.send(producer, breaches, codec.sign(ControllerFixture.resolved(opened, now.plusSeconds(5))));
    start(broker, "");

    List<RollbackFinished> got = ControllerFixture.finished(reader, seen, 4, Duration.ofSeconds(40));
    assertThat(got).extracting(RollbackFinished::status).containsOnly(RollbackFinished.Status.SKIPPED);
    assertThat(got).extracting(RollbackFinished::detail).satisfiesExactly(
        d -> assertThat(d).startsWith("stale_event: the breach event is dated ").endsWith("older than maxEventAge (10m)"),
        d -> assertThat(d).isEqualTo("stale_event: the breach event is dated 2001-09-01T12:00:00Z, older than"
            + " maxEventAge (10m)"),
        d -> assertThat(d).isEqualTo("stale_event: the breach event is dated 2099-09-01T12:00:00Z, more than 1m in"
            + " the future"),
        d -> assertThat(d).startsWith("stale_event: breach " + ((dev.vigil.events.BreachData) opened.data()).breachId()
            + " was already resolved by a later event in the same batch (breach.resolved "));
    for (String s : SERVICES) {
      assertThat(sim.traffic().changes(s)).as(s).isZero();
    }
    await().atMost(Duration.ofSeconds(15))
        .until(() -> ControllerFixture.committed(broker.bootstrapServers(), group, breaches) == 5);
  }

  @Test
  void readinessTurns503WhileAPartitionDoesNotAdvance(KafkaBroker broker) throws Exception {
    // Blue is tampered: validation runs its whole 8 s, holding the partition longer than the 1 s threshold.
    TestVertx.await(sim.setFault(new TargetId("integrity-service", "blue"), Fault.TAMPERED_HASH));
    start(broker, "  validation: {consecutive: 2, timeout: 8s, interval: 200ms}\n  executionTimeout: 20s\n",
        "  stallThreshold: 1s\n");
    HttpServer server = TestVertx.await(ControllerHttp.start(vertx, "127.0.0.1", 0, registry, controller::notReady));
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + server.actualPort() + "/health/ready");
      assertThat(http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      String breaches = prefix + ".breaches";
      ControllerFixture.send(producer, breaches, new EventCodec(MONITOR_KEY).sign(
          ControllerFixture.opened("integrity-service", "slow")));
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("partition 0 of the breaches topic has had 1 records waiting for");
      });
      assertThat(registry.scrape()).containsPattern(
          "constitutional_rollback_oldest_unfinished_seconds\\{partition=\"0\"} [1-9]");
      RollbackFinished f = ControllerFixture.finished(reader, seen, 1, Duration.ofSeconds(40)).get(0);
      assertThat(f.status()).isEqualTo(RollbackFinished.Status.VALIDATION_FAILED);
      await().atMost(Duration.ofSeconds(15)).until(() -> http.send(HttpRequest.newBuilder(ready).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    } finally {
      TestVertx.await(server.close());
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

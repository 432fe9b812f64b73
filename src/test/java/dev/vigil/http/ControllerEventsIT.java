package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.KafkaConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.KafkaProducers;
import dev.vigil.events.RollbackFinished;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.monitor.FleetHarness;
import dev.vigil.poll.TestVertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real monitor with a {@code kafka} section reads the rollback controller's topics from a real
 * broker: a signed {@code rollback.finished} published before the monitor starts and {@code
 * rollout.step} events on a topic created after it started show on the status pages (traffic
 * weights in the cells, the rollout at the top, the service's rollbacks and rollouts on its target
 * page); records signed by a stranger's key or not signed at all are counted, never shown.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ControllerEventsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void theControllersSignedEventsShowOnThePagesAndForgedOnesDoNot(KafkaBroker broker) throws Exception {
    TestVertx.warmUpHttp();
    SigningKey eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    SigningKey stranger = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("event.key.pem"), eventKey.privatePem());
    EventCodec controller = new EventCodec(eventKey);
    KafkaConfig kafka = new KafkaConfig(broker.bootstrapServers(), KafkaConfig.DEFAULT_BREACHES_TOPIC,
        KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "controller-events-it", Duration.ofSeconds(10), Map.of());
    Instant now = Instant.now();
    FleetHarness h = null;
    try (Producer<byte[], byte[]> producer = KafkaProducers.create(kafka)) {
      CloudEvent rollback = TrafficFixtures.rollback("integrity-service", "r-it-1", RollbackFinished.Status.SUCCEEDED,
          now.minusSeconds(42));
      producer.send(controller.sign(rollback).toRecord("constitutional.rollbacks")).get();
      // a forged rollback of another service: signed by a key the monitor does not trust
      producer.send(new EventCodec(stranger).sign(TrafficFixtures.rollback("auth-service", "r-forged",
          RollbackFinished.Status.SUCCEEDED, now)).toRecord("constitutional.rollbacks")).get();

      h = FleetHarness.start(List.of("auth-service", "integrity-service"), List.of("blue", "green"), dir,
          "kafka: {bootstrapServers: '" + broker.bootstrapServers() + "', deliveryTimeout: 5s}\n"
              + "events: {outboxDir: outbox, signingKey: event.key.pem}\n");
      FleetHarness fleet = h;
      await().atMost(FleetHarness.deadline()).until(() -> fleet.get("/health/ready").statusCode() == 200);

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cell(fleet, "integrity-service/blue"))
          .contains("rollback r-it-1 succeeded").contains(">100 %</span>"));
      assertThat(cell(h, "integrity-service/green")).contains(">0 %</span>");
      assertThat(cell(h, "auth-service/blue")).as("the forged rollback moved nothing").contains(">unknown</span>");

      // the rollouts topic does not exist yet: the monitor finds it when the controller first writes to it
      producer.send(controller.sign(TrafficFixtures.step("auth-service", "m-auth-it", 1, "progressing", now))
          .toRecord("constitutional.rollouts")).get();
      producer.send(controller.sign(TrafficFixtures.step("auth-service", "m-auth-it", 2, "progressing", now.plusSeconds(1)))
          .toRecord("constitutional.rollouts")).get();
      producer.send(new ProducerRecord<>("constitutional.rollouts", "auth-service".getBytes(StandardCharsets.UTF_8),
          "{\"payloadType\":\"not an envelope\"}".getBytes(StandardCharsets.UTF_8))).get();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode parts = JSON.readTree(fleet.get(StatusPage.PARTS_PATH).body());
        assertThat(parts.get("attention").asText()).contains("1 rollout in progress")
            .contains("data-rollout-id=\"m-auth-it\"").contains("2 of 4").contains("blue 50 % · green 50 %")
            .contains("2 events on constitutional.rollbacks and constitutional.rollouts failed verification");
        assertThat(parts.get("grid").asText()).doesNotContain("r-forged");
      });
      assertThat(cell(h, "auth-service/green")).contains(">50 %</span>");

      String page = h.get("/targets/integrity-service/blue").body();
      assertThat(page).contains("Rollbacks of integrity-service (1)").contains("data-rollback-id=\"r-it-1\"")
          .contains("✓ succeeded").contains("green → blue").contains("<b class=\"weight\">100 %</b>");
      assertThat(h.get("/targets/auth-service/green").body()).contains("Rollouts of auth-service (1)")
          .contains("data-rollout-id=\"m-auth-it\"").contains("Rollbacks of auth-service (0)").doesNotContain("r-forged");
    } finally {
      if (h != null) {
        h.close();
      }
    }
  }

  /** The grid cell of {@code target} ("service/environment") on the status page. */
  private static String cell(FleetHarness h, String target) throws Exception {
    String html = h.get("/").body();
    int at = html.indexOf("data-target=\"" + target + "\"");
    assertThat(at).as("cell %s", target).isPositive();
    return html.substring(at, html.indexOf("</td>", at));
  }
}

package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil monitor} itself, as a child process, with a {@code kafka} section: a tampered
 * service of the real simulator becomes a signed {@code breach.opened} on
 * {@code constitutional.breaches}, and the monitor's /metrics counts it as published.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitorKafkaIT {
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");
  @TempDir Path dir;

  @Test
  void aTamperedServiceBecomesASignedBreachEventInKafka(KafkaBroker broker) throws Exception {
    Vertx vertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of(VICTIM.service())).withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    SigningKey eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    Process monitor = null;
    try {
      sim.writePublicKeys(dir);
      Files.writeString(dir.resolve("event.key.pem"), eventKey.privatePem());
      Path config = dir.resolve("vigil.yaml");
      Files.writeString(config, FleetHarness.yaml(sim, sim.targets(), "")
          + "kafka: {bootstrapServers: '" + broker.bootstrapServers() + "', deliveryTimeout: 5s}\n"
          + "events: {outboxDir: outbox, signingKey: event.key.pem}\n");
      monitor = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.Main", "monitor", "--config", config.toString())
          .redirectError(dir.resolve("monitor.log").toFile()).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
      String banner = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          return null;
        }
      }).get(60, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("http://[^:]+:(\\d+)/").matcher(String.valueOf(banner));
      assertThat(m.find()).as("banner %s; log %s", banner, dir.resolve("monitor.log")).isTrue();
      URI metrics = URI.create("http://127.0.0.1:" + m.group(1) + "/metrics");

      Instant tampered = Instant.now();
      TestVertx.await(sim.setFault(VICTIM, Fault.TAMPERED_HASH));

      List<CloudEvent> events = new ArrayList<>();
      TrustStore trusted = TrustStore.of(eventKey.trusted());
      try (KafkaConsumer<byte[], byte[]> c = consumer(broker)) {
        TopicPartition tp = new TopicPartition("constitutional.breaches", 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            EventCodec.Decoded d = EventCodec.verify(r.value(), trusted, Instant.now());
            assertThat(d).isInstanceOf(EventCodec.Accepted.class);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(VICTIM.service());
            events.add(((EventCodec.Accepted) d).event());
          }
          return events.stream().anyMatch(MonitorKafkaIT::hashMismatchOpened);
        });
      }
      // a slow child JVM start may add an availability breach first; the tamper is the one we want
      CloudEvent opened = events.stream().filter(MonitorKafkaIT::hashMismatchOpened).findFirst().orElseThrow();
      BreachData data = (BreachData) opened.data();
      assertThat(opened.source()).isEqualTo("vigil://monitor/test-monitor");
      assertThat(data.rule()).isEqualTo("hash_mismatch");
      assertThat(data.verdict()).isEqualTo("hash_mismatch");
      assertThat(data.environment()).isEqualTo("green");
      assertThat(data.monitor()).isEqualTo("test-monitor");
      assertThat(data.openedAt()).isAfterOrEqualTo(tampered.minusSeconds(1));
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body())
          .containsPattern("constitutional_events_published_total\\{type=\"dev.vigil.breach.opened\"} [1-9]")
          .contains("constitutional_events_outbox_pending 0.0"));
    } finally {
      if (monitor != null) {
        monitor.destroy();
        if (!monitor.waitFor(20, TimeUnit.SECONDS)) {
          monitor.destroyForcibly();
        }
      }
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }

  private static boolean hashMismatchOpened(CloudEvent e) {
    return e.type().equals(CloudEvent.BREACH_OPENED) && ((BreachData) e.data()).rule().equals("hash_mismatch");
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
  }
}

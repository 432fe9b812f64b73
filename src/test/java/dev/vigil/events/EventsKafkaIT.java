package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.TrustStore;
import dev.vigil.config.EventsConfig;
import dev.vigil.config.KafkaConfig;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.score.BreachTransition;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Breach events through the outbox to a real broker, read back by a plain consumer and by kcat. */
@ExtendWith(KafkaBrokerExtension.class)
class EventsKafkaIT {
  private static final TrustStore TRUSTED = TrustStore.of(MONITOR_KEY.trusted());
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static KafkaConfig kafka(KafkaBroker broker, String topic) {
    return new KafkaConfig(broker.bootstrapServers(), topic, KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "vigil-it",
        Duration.ofSeconds(3), Map.of());
  }

  private KafkaEventPipeline pipeline(KafkaBroker broker, String topic, MonitorMetrics metrics) throws IOException {
    return KafkaEventPipeline.start("monitor-0", kafka(broker, topic),
        new EventsConfig(dir.resolve("outbox"), 1000, null, MONITOR_KEY), metrics.registry());
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> h = new LinkedHashMap<>();
    for (Header x : r.headers()) {
      h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
    }
    return h;
  }

  private static CloudEvent verified(byte[] value) {
    EventCodec.Decoded d = EventCodec.verify(value, TRUSTED, Instant.now());
    assertThat(d).isInstanceOf(EventCodec.Accepted.class);
    return ((EventCodec.Accepted) d).event();
  }

  private static String submit(OutboxEventSink sink, BreachTransition t) throws Exception {
    CloudEvent e = EventFixtures.event(t);
    assertThat(sink.submit(e).get(10, TimeUnit.SECONDS)).isInstanceOf(Outbox.Written.class);
    return e.id();
  }

  @Test
  void eventsArriveWithTheExactKeyHeadersAndASignedValue(KafkaBroker broker) throws Exception {
    String topic = "it.exact";
    try (MonitorMetrics metrics = new MonitorMetrics(); KafkaEventPipeline p = pipeline(broker, topic, metrics)) {
      List<String> ids = new ArrayList<>();
      ids.add(submit(p.sink(), EventFixtures.opened("auth-service", 0)));
      ids.add(submit(p.sink(), EventFixtures.opened("integrity-service", 1)));
      ids.add(submit(p.sink(), EventFixtures.resolved("auth-service", 0)));
      await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().pending() == 0);
      assertThat(p.metrics().publishedCount(CloudEvent.BREACH_OPENED)).isEqualTo(2);
      assertThat(p.metrics().publishedCount(CloudEvent.BREACH_RESOLVED)).isEqualTo(1);
      assertThat(metrics.scrape()).contains("constitutional_events_outbox_pending 0.0");

      List<ConsumerRecord<byte[], byte[]>> got = TopicReader.read(broker.bootstrapServers(), topic,
          Duration.ofSeconds(20), l -> l.size() >= 3);
      assertThat(got).hasSize(3);
      for (int i = 0; i < 3; i++) {
        ConsumerRecord<byte[], byte[]> r = got.get(i);
        CloudEvent e = verified(r.value());
        assertThat(e.id()).isEqualTo(ids.get(i));
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.subject()).isEqualTo(e.service());
        assertThat(headers(r)).containsExactly(
            Map.entry("content-type", "application/vnd.dsse.envelope.v1+json"),
            Map.entry("ce_id", e.id()),
            Map.entry("ce_type", e.type()),
            Map.entry("ce_source", "vigil://monitor/monitor-0"),
            Map.entry("ce_specversion", "1.0"));
      }
      assertThat(got).extracting(r -> verified(r.value()).type()).containsExactly(CloudEvent.BREACH_OPENED,
          CloudEvent.BREACH_OPENED, CloudEvent.BREACH_RESOLVED);
    }
  }

  @Test
  void whileTheBrokerIsDownEventsWaitAndArriveInOrderWhenItReturns(KafkaBroker broker) throws Exception {
    String topic = "it.outage";
    Map<String, List<String>> sentPerService = new LinkedHashMap<>();
    try (MonitorMetrics metrics = new MonitorMetrics(); KafkaEventPipeline p = pipeline(broker, topic, metrics)) {
      submit(p.sink(), EventFixtures.opened("warmup-service", 0));
      await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().pending() == 0);
      broker.stop();
      try {
        String[] services = {"auth-service", "integrity-service", "policy-governance-service"};
        for (int n = 1; n <= 5; n++) {
          for (String s : services) {
            sentPerService.computeIfAbsent(s, k -> new ArrayList<>()).add(submit(p.sink(), EventFixtures.opened(s, n)));
            sentPerService.get(s).add(submit(p.sink(), EventFixtures.resolved(s, n)));
          }
        }
        assertThat(p.outbox().pendingCount()).isEqualTo(30);
        await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().errorCount() >= 1);
        assertThat(p.metrics().pending()).isEqualTo(30);
      } finally {
        broker.start();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> p.metrics().pending() == 0);
      assertThat(metrics.scrape()).containsPattern("constitutional_events_publish_errors_total [1-9]");
    }
    int expected = 31;
    List<ConsumerRecord<byte[], byte[]>> got = TopicReader.read(broker.bootstrapServers(), topic,
        Duration.ofSeconds(30), l -> l.stream().map(r -> headers(r).get("ce_id")).distinct().count() >= expected);
    // de-duplicate on id as a consumer must; the first delivery of each id keeps its place
    Map<String, List<String>> firstSeenPerService = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : got) {
      CloudEvent e = verified(r.value());
      if (seen.add(e.id())) {
        firstSeenPerService.computeIfAbsent(e.service(), k -> new ArrayList<>()).add(e.id());
      }
    }
    assertThat(seen).hasSize(expected);
    for (Map.Entry<String, List<String>> s : sentPerService.entrySet()) {
      assertThat(firstSeenPerService.get(s.getKey())).as(s.getKey()).containsExactlyElementsOf(s.getValue());
    }
  }

  @Test
  void theVertxAdapterSendsOffTheLoopAndCompletesOnTheCallersContext(KafkaBroker broker) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Producer<byte[], byte[]> producer = KafkaProducers.create(kafka(broker, "it.vertx"))) {
      VertxKafkaProducer adapter = new VertxKafkaProducer(vertx, producer);
      SignedEvent s = new EventCodec(MONITOR_KEY).sign(EventFixtures.event(EventFixtures.opened("auth-service", 0)));
      Context ctx = vertx.getOrCreateContext();
      CompletableFuture<Boolean> onContext = new CompletableFuture<>();
      CompletableFuture<RecordMetadata> md = new CompletableFuture<>();
      ctx.runOnContext(v -> adapter.send("it.vertx", s).onComplete(ar -> {
        onContext.complete(Vertx.currentContext() == ctx);
        if (ar.succeeded()) {
          md.complete(ar.result());
        } else {
          md.completeExceptionally(ar.cause());
        }
      }));
      assertThat(md.get(30, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
      assertThat(onContext.get()).isTrue();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void kcatAConsumerThatIsNotOursReadsAndVerifiesTheEvents(KafkaBroker broker) throws Exception {
    Optional<Path> kcat = onPath("kcat");
    Assumptions.assumeTrue(kcat.isPresent(), "kcat not on PATH (Debian package kcat; .ci/run installs it)");
    String topic = KafkaConfig.DEFAULT_BREACHES_TOPIC;
    List<String> ids = new ArrayList<>();
    try (MonitorMetrics metrics = new MonitorMetrics(); KafkaEventPipeline p = pipeline(broker, topic, metrics)) {
      ids.add(submit(p.sink(), EventFixtures.opened("executive-council-service", 0)));
      ids.add(submit(p.sink(), EventFixtures.resolved("executive-council-service", 0)));
      await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().pending() == 0);
    }
    Process proc = new ProcessBuilder(kcat.get().toString(), "-b", broker.bootstrapServers(), "-C", "-t", topic,
        "-o", "beginning", "-e", "-J", "-q").redirectErrorStream(false).start();
    proc.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(proc.exitValue()).as("kcat stderr: %s", err.get()).isZero();
    List<JsonNode> messages = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        messages.add(JSON.readTree(line));
      }
    }
    List<String> idsSeen = new ArrayList<>();
    for (JsonNode m : messages) {
      byte[] value = m.get("payload").asText().getBytes(StandardCharsets.UTF_8);
      assertThat(m.get("payload").asText()).as("events-v1: compact JSON, one line").doesNotContain("\n");
      CloudEvent e = verified(value);
      idsSeen.add(e.id());
      assertThat(m.get("key").asText()).isEqualTo("executive-council-service");
      List<String> h = new ArrayList<>();
      m.get("headers").forEach(x -> h.add(x.asText()));
      assertThat(h).containsExactly("content-type", "application/vnd.dsse.envelope.v1+json", "ce_id", e.id(),
          "ce_type", e.type(), "ce_source", "vigil://monitor/monitor-0", "ce_specversion", "1.0");
      // the envelope and CloudEvent read with a generic JSON parser, as another language would
      JsonNode env = JSON.readTree(value);
      assertThat(env.get("payloadType").asText()).isEqualTo("application/cloudevents+json");
      JsonNode ce = JSON.readTree(java.util.Base64.getDecoder().decode(env.get("payload").asText()));
      assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
      assertThat(ce.get("data").get("service").asText()).isEqualTo("executive-council-service");
    }
    assertThat(idsSeen).containsSubsequence(ids);
  }

  static Optional<Path> onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, exe);
      if (java.nio.file.Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}

package dev.vigil.rollback;

import static dev.vigil.rollback.ControllerFixture.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.TrustStore;
import dev.vigil.cli.RolloutCli;
import dev.vigil.cli.ServerProcess;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RolloutData;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.rollout.RolloutApi;
import dev.vigil.rollout.RolloutState;
import dev.vigil.rollout.Rollouts;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter.Split;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts in the rollback controller on real parts: the embedded broker (signed rollout events
 * read back and verified), the simulator's traffic router through the simulator actuator, the
 * simulator's attesters polled through the controller's poller and verifier, Debian's {@code
 * prometheus} for PromQL (skipped with the reason when absent), and {@code vigil rollout} against
 * the controller's HTTP API.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RolloutControllerIT {
  static final String TOKEN = "s3cret-admin-token-0123456789";
  static final String SERVICE = "auth-service";
  @TempDir Path dir;
  Vertx vertx;
  FleetSimulator sim;
  PrometheusMeterRegistry registry;
  RollbackController controller;
  KafkaConsumer<byte[], byte[]> reader;
  ServerProcess prometheus;
  String prefix;
  final List<CloudEvent> seen = new ArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of(SERVICE, "integrity-service")).withEnvironments(List.of("green", "blue"))
        .withBasePort(0).withAdminPort(0)));
    sim.traffic().set(SERVICE, new Split(0, 100));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prefix = "it.rollout." + info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (controller != null) {
      TestVertx.await(controller.close());
    }
    if (reader != null) {
      reader.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    TestVertx.await(sim.stop());
    TestVertx.await(vertx.close());
    registry.close();
  }

  String stepInterval = "1s";

  String rollout(String prefix, String extra) {
    return "server:\n  adminToken: " + TOKEN + "\nrollout:\n  steps: [50, 100]\n  stepInterval: " + stepInterval + "\n"
        + "  analysisInterval: 300ms\n  topic: " + prefix + ".rollouts\n" + extra;
  }

  void start(KafkaBroker broker, String rolloutExtra) throws Exception {
    Path file = ControllerFixture.config(dir, sim, broker.bootstrapServers(), prefix, "it-rollout-" + prefix, "\n"
        + rollout(prefix, rolloutExtra));
    VigilConfig config = ConfigLoader.load(file, Map.of()).orElseThrow();
    controller = TestVertx.await(RollbackController.start(vertx, config, registry, Clock.systemUTC(), () -> {
      throw new IllegalStateException("no Kubernetes here");
    }));
    reader = ControllerFixture.reader(broker.bootstrapServers(), prefix + ".rollouts");
    await().atMost(Duration.ofSeconds(30)).until(controller::ready);
  }

  /** Reads rollout events until {@code done} holds for them; each verified with the controller's key. */
  static List<CloudEvent> events(KafkaConsumer<byte[], byte[]> reader, List<CloudEvent> sofar,
      Predicate<List<CloudEvent>> done, Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (!done.test(sofar) && System.nanoTime() < end) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        EventCodec.Decoded d = EventCodec.verify(r.value(), TrustStore.of(ControllerFixture.CONTROLLER_KEY.trusted()),
            Instant.now());
        if (!(d instanceof EventCodec.Accepted a)) {
          throw new AssertionError("rollout event does not verify: " + d);
        }
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.event().service());
        sofar.add(a.event());
      }
    }
    if (!done.test(sofar)) {
      throw new AssertionError("rollout events within " + max + " did not complete: " + sofar);
    }
    return sofar;
  }

  static Predicate<List<CloudEvent>> finished() {
    return l -> l.stream().anyMatch(e -> e.type().equals(CloudEvent.ROLLOUT_FINISHED));
  }

  static RolloutData last(List<CloudEvent> events) {
    return (RolloutData) events.get(events.size() - 1).data();
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aCleanRolloutPromotesWithEventsMetricsAndWeightsReadBack(KafkaBroker broker) throws Exception {
    start(broker, "  analysis:\n    attestations: {count: 2}\n");
    Rollouts.Result started = TestVertx.await(controller.rollouts().start(SERVICE));
    assertThat(started.status()).isEqualTo(201);

    List<CloudEvent> got = events(reader, seen, finished(), Duration.ofSeconds(60));
    RolloutData end = last(got);
    assertThat(end.finished()).isTrue();
    assertThat(end.stateOrStatus()).isEqualTo("promoted");
    assertThat(end.detail()).contains("weights read back green 100/blue 0").contains("attested compliant 2 times");
    assertThat(sim.traffic().split(SERVICE)).isEqualTo(new Split(100, 0));
    assertThat(sim.traffic().changes(SERVICE)).as("blue 100 -> green 50 -> green 100").isEqualTo(3);
    List<RolloutData> steps = got.stream().filter(e -> e.type().equals(CloudEvent.ROLLOUT_STEP))
        .map(e -> (RolloutData) e.data()).toList();
    assertThat(steps).extracting(RolloutData::step).containsExactly(0, 1, 2);
    assertThat(steps.get(1).fromWeight()).isEqualTo(50);
    assertThat(steps.get(1).analysis()).extracting(RolloutData.Analysis::check)
        .contains("attestations", "latency_p95", "error_rate", "throughput");
    assertThat(steps.get(1).analysis()).allMatch(RolloutData.Analysis::passed);
    assertThat(new String(EventCodec.toJson(got.get(1)), StandardCharsets.UTF_8))
        .contains("\"steps\":[50,100],\"weights\":{\"blue\":50,\"green\":50},\"state\":\"progressing\","
            + "\"analysis\":[{\"check\":\"attestations\",\"value\":2,\"threshold\":2,\"passed\":true}");
    assertThat(got).extracting(CloudEvent::id).doesNotHaveDuplicates();
    // The event is acknowledged before the outcome is recorded and counted.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> counter("constitutional.rollouts", "service", SERVICE, "status", "promoted") == 1.0);
    assertThat(registry.find("constitutional.rollout.step").tag("service", SERVICE).gauge().value()).isEqualTo(2.0);
    assertThat(registry.find("constitutional.rollout.state").tags("service", SERVICE, "state", "promoted").gauge()
        .value()).isEqualTo(1.0);
    assertThat(registry.find("constitutional.traffic.weight").tags("service", SERVICE, "environment", "green")
        .gauge().value()).isEqualTo(100.0);
    Rollouts.Result again = TestVertx.await(controller.rollouts().command(SERVICE, "abort"));
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void aFailingPromqlCheckAbortsBackToBlue(KafkaBroker broker) throws Exception {
    Path binary = ServerProcess.find("prometheus").orElse(null);
    Assumptions.assumeTrue(binary != null, "Debian's prometheus is not installed (no prometheus on PATH or in /usr/bin)");
    int port = ServerProcess.freePort();
    startPrometheus(binary, port);
    start(broker, "  failureLimit: 2\n  analysis:\n    prometheus:\n      url: http://127.0.0.1:" + port + "\n"
        + "      queries:\n        - {name: error_ratio, query: 'vector(5)', max: 1}\n"
        + "        - {name: live, query: 'vector(1) * 0 + 1', min: 1}\n");
    TestVertx.await(controller.rollouts().start(SERVICE));

    RolloutData end = last(events(reader, seen, finished(), Duration.ofSeconds(60)));
    assertThat(end.stateOrStatus()).isEqualTo("aborted");
    assertThat(end.detail()).contains("error_ratio 5.0 vs 1.0").contains("failureLimit 2")
        .contains("traffic back on blue, validated");
    assertThat(sim.traffic().split(SERVICE)).isEqualTo(new Split(0, 100));
    assertThat(sim.traffic().changes(SERVICE)).as("only the test's own blue 100: the first analysis failed")
        .isEqualTo(1);
    assertThat(counter("constitutional.rollout.analysis.failures", "service", SERVICE, "check", "error_ratio"))
        .isEqualTo(2.0);
    assertThat(counter("constitutional.rollout.analysis.failures", "service", SERVICE, "check", "live")).isZero();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> counter("constitutional.rollouts", "service", SERVICE, "status", "aborted") == 1.0);
  }

  @Test
  void aBreachDuringAStepAbortsTheRollout(KafkaBroker broker) throws Exception {
    stepInterval = "60s";
    start(broker, "");
    TestVertx.await(controller.rollouts().start(SERVICE));
    await().atMost(Duration.ofSeconds(30)).until(() -> sim.traffic().split(SERVICE).equals(new Split(50, 50)));
    try (KafkaProducer<byte[], byte[]> producer = ControllerFixture.producer(broker.bootstrapServers())) {
      ControllerFixture.send(producer, prefix + ".breaches",
          new EventCodec(MONITOR_KEY).sign(ControllerFixture.opened(SERVICE, "during-rollout")));
    }
    RolloutData end = last(events(reader, seen, finished(), Duration.ofSeconds(60)));
    assertThat(end.stateOrStatus()).isEqualTo("aborted");
    assertThat(end.detail()).startsWith("breach: hash_mismatch on green").contains("traffic back on blue");
    assertThat(sim.traffic().split(SERVICE)).isEqualTo(new Split(0, 100));
  }

  @Test
  void pauseResumeAndPromoteThroughVigilRollout(KafkaBroker broker) throws Exception {
    start(broker, "  manualGates: [100]\n");
    HttpServer server = TestVertx.await(ControllerHttp.start(vertx, "127.0.0.1", 0, registry, controller::notReady,
        new RolloutApi(controller::rollouts, TOKEN)::install));
    String url = "http://127.0.0.1:" + server.actualPort();
    Map<String, String> env = Map.of("VIGIL_ADMIN_TOKEN", TOKEN);

    assertThat(RolloutCli.run(Map.of(), "start", SERVICE, "--controller", url).exit()).as("no token").isEqualTo(2);
    HttpResponse<String> noToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
        + "/api/v1/rollouts")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(401);

    RolloutCli.Run start = RolloutCli.run(env, "start", SERVICE, "--controller", url);
    assertThat(start.exit()).as(start.err()).isZero();
    assertThat(start.out()).contains("SERVICE").contains(SERVICE).contains("progressing");
    RolloutCli.Run twice = RolloutCli.run(env, "start", SERVICE, "--controller", url);
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.err()).contains("HTTP 409").contains("already rolling out");
    RolloutCli.Run unknown = RolloutCli.run(env, "start", "no-such-service", "--controller", url);
    assertThat(unknown.err()).contains("HTTP 404").contains("unknown service no-such-service");
    RolloutCli.Run early = RolloutCli.run(env, "promote", SERVICE, "--controller", url);
    assertThat(early.exit()).isEqualTo(1);
    assertThat(early.err()).contains("no manual gate is waiting");

    await().atMost(Duration.ofSeconds(30)).until(() -> state() == RolloutState.WAITING_APPROVAL);
    assertThat(sim.traffic().split(SERVICE)).isEqualTo(new Split(50, 50));
    assertThat(RolloutCli.run(env, "pause", SERVICE, "--controller", url).exit()).isZero();
    assertThat(state()).isEqualTo(RolloutState.PAUSED);
    RolloutCli.Run status = RolloutCli.run(env, "status", "--json", "--controller", url);
    assertThat(status.out()).contains("\"state\":\"paused\"").contains("\"pausedFrom\":\"waiting_approval\"");
    assertThat(RolloutCli.run(env, "resume", SERVICE, "--controller", url).exit()).isZero();
    assertThat(state()).isEqualTo(RolloutState.WAITING_APPROVAL);
    RolloutCli.Run promote = RolloutCli.run(env, "promote", SERVICE, "--controller", url);
    assertThat(promote.exit()).as(promote.err()).isZero();

    RolloutData end = last(events(reader, seen, finished(), Duration.ofSeconds(60)));
    assertThat(end.stateOrStatus()).isEqualTo("promoted");
    assertThat(seen).extracting(e -> ((RolloutData) e.data()).stateOrStatus())
        .containsSubsequence("waiting_approval", "paused", "waiting_approval", "progressing", "promoted");
    assertThat(sim.traffic().split(SERVICE)).isEqualTo(new Split(100, 0));
    TestVertx.await(server.close());
  }

  RolloutState state() throws Exception {
    return TestVertx.await(controller.rollouts().list()).stream().filter(r -> r.service().equals(SERVICE))
        .findFirst().orElseThrow().state();
  }

  void startPrometheus(Path binary, int port) throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global: {scrape_interval: 15s}\n");
    prometheus = ServerProcess.start("prometheus", port, List.of(binary.toString(), "--config.file=" + config,
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("tsdb")), dir,
        Duration.ofSeconds(30));
  }
}

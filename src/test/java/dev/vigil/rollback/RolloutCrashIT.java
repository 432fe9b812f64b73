package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.events.CloudEvent;
import dev.vigil.events.RolloutData;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter.Split;
import dev.vigil.testing.ChildJvm;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil rollback-controller} in a child JVM killed with {@code kill -9} in the middle of a
 * rollout (at its second step); restarted, it resumes from its recorded state and promotes: every
 * step's weight was set exactly once (the router saw four changes for four steps: none skipped,
 * none repeated), and every step has its event (an event sent again carries the same id).
 */
@ExtendWith(KafkaBrokerExtension.class)
class RolloutCrashIT {
  static final String SERVICE = "auth-service";
  static final Pattern PORT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics");
  @TempDir Path dir;

  @Test
  void killedMidStepResumesWhereItWasAndPromotes(KafkaBroker broker) throws Exception {
    Vertx vertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of(SERVICE)).withEnvironments(List.of("green", "blue")).withBasePort(0).withAdminPort(0)));
    sim.traffic().set(SERVICE, new Split(0, 100));
    String prefix = "it.rollout-crash";
    try (KafkaConsumer<byte[], byte[]> reader = ControllerFixture.reader(broker.bootstrapServers(),
        prefix + ".rollouts")) {
      Path config = ControllerFixture.config(dir, sim, broker.bootstrapServers(), prefix, "it-rollout-crash",
          "\nserver:\n  adminToken: " + RolloutControllerIT.TOKEN + "\nrollout:\n  steps: [10, 50, 90, 100]\n"
              + "  stepInterval: 2s\n  analysisInterval: 500ms\n  topic: " + prefix + ".rollouts\n"
              + "  analysis:\n    attestations: {count: 2}\n");
      try (ChildJvm first = new ChildJvm(dir.resolve("first.log"), "dev.vigil.cli.Main", "rollback-controller",
          "--config", config.toString())) {
        String line = first.next("vigil rollback-controller", Duration.ofSeconds(60));
        HttpResponse<String> started = post(port(line), "{\"service\":\"" + SERVICE + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        try {
          await().atMost(Duration.ofSeconds(120)).until(() -> sim.traffic().split(SERVICE).equals(new Split(50, 50)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("the rollout did not reach green 50 %; the controller's log:\n"
              + java.nio.file.Files.readString(dir.resolve("first.log")), e);
        }
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(first.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.exitValue()).isEqualTo(137);
      }
      int changesAtKill = sim.traffic().changes(SERVICE);
      assertThat(changesAtKill).as("blue 100, then green 10 and 50").isBetween(3, 4);
      try (ChildJvm second = new ChildJvm(dir.resolve("second.log"), "dev.vigil.cli.Main", "rollback-controller",
          "--config", config.toString())) {
        second.next("vigil rollback-controller", Duration.ofSeconds(60));
        List<CloudEvent> got = RolloutControllerIT.events(reader, new ArrayList<>(), RolloutControllerIT.finished(),
            Duration.ofSeconds(90));
        RolloutData end = RolloutControllerIT.last(got);
        assertThat(end.stateOrStatus()).isEqualTo("promoted");
        assertThat(sim.traffic().split(SERVICE)).isEqualTo(new Split(100, 0));
        assertThat(sim.traffic().changes(SERVICE)).as("blue 100, then 10, 50, 90, 100: each once").isEqualTo(5);
        Map<String, Integer> stepById = new HashMap<>();
        for (CloudEvent e : got) {
          RolloutData d = (RolloutData) e.data();
          Integer before = stepById.putIfAbsent(e.id(), d.step());
          assertThat(before == null || before == d.step()).as("an id names one event: " + e.id()).isTrue();
        }
        assertThat(got.stream().filter(e -> e.type().equals(CloudEvent.ROLLOUT_STEP))
            .map(e -> ((RolloutData) e.data()).step()).distinct().sorted().toList()).containsExactly(0, 1, 2, 3, 4);
        assertThat(got.stream().map(e -> ((RolloutData) e.data()).rolloutId()).distinct()).hasSize(1);
      }
    } finally {
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }

  static int port(String startLine) {
    Matcher m = PORT.matcher(startLine);
    assertThat(m.find()).as(startLine).isTrue();
    return Integer.parseInt(m.group(1));
  }

  static HttpResponse<String> post(int port, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/rollouts")).header("Authorization", "Bearer " + RolloutControllerIT.TOKEN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

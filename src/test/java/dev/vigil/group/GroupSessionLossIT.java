package dev.vigil.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor of a group whose Kafka session is lost (the real broker stopped under it) stops
 * polling everything, since every shard it owned is someone else's once the coordinator evicts it:
 * {@code constitutional_monitor_shards_owned} drops to 0, its API lists no target, the simulator
 * sees no poll after the session timeout plus one interval, and it says so in one WARN line. With
 * the broker back it joins again and polls its targets again. The packaged jar as a child process.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GroupSessionLossIT {
  static final Path JAR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
      .resolve("target/vigil.jar");
  static final ObjectMapper JSON = new ObjectMapper();
  static final int TARGETS = 40;
  static final int SHARDS = 8;
  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final Duration SESSION = Duration.ofSeconds(6);
  static final Pattern LOST = Pattern.compile("\\[WARN\\].*group it-loss: lost the Kafka group session");
  @TempDir Path dir;
  Vertx vertx;
  FleetSimulator sim;
  Process process;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), JAR + " is not built yet (mvn package)");
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults().withGenerated(TARGETS, 2)
        .withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    Files.writeString(dir.resolve("event.key.pem"), Keys.generate(Scheme.ED25519, new SecureRandom()).privatePem());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (sim != null) {
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }

  Path config(String bootstrap) throws IOException {
    StringBuilder y = new StringBuilder("monitorId: m0\nserver: {host: 127.0.0.1, port: 0}\n"
        + "polling: {interval: " + INTERVAL.toSeconds() + "s, timeout: 1s, retries: 0, jitter: 0.1}\n"
        + "state: {flushInterval: 1s}\n"
        + "kafka: {bootstrapServers: '" + bootstrap + "', deliveryTimeout: 3s}\n"
        + "events: {outboxDir: outbox, signingKey: event.key.pem}\n"
        + "group: {name: it-loss, shards: " + SHARDS + ", sessionTimeout: " + SESSION.toSeconds()
        + "s, heartbeatInterval: 1s}\n"
        + "targets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: '").append(sim.baseUrl(t)).append("', keys: [{file: ").append(t.service()).append('-')
          .append(t.environment()).append(".pub.pem}]}\n");
    }
    return Files.writeString(dir.resolve("vigil.yaml"), y.toString());
  }

  String start(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString(), "monitor", "--config", config.toString())
        .directory(dir.toFile()).redirectError(log().toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).get(120, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(first));
    assertThat(m.find()).as("first line: %s; stderr: %s", first, Files.readString(log())).isTrue();
    return "http://127.0.0.1:" + m.group(1);
  }

  Path log() {
    return dir.resolve("m0.log");
  }

  String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  int targetsListed(String base) throws Exception {
    return JSON.readTree(get(base + "/api/v1/targets")).get("targets").size();
  }

  static double shardsOwned(String metrics) {
    for (String l : metrics.split("\n")) {
      if (l.startsWith("constitutional_monitor_shards_owned{group=\"it-loss\"}")) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  Map<TargetId, Long> requests() {
    Map<TargetId, Long> out = new HashMap<>();
    sim.targets().forEach(id -> out.put(id, sim.requests(id)));
    return out;
  }

  long lostLines() throws IOException {
    return Files.readAllLines(log(), StandardCharsets.UTF_8).stream().filter(l -> LOST.matcher(l).find()).count();
  }

  @Test
  void aMonitorThatLosesItsKafkaSessionStopsPollingEverythingAndSaysSoOnce(KafkaBroker broker) throws Exception {
    String base = start(config(broker.bootstrapServers()));
    await("the only member owns every shard and polls every target").atMost(Duration.ofSeconds(90))
        .until(() -> shardsOwned(get(base + "/metrics")) == SHARDS && targetsListed(base) == TARGETS
            && requests().values().stream().allMatch(n -> n >= 2));

    broker.stop();
    long stopped = System.nanoTime();
    try {
      await("shards_owned drops to 0 once the session is lost").atMost(SESSION.plus(INTERVAL).multipliedBy(3))
          .until(() -> shardsOwned(get(base + "/metrics")) == 0);
      long lostAfterMs = (System.nanoTime() - stopped) / 1_000_000;
      assertThat(targetsListed(base)).as("the API lists no target: this instance owns none").isZero();
      // a poll already in flight may still land; after that, none for three intervals
      await().pollDelay(INTERVAL).atMost(INTERVAL.multipliedBy(2)).until(() -> true);
      Map<TargetId, Long> after = requests();
      await().pollDelay(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(4)).until(() -> true);
      assertThat(requests()).as("no target is polled without a session").isEqualTo(after);
      System.out.printf("session loss: broker stopped, shards_owned 0 after %d ms (session timeout %d ms); no poll"
          + " for %d ms after%n", lostAfterMs, SESSION.toMillis(), INTERVAL.multipliedBy(3).toMillis());
      assertThat(lostAfterMs).isLessThanOrEqualTo(SESSION.plus(INTERVAL).toMillis() + 5_000);
      assertThat(lostLines()).as("one WARN line says the session is lost; log: %s", Files.readString(log()))
          .isEqualTo(1);
    } finally {
      broker.start();
    }

    Map<TargetId, Long> before = requests();
    await("with the broker back it joins again and polls every target").atMost(Duration.ofSeconds(120))
        .until(() -> shardsOwned(get(base + "/metrics")) == SHARDS && targetsListed(base) == TARGETS);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Map<TargetId, Long> now = requests();
      return sim.targets().stream().allMatch(id -> now.get(id) > before.get(id));
    });
    assertThat(lostLines()).as("still one WARN line").isEqualTo(1);
  }
}

package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Blackholes;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.testing.ChildJvm;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil monitor} in a child JVM under {@code ulimit -n 512} (the JVM holds one descriptor per
 * jar of the test class path, a few hundred), polling 3 healthy targets (a real simulator) beside
 * 300 blackholed ones on 127.0.0.1 (half accept and never answer, half never accept): the healthy targets stay compliant and the monitor's open sockets stay near its
 * concurrency limit (at most twice it: sockets of finished polls close asynchronously while the next
 * ones open; with Vert.x's 60 s connect timeout and keep-alive they numbered in the hundreds),
 * because a poll's deadline closes its connection attempt.
 */
class ProbeSocketsIT {
  private static final int CONCURRENCY = 32;
  private static final int BLACKHOLES_EACH = 150;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Vertx vertx;
  private FleetSimulator sim;
  private Blackholes blackholes;
  private ChildJvm monitor;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of("auth-service", "integrity-service", "policy-governance-service"))
        .withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    blackholes = Blackholes.open(BLACKHOLES_EACH, BLACKHOLES_EACH);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (monitor != null) {
      monitor.close();
      monitor.process.waitFor();
    }
    blackholes.close();
    TestVertx.await(sim.stop());
    TestVertx.await(vertx.close());
  }

  private String config() {
    StringBuilder y = new StringBuilder("monitorId: sockets-it\nserver:\n  host: 127.0.0.1\n  port: 0\n"
        + "polling:\n  interval: 1s\n  timeout: 500ms\n  retries: 1\n  retryBackoff: 100ms\n  partitionThreshold: 1.0\n  concurrency: "
        + CONCURRENCY + "\ntargets:\n");
    for (TargetId t : sim.targets()) {
      target(y, t.service(), sim.baseUrl(t).toString(), t.service() + "-green.pub.pem");
    }
    List<String> urls = blackholes.urls();
    for (int i = 0; i < urls.size(); i++) {
      target(y, "blackhole-" + i, urls.get(i), "auth-service-green.pub.pem");
    }
    return y.toString();
  }

  private static void target(StringBuilder y, String service, String url, String key) {
    y.append("  - service: ").append(service).append("\n    environment: green\n    url: \"").append(url)
        .append("\"\n    keys:\n      - file: ").append(key).append('\n');
  }

  @Test
  void blackholedTargetsNeitherLeakSocketsNorStarveHealthyOnes() throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, config());
    monitor = ChildJvm.withOpenFileLimit(dir.resolve("monitor.log"), 512, "dev.vigil.cli.Main",
        "monitor", "--config", file.toString());
    String first;
    try {
      first = monitor.next("vigil monitor", Duration.ofSeconds(60));
    } catch (AssertionError e) {
      throw new AssertionError(Files.readString(dir.resolve("monitor.log")), e);
    }
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(first);
    assertThat(m.find()).as(first).isTrue();
    String base = "http://127.0.0.1:" + m.group(1);
    HttpClient http = HttpClient.newHttpClient();
    long pid = monitor.process.pid();

    AtomicInteger maxSockets = new AtomicInteger();
    List<Integer> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger rounds = new AtomicInteger();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
      int now = sockets(pid);
      samples.add(now);
      maxSockets.accumulateAndGet(now, Math::max);
      JsonNode targets = targets(http, base);
      boolean healthy = healthyCompliantWithPolls(targets, 5);
      if (healthy && blackholesPolledAtLeast(targets, 2)) {
        return rounds.incrementAndGet() >= 10;
      }
      return false;
    });
    JsonNode targets = targets(http, base);
    assertThat(healthyCompliantWithPolls(targets, 5)).as("healthy targets compliant").isTrue();
    assertThat(maxSockets.get()).as("most sockets the monitor held at once; samples " + samples).isLessThanOrEqualTo(2 * CONCURRENCY);
    assertThat(Files.readString(dir.resolve("monitor.log"))).doesNotContain("Too many open files")
        .doesNotContain("[ERROR]");
  }

  private static int sockets(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return (int) fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException gone) {
          return false;
        }
      }).count();
    } catch (IOException exited) {
      return 0;
    }
  }

  private static JsonNode targets(HttpClient http, String base) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/targets")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).get("targets");
  }

  private static boolean healthyCompliantWithPolls(JsonNode targets, int polls) {
    int n = 0;
    for (JsonNode t : targets) {
      if (!t.get("service").asText().startsWith("blackhole-")) {
        if (!"compliant".equals(t.path("verdict").asText()) || t.path("polls").asInt() < polls) {
          return false;
        }
        n++;
      }
    }
    return n == 3;
  }

  private static boolean blackholesPolledAtLeast(JsonNode targets, int polls) {
    for (JsonNode t : targets) {
      if (t.get("service").asText().startsWith("blackhole-") && t.path("polls").asInt() < polls) {
        return false;
      }
    }
    return true;
  }
}

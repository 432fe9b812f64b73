package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/vigil.jar} running {@code vigil monitor} in a child JVM, killed with
 * {@code kill -9} while a service of the real simulator is tampered: the restarted monitor restores
 * the local state, opens no second breach, keeps the same {@code breachId}, and resolves it once
 * after the fix. Breach events are read from the monitor's log (no Kafka configured: events are
 * logged one per line, with their id).
 */
class StateCrashIT {
  static final Path JAR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
      .resolve("target/vigil.jar");
  static final ObjectMapper JSON = new ObjectMapper();
  static final TargetId VICTIM = new TargetId("integrity-service", "green");
  static final Pattern OPENED = Pattern.compile("breach OPENED hash_mismatch \\(\\w+\\) integrity-service/green: .* \\[(\\S+)\\]");
  static final Pattern RESOLVED = Pattern.compile("breach RESOLVED hash_mismatch \\(\\w+\\) integrity-service/green: .* \\[(\\S+)\\]");
  @TempDir Path dir;
  Vertx vertx;
  FleetSimulator sim;
  final List<Process> processes = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), JAR + " is not built yet (mvn package)");
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of(VICTIM.service(), "auth-service")).withEnvironments(List.of("green")).withBasePort(0)
        .withAdminPort(0)));
    sim.writePublicKeys(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (sim != null) {
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }

  Path config() throws IOException {
    StringBuilder y = new StringBuilder("monitorId: crash-it\nserver: {host: 127.0.0.1, port: 0}\n"
        + "polling: {interval: 500ms, timeout: 400ms}\nstate: {dir: state, flushInterval: 1s}\n"
        + "rules: {compliance_score: {enabled: false}}\ntargets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: '").append(sim.baseUrl(t)).append("', keys: [{file: ").append(t.service()).append('-')
          .append(t.environment()).append(".pub.pem}]}\n");
    }
    return Files.writeString(dir.resolve("vigil.yaml"), y.toString());
  }

  /** Starts the jar; returns the base URL it printed on its first line. */
  String start(Path config, Path stderr) throws Exception {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
        "java").toString());
    Process p = new ProcessBuilder(java, "-jar", JAR.toString(), "monitor", "--config", config.toString())
        .directory(dir.toFile()).redirectError(stderr.toFile()).start();
    processes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).get(90, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(first));
    assertThat(m.find()).as("first line: %s; stderr: %s", first, Files.readString(stderr)).isTrue();
    return "http://127.0.0.1:" + m.group(1);
  }

  static List<String> matches(Pattern p, Path log) throws IOException {
    List<String> ids = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          ids.add(m.group(1));
        }
      }
    }
    return ids;
  }

  String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  long polls(String base) throws Exception {
    for (JsonNode t : JSON.readTree(get(base + "/api/v1/targets")).get("targets")) {
      if (t.get("service").asText().equals(VICTIM.service())) {
        return t.get("polls").asLong();
      }
    }
    throw new AssertionError("no " + VICTIM + " in the API");
  }

  static boolean contains(Path file, String text) throws IOException {
    byte[] hay = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    return new String(hay, StandardCharsets.ISO_8859_1).contains(text);
  }

  @Test
  void aTamperedServiceStaysOneBreachAcrossKillMinus9() throws Exception {
    Path config = config();
    TestVertx.await(sim.setFault(VICTIM, Fault.TAMPERED_HASH));
    Path firstLog = dir.resolve("first.txt");
    start(config, firstLog);
    await().atMost(Duration.ofSeconds(60)).until(() -> !matches(OPENED, firstLog).isEmpty());
    String id = matches(OPENED, firstLog).get(0);
    Path state = dir.resolve("state").resolve(LocalStateStore.FILE);
    await("the breach and the other target are in the durable state").atMost(Duration.ofSeconds(30))
        .until(() -> contains(state, id) && contains(state, "auth-service"));
    Process first = processes.get(0);
    assertThat(new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor(10, TimeUnit.SECONDS))
        .isTrue();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(137);

    Path secondLog = dir.resolve("second.txt");
    String base = start(config, secondLog);
    await().atMost(Duration.ofSeconds(60)).until(() -> polls(base) >= 4);
    assertThat(get(base + "/api/v1/breaches")).contains(id);
    assertThat(get(base + "/metrics")).contains("constitutional_monitor_state_restored_total{source=\"local\"} 2.0");
    assertThat(matches(OPENED, secondLog)).as("still tampered after the restart: no second breach.opened").isEmpty();

    TestVertx.await(sim.clearFault(VICTIM));
    await().atMost(Duration.ofSeconds(60)).until(() -> !matches(RESOLVED, secondLog).isEmpty());
    long at = polls(base);
    await().atMost(Duration.ofSeconds(60)).until(() -> polls(base) >= at + 3);
    assertThat(matches(RESOLVED, secondLog)).containsExactly(id);
    assertThat(matches(OPENED, secondLog)).isEmpty();
  }
}

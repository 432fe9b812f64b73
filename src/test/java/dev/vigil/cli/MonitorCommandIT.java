package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil monitor} as a real child process: bad configuration, readiness, SIGHUP reload, SIGTERM. */
class MonitorCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Vertx vertx;
  private FleetSimulator sim;
  private Process process;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isRegularFile(CliJarIT.JAR), "target/vigil.jar is not built yet");
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of("auth-service", "integrity-service", "policy-governance-service"))
        .withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
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

  private String config(List<TargetId> targets) {
    StringBuilder y = new StringBuilder("monitorId: it-monitor\nserver:\n  host: 127.0.0.1\n  port: 0\n"
        + "polling:\n  interval: 500ms\n  timeout: 400ms\ntargets:\n");
    for (TargetId t : targets) {
      y.append("  - service: ").append(t.service()).append("\n    environment: ").append(t.environment())
          .append("\n    url: \"").append(sim.baseUrl(t)).append("\"\n    keys:\n      - file: ")
          .append(t.service()).append('-').append(t.environment()).append(".pub.pem\n");
    }
    return y.toString();
  }

  private Process start(Path config) throws Exception {
    return new ProcessBuilder(CliJarIT.java(), "-jar", CliJarIT.JAR.toString(), "monitor", "--config", config.toString())
        .directory(dir.toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
  }

  @Test
  void anInvalidConfigurationStartsNothingAndNamesEveryPath() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, config(sim.targets()).replace("interval: 500ms", "interval: often")
        .replace("monitorId:", "monitorID:"));
    process = start(bad);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    String err = Files.readString(dir.resolve("stderr.txt"));
    assertThat(err).contains("polling.interval").contains("monitorID").contains("nothing started");
  }

  @Test
  void servesBecomesReadyReloadsOnSighupAndStopsOnSigterm() throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, config(sim.targets()));
    process = start(file);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        return null;
      }
    }).get(60, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(first));
    assertThat(m.find()).as("first line: " + first).isTrue();
    String base = "http://127.0.0.1:" + m.group(1);
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(30)).until(() -> status(http, base + "/health/ready") == 200);
    assertThat(targets(http, base)).isEqualTo(3);

    Files.writeString(file, config(sim.targets().subList(0, 2)));
    assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> targets(http, base) == 2);

    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int targets(HttpClient http, String base) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/targets")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return JSON.readTree(body).get("targets").size();
  }
}

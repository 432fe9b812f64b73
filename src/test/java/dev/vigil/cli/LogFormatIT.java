package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's monitor with {@code --log-format json}: every stderr line is one ECS JSON
 * object, and the verdict change and the breach it opens carry their fields.
 */
class LogFormatIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void theMonitorWritesOneEcsObjectPerLineWithTheDecisionFields() throws Exception {
    assumeThat(Files.isRegularFile(CliJarIT.JAR)).as("target/vigil.jar is built").isTrue();
    Path key = dir.resolve("k.pub.pem");
    Process keygen = new ProcessBuilder(CliJarIT.java(), "-jar", CliJarIT.JAR.toString(), "keygen", "--out",
        dir.toString(), "--name", "k", "--scheme", "ed25519").redirectErrorStream(true).start();
    assertThat(keygen.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(key).exists();
    Files.writeString(dir.resolve("vigil.yaml"), """
        monitorId: log-format-it
        server: {host: 127.0.0.1, port: 0}
        polling: {interval: 500ms, timeout: 300ms, retries: 0}
        targets:
          - service: integrity-service
            environment: green
            url: "http://127.0.0.1:1"
            keys: [{file: k.pub.pem}]
        """);
    Path err = dir.resolve("stderr.txt");
    Process monitor = new ProcessBuilder(CliJarIT.java(), "-jar", CliJarIT.JAR.toString(), "monitor", "--config",
        dir.resolve("vigil.yaml").toString(), "--log-format", "json", "--log-level", "info")
        .directory(dir.toFile()).redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(err).contains("dev.vigil.events.Breaches"));
      // a breach can open before the start is over: stopped in the middle of its start, the command says so on a
      // plain line (a command's error, not a log line), so it is stopped only once started
      await().atMost(Duration.ofSeconds(90))
          .until(() -> Files.readString(dir.resolve("stdout.txt")).contains("vigil monitor log-format-it:"));
    } finally {
      monitor.destroy();
      monitor.waitFor(30, TimeUnit.SECONDS);
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(err)) {
      if (!l.isBlank()) {
        lines.add(JSON.readTree(l)); // throws on any line that is not JSON
      }
    }
    assertThat(lines).allSatisfy(n -> assertThat(n.has("@timestamp") && n.has("log.level") && n.has("log.logger")
        && n.has("message")).as(n.toString()).isTrue());
    JsonNode verdict = lines.stream().filter(n -> n.get("log.logger").asText().equals("dev.vigil.poll.VerdictLog"))
        .findFirst().orElseThrow();
    assertThat(verdict.get("service").asText()).isEqualTo("integrity-service");
    assertThat(verdict.get("environment").asText()).isEqualTo("green");
    assertThat(verdict.get("verdict").asText()).isEqualTo("unreachable");
    JsonNode breach = lines.stream().filter(n -> n.get("log.logger").asText().equals("dev.vigil.events.Breaches"))
        .findFirst().orElseThrow();
    assertThat(breach.get("log.level").asText()).isEqualTo("WARN");
    assertThat(breach.get("decision").asText()).isEqualTo("breach_opened");
    assertThat(breach.get("breachId").asText()).startsWith("b-integrity-service-green-");
  }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the monitor jar while it records evidence: every entry a checkpoint it wrote
 * covered (acknowledged as durable) is still there after the crash and the log audits against it;
 * restarted on the same directory, the monitor continues the same tree, its next checkpoint is
 * consistent with the one from before the crash.
 */
class MonitorEvidenceCrashIT {
  @TempDir Path dir;

  @Test
  void theLogSurvivesKill9AndTheTreeContinues() throws Exception {
    assumeTrue(Files.isRegularFile(CliJarIT.JAR), "target/vigil.jar is not built yet");
    Vertx vertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withGenerated(40, 4).withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    try {
      sim.writePublicKeys(dir);
      SigningKey eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
      Files.writeString(dir.resolve("event.key.pem"), eventKey.privatePem());
      Files.writeString(dir.resolve("event.pub.pem"), eventKey.publicKey().toPem());
      StringBuilder y = new StringBuilder("monitorId: crash-monitor\n")
          .append("server: {host: 127.0.0.1, port: 0}\n")
          .append("polling: {interval: 500ms, timeout: 400ms, retries: 0, jitter: 0.5}\n")
          .append("events: {signingKey: event.key.pem}\n")
          // a sample every poll: many appends in flight when the monitor is killed
          .append("evidence: {dir: ev, sampleInterval: 1s, flushInterval: 200ms, checkpointInterval: 1s}\n")
          .append("targets:\n");
      for (TargetId t : sim.targets()) {
        y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
            .append(", url: \"").append(sim.baseUrl(t)).append("\", keys: [{file: ").append(t.service()).append('-')
            .append(t.environment()).append(".pub.pem}]}\n");
      }
      Path config = dir.resolve("vigil.yaml");
      Files.writeString(config, y);
      Path ev = dir.resolve("ev");
      Path checkpoint = ev.resolve("checkpoint.txt");

      Process first = start(config, "first.log");
      long before;
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> size(checkpoint) >= 150);
      } finally {
        first.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
      Path acknowledged = dir.resolve("acknowledged.txt");
      Files.copy(checkpoint, acknowledged);
      before = size(acknowledged);

      Cli.Result audit = Cli.run("audit", "verify", "--dir", ev.toString(), "--checkpoint", acknowledged.toString(),
          "--key", dir.resolve("event.pub.pem").toString(), "--config", config.toString());
      assertThat(audit.code()).as(audit.toString()).isZero();

      Process second = start(config, "second.log");
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> size(checkpoint) >= before + 40);
      } finally {
        second.destroy();
        second.waitFor(20, TimeUnit.SECONDS);
      }
      Cli.Result again = Cli.run("audit", "verify", "--dir", ev.toString(), "--previous-checkpoint",
          acknowledged.toString(), "--key", dir.resolve("event.pub.pem").toString());
      assertThat(again.code()).as(again.toString()).isZero();
      assertThat(again.out()).contains("consistency proof " + before + " -> ");
    } finally {
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }

  private Process start(Path config, String log) throws Exception {
    Process p = new ProcessBuilder(CliJarIT.java(), "-Xmx256m", "-jar", CliJarIT.JAR.toString(), "monitor", "--config",
        config.toString()).redirectError(dir.resolve(log).toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String banner = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        return null;
      }
    }).get(60, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("http://[^:]+:(\\d+)/").matcher(String.valueOf(banner));
    assertThat(m.find()).as("banner %s; log %s", banner, dir.resolve(log)).isTrue();
    CompletableFuture.runAsync(() -> {
      try {
        while (out.readLine() != null) {
          // drain
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    return p;
  }

  private static long size(Path checkpoint) {
    try {
      String[] lines = Files.readString(checkpoint).split("\n");
      return Long.parseLong(lines[1]);
    } catch (Exception e) {
      return -1;
    }
  }
}

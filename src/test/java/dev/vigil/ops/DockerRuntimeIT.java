package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's command line, run by hand from the packaged jar (no Docker engine here): the
 * ENTRYPOINT with /opt/vigil/vigil.jar replaced by target/vigil.jar (its lib/ beside it, as in the
 * image, and the image's -Djava.io.tmpdir pointed at this machine's), and a working directory the process may
 * not write to.
 */
class DockerRuntimeIT {
  static final Path JAR = OpsFiles.ROOT.resolve("target/vigil.jar");

  static List<String> command(String... args) {
    List<String> runtime = DockerfileSpec.execForm(DockerfileSpec.last(DockerfileSpec.runtimeStage(), "ENTRYPOINT"));
    List<String> cmd = new ArrayList<>();
    for (String part : runtime) {
      cmd.add(part.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
          : part.equals("/opt/vigil/vigil.jar") ? JAR.toString()
          : part.equals("-Djava.io.tmpdir=/tmp") ? "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir") : part);
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  static ProcessBuilder builder(Path workDir, List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    return pb;
  }

  @Test
  void theEntrypointPrintsTheVersion(@TempDir Path dir) throws Exception {
    assertThat(JAR).exists();
    Process p = builder(readOnly(dir), command("--version")).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).containsPattern("(?m)^vigil \\d+\\.\\d+\\.\\d+").contains("Java 17");
    assertThat(out).as("no JVM banner on start").doesNotContain("Picked up");
  }

  @Test
  void theDefaultCommandStartsTheMonitorAndAnswersTheProbes(@TempDir Path dir) throws Exception {
    int port = RealBinary.freePort();
    Path config = dir.resolve("vigil.yaml");
    // One target nobody listens on: the monitor still starts, lives, and reports the target unreachable.
    Files.writeString(config, "monitorId: docker-it\nserver: {host: 127.0.0.1, port: " + port + "}\n"
        + "polling: {interval: 1s, timeout: 500ms, retries: 0}\n"
        + "policies: {default: {requireSignature: false}}\n"
        + "targets:\n  - {service: auth-service, environment: green, url: \"http://127.0.0.1:" + RealBinary.freePort()
        + "\", mode: legacy-health}\n");
    List<String> cmd = DockerfileSpec.execForm(DockerfileSpec.last(DockerfileSpec.runtimeStage(), "CMD"));
    List<String> args = new ArrayList<>(cmd);
    args.set(args.indexOf("/etc/vigil/vigil.yaml"), config.toString());
    Process p = builder(readOnly(dir.resolve("work")), command(args.toArray(String[]::new)))
        .redirectOutput(dir.resolve("monitor.log").toFile()).start();
    try {
      // 60 s: a JVM start, Vert.x and the first poll take 15 s and more on a loaded 2-core CI machine.
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> status(port, "/health/ready") == 200);
      assertThat(status(port, "/health/live")).isEqualTo(200);
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertThat(Files.readString(dir.resolve("monitor.log"))).contains("vigil monitor docker-it");
  }

  private static int status(int port, String path) throws Exception {
    return RealBinary.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** A directory without write permission (a stand-in for the read-only root filesystem; root ignores it). */
  private static Path readOnly(Path dir) throws Exception {
    Files.createDirectories(dir);
    File f = dir.toFile();
    assertThat(f.setWritable(false, false)).isTrue();
    return dir;
  }
}

package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.score.TargetId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code vigil monitor} child JVM of a benchmark ({@code MONITOR_ID} set to its name, stderr
 * in {@code NAME.log} of the work directory): its base URL, the shards and targets its API lists,
 * its CPU time, and {@code kill -9}. Not thread-safe.
 */
final class GroupProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Process process;
  private final String base;
  private final Path log;

  private GroupProcess(Process process, String base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  static GroupProcess start(Path dir, Path config, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    String javaBin = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // absolute: the child runs in the work directory
    String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(
            java.io.File.pathSeparator));
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", cp,
        "dev.vigil.cli.Main", "monitor", "--config", config.toString()).directory(dir.toFile())
        .redirectError(log.toFile());
    pb.environment().put("MONITOR_ID", name);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).completeOnTimeout(null, 300, TimeUnit.SECONDS).get();
    Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/").matcher(String.valueOf(first));
    if (!m.find()) {
      p.destroyForcibly();
      throw new IOException("monitor " + name + " did not start (first line: " + first + "); see " + log);
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "drain-" + name);
    drain.setDaemon(true);
    drain.start();
    return new GroupProcess(p, m.group(1), log);
  }

  Path log() {
    return log;
  }

  private JsonNode targetsApi() throws Exception {
    return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/targets"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The shards the instance's API lists (empty without a group). */
  List<Integer> shards() throws Exception {
    List<Integer> out = new ArrayList<>();
    JsonNode group = targetsApi().get("group");
    if (group != null) {
      group.get("owned").forEach(n -> out.add(n.asInt()));
    }
    return out;
  }

  /** The targets it polls. */
  List<TargetId> targets() throws Exception {
    List<TargetId> out = new ArrayList<>();
    for (JsonNode t : targetsApi().get("targets")) {
      out.add(new TargetId(t.get("service").asText(), t.get("environment").asText()));
    }
    return out;
  }

  /** CPU time the process used so far. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
  }

  /** CPU time its JIT compiler threads used so far; -1 when it cannot be read (see {@link JitCpu}). */
  long jitNanos() {
    return JitCpu.nanos(process.pid());
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: it hands its shards back and leaves. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill();
    }
  }
}

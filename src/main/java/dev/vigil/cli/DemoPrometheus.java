package dev.vigil.cli;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The migration demo's real Prometheus: the {@code prometheus} binary on the PATH (Debian package
 * {@code prometheus}), started in a directory of its own, scraping the simulator's {@code /metrics}
 * every second, on 127.0.0.1 at a free port. Blocking: start and close it off the event loop. Not
 * thread-safe; one owner.
 */
final class DemoPrometheus implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Process process;
  private final URI url;
  private final Path log;

  private DemoPrometheus(Process process, URI url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** The executable, when installed. */
  static Optional<Path> executable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts it and waits until {@code /-/ready} answers 200.
   *
   * @param target host:port whose {@code /metrics} it scrapes (job {@code vigil-simulator})
   * @throws IOException when it cannot start or is not ready within 30 s (with the tail of its log)
   */
  static DemoPrometheus start(Path executable, Path dir, String target) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: vigil-simulator\n    static_configs:\n      - targets: ['" + target + "']\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(List.of(executable.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
        "--web.listen-address=127.0.0.1:" + port, "--web.console.templates=" + dir,
        "--web.console.libraries=" + dir)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    DemoPrometheus prometheus = new DemoPrometheus(p, URI.create("http://127.0.0.1:" + port), log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(prometheus.url.resolve("/-/ready"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return prometheus;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200); // not a test: polling (bounded) for a child process to become ready
    }
    String tail = prometheus.logTail();
    prometheus.close();
    throw new IOException("prometheus did not become ready within " + READY_WITHIN.toSeconds() + " s; its log ends:\n"
        + tail);
  }

  /**
   * Waits until the instant query {@code promql} returns at least one sample: until the scrapes
   * give the rate windows of the analysis their data.
   *
   * @return whether it did within {@code within}
   */
  boolean awaitData(String promql, Duration within) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI query = url.resolve("/api/v1/query?query=" + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && !JSON.readTree(r.body()).path("data").path("result").isEmpty()) {
          return true;
        }
      } catch (IOException notYet) {
        // not answering yet
      }
      Thread.sleep(250); // not a test: polling (bounded) for the first scrapes
    }
    return false;
  }

  /** Its HTTP API's root, e.g. {@code http://127.0.0.1:40123}. */
  URI url() {
    return url;
  }

  private String logTail() {
    try {
      String all = Files.readString(log, StandardCharsets.UTF_8);
      return all.length() > 2000 ? all.substring(all.length() - 2000) : all;
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

package dev.vigil.cli;

import java.io.IOException;
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

/**
 * The migration demo's real Prometheus: the {@code prometheus} binary on the PATH (Debian package
 * {@code prometheus}), started in a directory of its own, scraping the simulator's {@code /metrics}
 * every second, on 127.0.0.1 at a free port. Blocking: start and close it off the event loop. Not
 * thread-safe; one owner.
 */
final class DemoPrometheus implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final ServerProcess process;
  private final URI url;

  private DemoPrometheus(ServerProcess process) {
    this.process = process;
    this.url = process.uri("");
  }

  /** The executable, when installed. */
  static Optional<Path> executable() {
    return ServerProcess.find("prometheus");
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
    int port = ServerProcess.freePort();
    return new DemoPrometheus(ServerProcess.start("prometheus", port, List.of(executable.toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
        "--web.listen-address=127.0.0.1:" + port, "--web.console.templates=" + dir,
        "--web.console.libraries=" + dir), dir, READY_WITHIN));
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

  @Override
  public void close() {
    process.close();
  }
}

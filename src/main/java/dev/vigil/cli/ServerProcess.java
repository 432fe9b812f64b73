package dev.vigil.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server binary of the Prometheus family (prometheus, alertmanager) run as a child process on
 * 127.0.0.1, its output in a log file, ready once its {@code /-/ready} answers 200. The one way
 * Vigil starts such a binary: the migration demo's Prometheus and the tests' real Prometheus and
 * Alertmanager. Blocking: start and close it off the event loop. Not thread-safe; one owner.
 */
public final class ServerProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final int LOG_TAIL_LINES = 40;

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;

  private ServerProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** The executable, from PATH or /usr/bin, or empty when it is not installed. */
  public static Optional<Path> find(String executable) {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("PATH");
    if (env != null) {
      for (String dir : env.split(File.pathSeparator)) {
        candidates.add(Path.of(dir.isEmpty() ? "." : dir, executable));
      }
    }
    candidates.add(Path.of("/usr/bin", executable));
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /** A port free on 127.0.0.1 right now (the child binds it a moment later). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code command} (whose listen address uses {@code port}) in {@code dir}, its output in
   * {@code dir/<name>.log}, and waits until {@code /-/ready} answers 200.
   *
   * @throws IOException when it cannot start, exits, or is not ready within {@code readyWithin}; the
   *     message ends with the tail of its log, and the process is stopped
   */
  public static ServerProcess start(String name, int port, List<String> command, Path dir, Duration readyWithin)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ServerProcess s = new ServerProcess(name, port, log, p);
    long deadline = System.nanoTime() + readyWithin.toNanos();
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (s.ready()) {
        return s;
      }
      Thread.sleep(100); // polling (bounded) for a child process to become ready
    }
    String why = p.isAlive() ? "did not become ready within " + readyWithin.toSeconds() + " s"
        : "exited with " + p.exitValue();
    String tail = s.logTail();
    s.close();
    throw new IOException(name + " " + why + "; its log ends:\n" + tail);
  }

  private boolean ready() throws InterruptedException {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri("/-/ready")).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  /** The last lines of its output. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Stops it: SIGTERM, then SIGKILL after 10 s. */
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

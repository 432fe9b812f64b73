package dev.vigil.ops;

import static org.awaitility.Awaitility.await;

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
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real server binary (Debian's prometheus or prometheus-alertmanager) run as a child process on
 * 127.0.0.1, its output in a log file, ready when its {@code /-/ready} answers 200.
 */
final class RealBinary implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int port;
  final Path log;
  private final Process process;

  private RealBinary(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** The executable, from PATH or /usr/bin, or empty when it is not installed. */
  static Optional<Path> find(String executable) {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("PATH");
    if (env != null) {
      for (String dir : env.split(java.io.File.pathSeparator)) {
        candidates.add(Path.of(dir, executable));
      }
    }
    candidates.add(Path.of("/usr/bin", executable));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** A port free on 127.0.0.1 right now (the child binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code command} (whose listen address uses {@code port}) and waits for {@code /-/ready}. */
  static RealBinary start(String name, int port, List<String> command, Path dir) throws IOException {
    Path log = dir.resolve(name + ".log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    RealBinary b = new RealBinary(name, port, log, p);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException(name + " exited with " + p.exitValue() + ":\n" + b.logTail());
            }
            return b.get("/-/ready").statusCode() == 200;
          });
    } catch (ConditionTimeoutException e) {
      b.close();
      throw new IllegalStateException(name + " did not become ready in 30 s (exited: " + !p.isAlive() + "):\n" + b.logTail(), e);
    }
    if (!p.isAlive()) {
      throw new IllegalStateException(name + " exited:\n" + b.logTail());
    }
    return b;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
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

package dev.vigil.ops;

import dev.vigil.cli.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real server binary (Debian's prometheus or prometheus-alertmanager) run as a child process on
 * 127.0.0.1 through the project's {@link ServerProcess}, with the tests' HTTP helpers.
 */
final class RealBinary implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final int port;
  private final ServerProcess process;

  private RealBinary(ServerProcess process) {
    this.process = process;
    this.port = process.port();
  }

  /** The executable, from PATH or /usr/bin, or empty when it is not installed. */
  static Optional<Path> find(String executable) {
    return ServerProcess.find(executable);
  }

  /** A port free on 127.0.0.1 right now (the child binds it a moment later). */
  static int freePort() throws IOException {
    return ServerProcess.freePort();
  }

  /** Starts {@code command} (whose listen address uses {@code port}) and waits for {@code /-/ready}. */
  static RealBinary start(String name, int port, List<String> command, Path dir) throws IOException {
    try {
      return new RealBinary(ServerProcess.start(name, port, command, dir, Duration.ofSeconds(30)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + name + " started", e);
    }
  }

  URI uri(String pathAndQuery) {
    return process.uri(pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String logTail() {
    return process.logTail();
  }

  @Override
  public void close() {
    process.close();
  }
}

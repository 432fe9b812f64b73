package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.poll.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link ServerLimits} on a real Vert.x server on 127.0.0.1, driven by raw sockets. */
class ServerLimitsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private final Vertx vertx = TestVertx.create();
  private final List<Socket> sockets = new ArrayList<>();
  private ConnectionGuard guard;
  private int port;

  private void start(ServerLimits limits) throws Exception {
    HttpServer server = vertx.createHttpServer(limits.options(new HttpServerOptions()));
    guard = limits.install(vertx, server, req -> req.response().end("ok"));
    port = TestVertx.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout((int) DEADLINE.toMillis());
    sockets.add(s);
    return s;
  }

  /** Sends one GET and reads its whole response (Content-Length 2, body "ok"). */
  private static String get(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder b = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!b.toString().endsWith("\r\n\r\nok")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    return b.toString();
  }

  /** True when the server closed {@code s} (EOF or reset) before the socket's read timeout. */
  private static boolean closedByServer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketException reset) {
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    TestVertx.await(vertx.close());
    assertThat(TestVertx.blocked(vertx)).isEmpty();
  }

  @Nested
  class ConnectionCap {
    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndCountedAndAFreedSlotServesAgain() throws Exception {
      start(new ServerLimits(3, Duration.ofSeconds(30), Duration.ofSeconds(30)));
      List<Socket> held = List.of(connect(), connect(), connect());
      await().atMost(DEADLINE).until(() -> guard.open() == 3);

      Socket excess = connect();
      assertThat(closedByServer(excess)).as("the 4th connection is closed at once").isTrue();
      assertThat(guard.refused()).isEqualTo(1);
      assertThat(get(held.get(0))).as("held connections still served").startsWith("HTTP/1.1 200").endsWith("ok");

      held.get(1).close();
      await().atMost(DEADLINE).until(() -> guard.open() == 2);
      assertThat(get(connect())).startsWith("HTTP/1.1 200");
      assertThat(guard.refused()).isEqualTo(1);
    }
  }

  @Nested
  class Timeouts {
    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
      start(new ServerLimits(10, Duration.ofSeconds(1), Duration.ofSeconds(60)));
      Socket s = connect();
      assertThat(get(s)).startsWith("HTTP/1.1 200");
      long t0 = System.nanoTime();
      assertThat(closedByServer(s)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("closed by the 1 s idle timeout, not the 60 s request one")
          .isLessThan(Duration.ofSeconds(9));
      await().atMost(DEADLINE).until(() -> guard.open() == 0);
      assertThat(guard.timedOut()).isZero();
    }

    @Test
    void aSlowDripRequestHeadIsClosedAfterTheRequestTimeoutThoughNeverIdle() throws Exception {
      start(new ServerLimits(10, Duration.ofSeconds(60), Duration.ofSeconds(1)));
      Socket s = connect();
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
      try {
        drip.scheduleAtFixedRate(() -> {
          try {
            out.write("X-Drip: 1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closed) {
            throw new IllegalStateException(closed);
          }
        }, 200, 200, TimeUnit.MILLISECONDS);
        assertThat(closedByServer(s)).as("closed by the request timeout while bytes keep coming").isTrue();
      } finally {
        drip.shutdownNow();
      }
      assertThat(guard.timedOut()).isEqualTo(1);
      await().atMost(DEADLINE).until(() -> guard.open() == 0);
    }

    @Test
    void aKeptAliveConnectionIsServedAgainAfterItsFirstRequest() throws Exception {
      start(new ServerLimits(10, Duration.ofSeconds(30), Duration.ofSeconds(2)));
      Socket s = connect();
      assertThat(get(s)).startsWith("HTTP/1.1 200");
      assertThat(get(s)).as("the same connection, a second request").startsWith("HTTP/1.1 200");
      assertThat(guard.timedOut()).isZero();
    }
  }
}
